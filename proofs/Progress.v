(** * Progress.v: the progress guarantees (E11 in 1-D, E27 in R^n) and the
    loss decrease at the optimal rate (E22, E28).

    Slide (E11, "A Progress Guarantee"):
      loss(beta - eta ghat) <= loss(beta) - g (eta ghat) + (1/2) L (eta ghat)^2
        = loss(beta) - eta (ghat - (ghat - g)) ghat + (1/2) L eta^2 ghat^2
       <= loss(beta) - eta (ghat - 2 sigmahat/sqrt B) ghat + (1/2) L eta^2 ghat^2
    where the seed text's "log(beta)" is loss(beta) (X1), and the last step
    needs ghat > 0; in general |ghat| (X3).  The hypothesis
    |g - ghat| <= 2 sigmahat/sqrt B is E5 taken as a hypothesis (E5 itself is
    a normal-approximation heuristic, X12); the step size is eta >= 0.

    Slide (E27, Appendix II):
      l(Phi - eta ghat) <= l(Phi) - eta ||ghat|| (||ghat|| - r/sqrt k)
                                 + (1/2) L eta^2 ||ghat||^2
    given E25 at Phi and ||ghat - g|| <= r/sqrt k (E26), by Cauchy-Schwarz on
    (ghat - g)^T ghat. *)

From Coq Require Import Reals Lra FunctionalExtensionality.
From Coquelicot Require Import Coquelicot.
From Quench Require Import Vectors Descent1D Quadratic OptimalRate.
Open Scope R_scope.

(** The algebraic step of E11: g ghat >= ghat^2 - |g - ghat| |ghat|. *)
Lemma inner_lower_bound_1d (g ghat rho : R) :
  Rabs (g - ghat) <= rho -> Rabs ghat ^ 2 - rho * Rabs ghat <= g * ghat.
Proof.
  intros H.
  assert (E : g * ghat = ghat ^ 2 - (ghat - g) * ghat) by ring.
  assert (H1 : (ghat - g) * ghat <= Rabs (g - ghat) * Rabs ghat).
  { rewrite Rabs_minus_sym, <- Rabs_mult. apply Rle_abs. }
  assert (H2 : Rabs (g - ghat) * Rabs ghat <= rho * Rabs ghat).
  { apply Rmult_le_compat_r; [apply Rabs_pos | exact H]. }
  rewrite abs_sq. lra.
Qed.

