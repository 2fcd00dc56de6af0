(** * Hoeffding.v: Hoeffding's lemma for a finite distribution (the step of E26's McDiarmid).

    For a random variable Y with values [y j] (probability [p j], j < m) in an interval
    [a, a + c], c > 0, and every real s,
       E exp(s Y) <= exp(s E Y + s^2 c^2 / 8).
    Two steps:
    - convexity of exp (its chord above the graph, from the tangent line 1 + x <= e^x)
      bounds E exp(s Y) by e^(s a) (1 - theta + theta e^(s c)), theta = (E Y - a)/c in [0,1];
    - the analytic core ln(1 - theta + theta e^h) <= theta h + h^2/8 is the E9 descent
      lemma (Descent1D.v) for f(z) = ln(1 - theta + theta e^z) - theta z at 0, whose
      second derivative u(1 - u) (u = theta e^z/(1 - theta + theta e^z)) is at most 1/4.
    Concentration.v applies it to one draw at a time (McDiarmid's inequality). *)

From Coq Require Import Reals Lra Lia.
From Coquelicot Require Import Coquelicot.
From Quench Require Import Vectors Descent1D.
Open Scope R_scope.

(** ** The analytic core *)

Lemma hoeffding_denominator_pos (theta z : R) :
  0 <= theta <= 1 -> 0 < 1 - theta + theta * exp z.
Proof.
  intros H. pose proof (exp_pos z).
  destruct (Req_dec theta 1) as [E|E].
  - subst. lra.
  - assert (0 <= theta * exp z) by (apply Rmult_le_pos; lra). lra.
Qed.

(** f(z) = ln(1 - theta + theta e^z) - theta z, the log of the exponential moment of a
    Bernoulli(theta) variable, centred. *)
Definition hoeffding_f (theta z : R) : R := ln (1 - theta + theta * exp z) - theta * z.
Definition hoeffding_f' (theta z : R) : R :=
  theta * exp z / (1 - theta + theta * exp z) - theta.
Definition hoeffding_f'' (theta z : R) : R :=
  theta * exp z * (1 - theta) / (1 - theta + theta * exp z) ^ 2.

Lemma hoeffding_f_derive (theta z : R) :
  0 <= theta <= 1 -> is_derive (hoeffding_f theta) z (hoeffding_f' theta z).
Proof.
  intros H. pose proof (hoeffding_denominator_pos theta z H) as P.
  unfold hoeffding_f, hoeffding_f'. auto_derive.
  - exact P.
  - field. lra.
Qed.

Lemma hoeffding_f'_derive (theta z : R) :
  0 <= theta <= 1 -> is_derive (hoeffding_f' theta) z (hoeffding_f'' theta z).
Proof.
  intros H. pose proof (hoeffding_denominator_pos theta z H) as P.
  unfold hoeffding_f', hoeffding_f''. auto_derive.
  - lra.
  - field. lra.
Qed.

(** f'' = A B / (A + B)^2 with A = theta e^z >= 0, B = 1 - theta >= 0: at most 1/4,
    since 4 A B <= (A + B)^2. *)
Lemma hoeffding_f''_le (theta z : R) : 0 <= theta <= 1 -> hoeffding_f'' theta z <= / 4.
Proof.
  intros H. pose proof (hoeffding_denominator_pos theta z H) as P.
  unfold hoeffding_f''.
  set (A := theta * exp z) in *. set (D := 1 - theta + A) in *.
  apply (Rmult_le_reg_r (D ^ 2)); [apply pow_lt; exact P|].
  replace (A * (1 - theta) / D ^ 2 * D ^ 2) with (A * (1 - theta)) by (field; lra).
  assert (0 <= (A - (1 - theta)) ^ 2) by apply pow2_ge_0.
  unfold D. nra.
Qed.

(** Hoeffding's analytic core: ln(1 - theta + theta e^h) <= theta h + h^2/8 for theta in
    [0, 1], from E9 with L = 1/4 at x = 0, D = -h (f 0 = 0, f' 0 = 0). *)
Lemma hoeffding_core (theta h : R) :
  0 <= theta <= 1 -> ln (1 - theta + theta * exp h) <= theta * h + h ^ 2 / 8.
Proof.
  intros H.
  pose proof (E9_descent_lemma (hoeffding_f theta) (hoeffding_f' theta) (hoeffding_f'' theta)
                (/ 4) 0 (- h)) as E9.
  assert (I : hoeffding_f theta (0 - - h)
              <= hoeffding_f theta 0 - hoeffding_f' theta 0 * - h + / 4 * (- h) ^ 2 / 2).
  { apply E9.
    - intros z _. apply hoeffding_f_derive. exact H.
    - intros z _. apply hoeffding_f'_derive. exact H.
    - intros z _. apply hoeffding_f''_le. exact H. }
  unfold hoeffding_f, hoeffding_f' in I. rewrite exp_0 in I.
  replace (1 - theta + theta * 1) with 1 in I by ring. rewrite ln_1 in I.
  replace (0 - - h) with h in I by ring.
  replace (theta * 1 / 1 - theta) with 0 in I by field. lra.
Qed.

(** ** Convexity of exp *)

(** The chord of exp lies above its graph: from the tangent line 1 + y <= e^y at the point
    x = (1 - t) A + t B, applied at A and at B. *)
Lemma exp_chord (A B t : R) :
  0 <= t <= 1 -> exp ((1 - t) * A + t * B) <= (1 - t) * exp A + t * exp B.
Proof.
  intros Ht. set (x := (1 - t) * A + t * B).
  assert (EA : exp A = exp x * exp (A - x)) by (rewrite <- exp_plus; f_equal; ring).
  assert (EB : exp B = exp x * exp (B - x)) by (rewrite <- exp_plus; f_equal; ring).
  pose proof (exp_ineq1_le (A - x)). pose proof (exp_ineq1_le (B - x)).
  pose proof (exp_pos x).
  assert (HA : exp x * (1 + (A - x)) <= exp A)
    by (rewrite EA; apply Rmult_le_compat_l; lra).
  assert (HB : exp x * (1 + (B - x)) <= exp B)
    by (rewrite EB; apply Rmult_le_compat_l; lra).
  assert (Hx : (1 - t) * (exp x * (1 + (A - x))) + t * (exp x * (1 + (B - x))) = exp x)
    by (unfold x; ring).
  assert ((1 - t) * (exp x * (1 + (A - x))) <= (1 - t) * exp A)
    by (apply Rmult_le_compat_l; lra).
  assert (t * (exp x * (1 + (B - x))) <= t * exp B)
    by (apply Rmult_le_compat_l; lra).
  lra.
Qed.

(** ** Hoeffding's lemma *)

Lemma exp_le_mono (x y : R) : x <= y -> exp x <= exp y.
Proof.
  intros H. destruct (Rle_lt_or_eq_dec x y H) as [L|E].
  - left. apply exp_increasing. exact L.
  - subst. right. reflexivity.
Qed.

Lemma sum_p_const_gen (m : nat) (p : nat -> R) (x : R) :
  sum m p = 1 -> sum m (fun j => p j * x) = x.
Proof.
  intros Hs. rewrite (sum_ext m _ (fun j => x * p j)) by (intros; ring).
  rewrite sum_scal, Hs. ring.
Qed.

(** E26's one-draw step, Hoeffding's lemma: a finite random variable with values in
    [a, a + c] has E exp(s Y) <= exp(s E Y + s^2 c^2 / 8). *)
Theorem E26_hoeffding_lemma (m : nat) (p y : nat -> R) (a c s : R) :
  (forall j, (j < m)%nat -> 0 <= p j) -> sum m p = 1 ->
  0 < c -> (forall j, (j < m)%nat -> a <= y j <= a + c) ->
  sum m (fun j => p j * exp (s * y j))
  <= exp (s * sum m (fun j => p j * y j) + s ^ 2 * c ^ 2 / 8).
Proof.
  intros Hp Hs Hc Hy.
  set (t := fun j => (y j - a) / c).
  set (theta := sum m (fun j => p j * t j)).
  assert (Ht : forall j, (j < m)%nat -> 0 <= t j <= 1).
  { intros j Hj. destruct (Hy j Hj). unfold t. split.
    - apply Rdiv_le_0_compat; lra.
    - apply (Rmult_le_reg_r c); [exact Hc|]. unfold Rdiv.
      rewrite Rmult_assoc, Rinv_l by lra. lra. }
  assert (Htheta : 0 <= theta <= 1).
  { unfold theta. split.
    - apply sum_nonneg. intros j Hj. apply Rmult_le_pos; [apply Hp | apply Ht]; exact Hj.
    - rewrite <- (sum_p_const_gen m p 1 Hs). apply sum_le. intros j Hj.
      apply Rmult_le_compat_l; [apply Hp; exact Hj | apply Ht; exact Hj]. }
  (* convexity, draw by draw: exp(s y_j) <= e^(s a) (1 - t_j + t_j e^(s c)) *)
  assert (H1 : sum m (fun j => p j * exp (s * y j))
               <= sum m (fun j => p j * (exp (s * a) * (1 - t j + t j * exp (s * c))))).
  { apply sum_le. intros j Hj. apply Rmult_le_compat_l; [apply Hp; exact Hj|].
    replace (s * y j) with ((1 - t j) * (s * a) + t j * (s * (a + c)))
      by (unfold t; field; lra).
    eapply Rle_trans; [apply exp_chord; apply Ht; exact Hj|].
    right. rewrite Rmult_plus_distr_l, exp_plus. ring. }
  (* the sum of the chords is the chord at the mean *)
  assert (E2 : sum m (fun j => p j * (exp (s * a) * (1 - t j + t j * exp (s * c))))
               = exp (s * a) * (1 - theta + theta * exp (s * c))).
  { rewrite (sum_ext m _ (fun j => exp (s * a) * p j + (- exp (s * a) + exp (s * a) * exp (s * c))
                                    * (p j * t j))) by (intros; ring).
    rewrite sum_plus, !sum_scal, Hs. fold theta. ring. }
  assert (Emean : sum m (fun j => p j * y j) = a + c * theta).
  { unfold theta, t.
    rewrite (sum_ext m (fun j => p j * y j) (fun j => a * p j + c * (p j * ((y j - a) / c))))
      by (intros; field; lra).
    rewrite sum_plus, !sum_scal, Hs. ring. }
  rewrite E2 in H1. rewrite Emean.
  eapply Rle_trans; [exact H1|].
  (* the analytic core *)
  pose proof (hoeffding_denominator_pos theta (s * c) Htheta) as P.
  pose proof (hoeffding_core theta (s * c) Htheta) as C.
  rewrite <- (exp_ln (1 - theta + theta * exp (s * c))) by exact P.
  rewrite <- exp_plus. apply exp_le_mono.
  replace (s * (a + c * theta) + s ^ 2 * c ^ 2 / 8)
    with (s * a + (theta * (s * c) + (s * c) ^ 2 / 8)) by field.
  lra.
Qed.

(** The mean-zero form: E Y = 0 and Y in [a, b] give E exp(s Y) <= exp(s^2 (b - a)^2 / 8). *)
Corollary E26_hoeffding_lemma_centered (m : nat) (p y : nat -> R) (a b s : R) :
  (forall j, (j < m)%nat -> 0 <= p j) -> sum m p = 1 -> a < b ->
  (forall j, (j < m)%nat -> a <= y j <= b) -> sum m (fun j => p j * y j) = 0 ->
  sum m (fun j => p j * exp (s * y j)) <= exp (s ^ 2 * (b - a) ^ 2 / 8).
Proof.
  intros Hp Hs Hab Hy H0.
  replace (s ^ 2 * (b - a) ^ 2 / 8) with (s * sum m (fun j => p j * y j) + s ^ 2 * (b - a) ^ 2 / 8)
    by (rewrite H0; field).
  apply (E26_hoeffding_lemma m p y a (b - a) s); try assumption; [lra|].
  intros j Hj. destruct (Hy j Hj). split; lra.
Qed.
