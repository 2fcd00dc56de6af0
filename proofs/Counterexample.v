(** * Counterexample.v: erratum X5, the slides' per-coordinate E26 is false.

    Slide: "If with probability 1 over the draw of n we have
    |(g_n)_i - g_i| <= b for all i then with probability of at least 1 - delta
    over the draw of the sample ||ghat - g|| <= eta/sqrt k,
    eta = b(1 + sqrt(2 ln(1/delta)))."

    Counterexample: k = 1, d = 12, b = 1, delta = 1/20, and g_n uniform on
    the two sign vectors (1,...,1) and (-1,...,-1) (each coordinate is a
    Rademacher variable; nothing below depends on how the coordinates are
    coupled: every sign vector has norm sqrt 12).  Then g = 0, every
    coordinate satisfies |(g_n)_i - g_i| = 1 <= b, but ||ghat - g|| = sqrt 12
    > 1 + sqrt(2 ln 20) ~ 3.448 for every sample, so the bound holds with
    probability 0, not >= 0.95. *)

From Coq Require Import Reals Lra Lia.
From Interval Require Import Tactic.
From Quench Require Import Vectors Concentration.
Open Scope R_scope.

(** The numerical fact, checked by the interval tactic. *)
Lemma sqrt12_gt_radius : 1 + sqrt (2 * ln 20) < sqrt 12.
Proof. interval. Qed.

(** ... and for every dimension d >= 12. *)
Lemma sqrt_d_gt_radius (d : nat) : (12 <= d)%nat -> 1 + sqrt (2 * ln 20) < sqrt (INR d).
Proof.
  intros Hd. eapply Rlt_le_trans; [apply sqrt12_gt_radius|].
  apply sqrt_le_1_alt. replace 12 with (INR 12) by (simpl; lra).
  apply le_INR. exact Hd.
Qed.

Lemma sum_const n c : sum n (fun _ => c) = INR n * c.
Proof.
  induction n as [|n IH]; simpl; [ring|]. rewrite IH.
  destruct n; simpl; ring.
Qed.

(** Pointwise: every sign vector in R^d, d >= 12, has norm >= sqrt 12 > 1 + sqrt(2 ln 20),
    though each coordinate is within b = 1 of 0. *)
Theorem X5_every_sign_vector (d : nat) (x : vec) :
  (12 <= d)%nat -> (forall i, (i < d)%nat -> x i = 1 \/ x i = -1) ->
  (forall i, (i < d)%nat -> Rabs (x i - 0) <= 1) /\
  norm d x = sqrt (INR d) /\ norm d x > 1 * (1 + sqrt (2 * ln (1 / (1 / 20)))) / sqrt 1.
Proof.
  intros Hd Hx.
  assert (Hn : norm d x = sqrt (INR d)).
  { unfold norm, norm2, dot. f_equal.
    rewrite (sum_ext d _ (fun _ => 1)); [rewrite sum_const; ring|].
    intros i Hi. destruct (Hx i Hi) as [E|E]; rewrite E; ring. }
  split; [|split].
  - intros i Hi. destruct (Hx i Hi) as [E|E]; rewrite E;
      [rewrite Rabs_right | rewrite Rabs_left]; lra.
  - exact Hn.
  - rewrite Hn, sqrt_1. replace (1 / (1 / 20)) with 20 by field.
    pose proof (sqrt_d_gt_radius d Hd). lra.
Qed.

(** The concrete distribution: two support points, probability 1/2 each. *)
Definition p2 (j : nat) : R := / 2.
Definition v2 (j : nat) : vec := fun _ => if Nat.eqb j 0 then 1 else -1.

Lemma mean_grad_v2 : forall i, mean_grad 2 p2 v2 i = 0.
Proof. intros i. unfold mean_grad, p2, v2. simpl. field. Qed.

(** X5: the slides' per-coordinate hypothesis holds (b = 1), yet the
    conclusion of E26 fails: P(||ghat - g|| <= r/sqrt k) = 0 < 1 - delta. *)
Theorem X5_counterexample :
  let d := 12%nat in let m := 2%nat in let k := 1%nat in
  let b := 1 in let delta := / 20 in
  (* the distribution is a probability distribution *)
  (forall j, (j < m)%nat -> 0 <= p2 j) /\ sum m p2 = 1 /\
  (* the slides' per-coordinate hypothesis holds *)
  (forall j i, (j < m)%nat -> (i < d)%nat ->
     Rabs (v2 j i - mean_grad m p2 v2 i) <= b) /\
  (* the conclusion fails: the probability is 0 *)
  Pr_le m p2 k (err d m p2 v2 k) (b * (1 + sqrt (2 * ln (1 / delta))) / sqrt (INR k)) = 0 /\
  Pr_le m p2 k (err d m p2 v2 k) (b * (1 + sqrt (2 * ln (1 / delta))) / sqrt (INR k)) < 1 - delta.
Proof.
  cbv zeta.
  assert (Herr : forall s, err 12 2 p2 v2 1 s = sqrt 12).
  { intros s. unfold err.
    rewrite (norm_ext 12 _ (v2 (s O))).
    - destruct (X5_every_sign_vector 12 (v2 (s O)) ltac:(lia)) as [_ [E _]].
      + intros i Hi. unfold v2. destruct (Nat.eqb (s O) 0); [left|right]; reflexivity.
      + rewrite E. f_equal. simpl. ring.
    - intros i Hi. unfold vsub, ghat. rewrite mean_grad_v2. simpl. field. }
  assert (Hr : 1 * (1 + sqrt (2 * ln (1 / / 20))) / sqrt (INR 1) < sqrt 12).
  { simpl INR. rewrite sqrt_1. replace (1 / / 20) with 20 by field.
    pose proof sqrt12_gt_radius. lra. }
  assert (HP : Pr_le 2 p2 1 (err 12 2 p2 v2 1)
                 (1 * (1 + sqrt (2 * ln (1 / / 20))) / sqrt (INR 1)) = 0).
  { unfold Pr_le. simpl. unfold p2.
    rewrite !Herr.
    simpl INR in Hr.
    destruct (Rle_dec (sqrt 12) (1 * (1 + sqrt (2 * ln (1 / / 20))) / sqrt 1)); [lra|].
    ring. }
  split; [|split; [|split; [|split]]].
  - intros. unfold p2. lra.
  - unfold p2. simpl. field.
  - intros j i Hj Hi. rewrite mean_grad_v2. unfold v2.
    destruct (Nat.eqb j 0); [rewrite Rabs_right | rewrite Rabs_left]; lra.
  - exact HP.
  - rewrite HP. lra.
Qed.