(** E11, the one-dimensional progress guarantee (corrected: |ghat|, X3). *)
Theorem E11_progress_guarantee (f f' f'' : R -> R) (L x eta ghat sigma B : R) :
  let D := eta * ghat in
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f z (f' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f' z (f'' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> f'' z <= L) ->
  0 <= eta ->
  Rabs (f' x - ghat) <= 2 * sigma / sqrt B ->
  f (x - eta * ghat)
  <= f x - eta * (Rabs ghat - 2 * sigma / sqrt B) * Rabs ghat + L * eta ^ 2 * ghat ^ 2 / 2.
Proof.
  intros D Hf Hf' HL Heta Hg.
  pose proof (E10_sgd_step f f' f'' L x eta ghat Hf Hf' HL) as H10.
  pose proof (inner_lower_bound_1d (f' x) ghat _ Hg) as H.
  assert (H2 : eta * (Rabs ghat ^ 2 - 2 * sigma / sqrt B * Rabs ghat) <= eta * (f' x * ghat))
    by (apply Rmult_le_compat_l; assumption).
  replace ((eta * ghat) ^ 2) with (eta ^ 2 * ghat ^ 2) in H10 by ring.
  nra.
Qed.

(** X3: with ghat < 0 the slide's literal last line (ghat instead of |ghat|)
    is false.  f(z) = z^2/2 (so L = 1), beta = 0 (g = 0), ghat = -1,
    2 sigmahat/sqrt B = 1 (sigmahat = 1/2, B = 1), eta = 1: the left side is
    f(1) = 1/2, the slide's right side is -3/2. *)
Theorem X3_counterexample :
  let f := fun z : R => z ^ 2 / 2 in
  let L := 1 in let x := 0 in let g := 0 in let ghat := -1 in
  let sigma := / 2 in let B := 1 in let eta := 1 in
  (forall y, is_derive f y y) /\ (forall y, is_derive (fun t => t) y 1) /\ 1 <= L /\
  Rabs (g - ghat) <= 2 * sigma / sqrt B /\
  f (x - eta * ghat)
  > f x - eta * (ghat - 2 * sigma / sqrt B) * ghat + L * eta ^ 2 * ghat ^ 2 / 2.
Proof.
  cbv zeta. rewrite sqrt_1. split; [|split; [|split; [|split]]].
  - intros y. auto_derive; [exact I|]. field.
  - intros y. auto_derive; [exact I|]. reflexivity.
  - lra.
  - rewrite Rabs_right by lra. lra.
  - lra.
Qed.

(** E22 on the loss: the step with eta*(B) on the domain B >= 4 sigmahat^2/ghat^2
    (where eta*(B) >= 0) decreases the loss by at least (L/2) eta*(B)^2 ghat^2. *)
Theorem E22_loss_decrease (f f' f'' : R -> R) (L x ghat sigma B : R) :
  0 < L -> ghat <> 0 -> 0 <= sigma -> 0 < B -> 4 * sigma ^ 2 / ghat ^ 2 <= B ->
  let eta_s := eta_star L sigma ghat B in
  let D := eta_s * ghat in
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f z (f' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f' z (f'' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> f'' z <= L) ->
  Rabs (f' x - ghat) <= 2 * sigma / sqrt B ->
  f (x - eta_s * ghat) <= f x - (L / 2) * eta_s ^ 2 * ghat ^ 2.
Proof.
  intros HL Hg Hs HB Hdom eta_s D Hf Hf' HLf Hc.
  assert (Hpos : 0 <= eta_s) by (apply eta_star_nonneg; assumption).
  pose proof (E11_progress_guarantee f f' f'' L x eta_s ghat sigma B Hf Hf' HLf Hpos Hc) as H.
  pose proof (E22_value_at_optimum L sigma ghat B (f x) HL Hg HB) as E.
  cbv zeta in E. fold eta_s in E. lra.
Qed.

(** ** Vector case *)

(** The algebraic step of E27 (Cauchy-Schwarz):
    g^T ghat >= ||ghat||^2 - ||ghat - g|| ||ghat||. *)
Lemma inner_lower_bound (n : nat) (g ghat : vec) (rho : R) :
  norm n (vsub ghat g) <= rho -> norm n ghat ^ 2 - rho * norm n ghat <= dot n g ghat.
Proof.
  intros H.
  assert (E : dot n g ghat = norm n ghat ^ 2 - dot n (vsub ghat g) ghat).
  { rewrite norm_sq. unfold norm2. rewrite dot_sub_l, (dot_comm n g ghat). ring. }
  pose proof (cauchy_schwarz n (vsub ghat g) ghat) as CS.
  assert (H2 : norm n (vsub ghat g) * norm n ghat <= rho * norm n ghat).
  { apply Rmult_le_compat_r; [apply norm_nonneg | exact H]. }
  lra.
Qed.

(** l(Phi - eta ghat) with the vector operations of Vectors.v. *)
Lemma step_as_add (Phi ghat : vec) (eta : R) :
  vsub Phi (vscale eta ghat) = vadd Phi (vscale (- eta) ghat).
Proof.
  apply functional_extensionality. intros i. unfold vsub, vadd, vscale. ring.
Qed.

(** E27, the vector progress guarantee, for any loss [l] satisfying E25 at Phi. *)
Theorem E27_progress_guarantee (n : nat) (l : vec -> R) (Phi g ghat : vec) (L r k eta : R) :
  (forall D, l (vadd Phi D) <= l Phi + dot n g D + / 2 * L * norm n D ^ 2) ->
  0 <= eta ->
  norm n (vsub ghat g) <= r / sqrt k ->
  l (vsub Phi (vscale eta ghat))
  <= l Phi - eta * norm n ghat * (norm n ghat - r / sqrt k) + L / 2 * eta ^ 2 * norm n ghat ^ 2.
Proof.
  intros H25 Heta Hc.
  rewrite step_as_add.
  eapply Rle_trans; [apply H25|].
  rewrite dot_scale_r, norm_scale.
  pose proof (inner_lower_bound n g ghat _ Hc) as H.
  assert (H2 : eta * (norm n ghat ^ 2 - r / sqrt k * norm n ghat) <= eta * dot n g ghat)
    by (apply Rmult_le_compat_l; assumption).
  replace ((Rabs (- eta) * norm n ghat) ^ 2) with (eta ^ 2 * norm n ghat ^ 2).
  - lra.
  - rewrite Rabs_Ropp, Rabs_right by lra. ring.
Qed.

(** E27 for a quadratic loss with ||H D|| <= L ||D|| (E24 + E25 discharge the
    hypothesis). *)
Corollary E27_progress_guarantee_quadratic (n : nat) (H : mat) (b : vec) (c : R)
    (Phi ghat : vec) (L r k eta : R) :
  symmetric n H ->
  (forall D, norm n (matvec n H D) <= L * norm n D) ->
  0 <= eta ->
  norm n (vsub ghat (quad_grad n H b Phi)) <= r / sqrt k ->
  quad n H b c (vsub Phi (vscale eta ghat))
  <= quad n H b c Phi - eta * norm n ghat * (norm n ghat - r / sqrt k)
     + L / 2 * eta ^ 2 * norm n ghat ^ 2.
Proof.
  intros Hs HL Heta Hc.
  apply (E27_progress_guarantee n (quad n H b c) Phi (quad_grad n H b Phi)); try assumption.
  intros D. apply E25_descent_bound_quadratic; [exact Hs | apply HL].
Qed.

(** E28 on the loss: at eta(k) = (1/L)(1 - r/(||ghat|| sqrt k)), on the domain
    r/sqrt k <= ||ghat|| (k >= r^2/||ghat||^2, where eta(k) >= 0), the loss
    decreases by at least (L/2) eta(k)^2 ||ghat||^2. *)
Theorem E28_loss_decrease (n : nat) (l : vec -> R) (Phi g ghat : vec) (L r k : R) :
  0 < L -> 0 < norm n ghat -> 0 < k -> r / sqrt k <= norm n ghat ->
  (forall D, l (vadd Phi D) <= l Phi + dot n g D + / 2 * L * norm n D ^ 2) ->
  norm n (vsub ghat g) <= r / sqrt k ->
  let e := eta_k L r (norm n ghat) k in
  l (vsub Phi (vscale e ghat)) <= l Phi - L / 2 * e ^ 2 * norm n ghat ^ 2.
Proof.
  intros HL Hg Hk Hdom H25 Hc e.
  assert (Hpos : 0 <= e).
  { unfold e. rewrite eta_k_eq by assumption. apply eta_opt_nonneg; assumption. }
  pose proof (E27_progress_guarantee n l Phi g ghat L r k e H25 Hpos Hc) as H.
  pose proof (E28_value_at_optimum n L r k (l Phi) ghat HL Hg Hk) as E.
  cbv zeta in E. fold e in E. lra.
Qed.
