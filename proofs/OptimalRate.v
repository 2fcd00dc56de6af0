(** * OptimalRate.v: the optimal learning rate (E21, E22 in 1-D; E28 in R^n).

    The progress guarantees E11 / E27 bound the change of the loss by
      - eta * a * (a - rho) + (L/2) * eta^2 * a^2
    where [a = |ghat|] (1-D, X3) or [a = ||ghat||] (R^n) and [rho] is the
    concentration radius: [rho = 2 sigmahat / sqrt B] (E5) or
    [rho = r / sqrt k] (E26).  This file minimises that quadratic in [eta].
    It is pure algebra; the statements about the loss itself are in
    Progress.v. *)

From Coq Require Import Reals Lra.
From Quench Require Import Vectors.
Open Scope R_scope.

(** Generic form: [change L a rho eta] is the right side of E11/E27 minus
    the current loss. *)
Definition change (L a rho eta : R) : R :=
  - eta * (a - rho) * a + L * eta ^ 2 * a ^ 2 / 2.

(** Its minimiser [(1/L) (1 - rho/a)]. *)
Definition eta_opt (L a rho : R) : R := (1 / L) * (1 - rho / a).

Lemma change_square (L a rho eta : R) :
  L <> 0 -> a <> 0 ->
  change L a rho eta
  = L * a ^ 2 / 2 * (eta - eta_opt L a rho) ^ 2
    - L / 2 * eta_opt L a rho ^ 2 * a ^ 2.
Proof. intros HL Ha. unfold change, eta_opt. field. split; assumption. Qed.

Lemma sq_pos (x : R) : x <> 0 -> 0 < x ^ 2.
Proof. intros H. assert (0 < x * x) by (apply Rsqr_pos_lt; exact H). simpl; lra. Qed.

Lemma eta_opt_minimises (L a rho eta : R) :
  0 < L -> a <> 0 -> change L a rho (eta_opt L a rho) <= change L a rho eta.
Proof.
  intros HL Ha. rewrite !(change_square L a rho) by lra.
  replace (eta_opt L a rho - eta_opt L a rho) with 0 by ring.
  pose proof (sq_pos a Ha).
  assert (0 <= (eta - eta_opt L a rho) ^ 2) by apply pow2_ge_0.
  assert (0 <= L * a ^ 2 / 2 * (eta - eta_opt L a rho) ^ 2).
  { apply Rmult_le_pos; [|assumption]. unfold Rdiv.
    apply Rmult_le_pos; [apply Rmult_le_pos|]; lra. }
  lra.
Qed.

Lemma eta_opt_unique (L a rho eta : R) :
  0 < L -> a <> 0 -> eta <> eta_opt L a rho ->
  change L a rho (eta_opt L a rho) < change L a rho eta.
Proof.
  intros HL Ha Hne. rewrite !(change_square L a rho) by lra.
  replace (eta_opt L a rho - eta_opt L a rho) with 0 by ring.
  pose proof (sq_pos a Ha).
  assert (0 < (eta - eta_opt L a rho) ^ 2) by (apply sq_pos; lra).
  assert (0 < L * a ^ 2 / 2 * (eta - eta_opt L a rho) ^ 2).
  { apply Rmult_lt_0_compat; [|assumption]. unfold Rdiv.
    apply Rmult_lt_0_compat; [apply Rmult_lt_0_compat|]; lra. }
  lra.
Qed.

Lemma change_at_opt (L a rho : R) :
  L <> 0 -> a <> 0 ->
  change L a rho (eta_opt L a rho) = - (L / 2) * eta_opt L a rho ^ 2 * a ^ 2.
Proof.
  intros HL Ha. rewrite change_square by assumption.
  replace (eta_opt L a rho - eta_opt L a rho) with 0 by ring. ring.
Qed.

Lemma first_order (L a rho : R) :
  L <> 0 -> a <> 0 -> a * (a - rho) = L * eta_opt L a rho * a ^ 2.
Proof. intros HL Ha. unfold eta_opt. field. split; assumption. Qed.

(** [eta_opt >= 0] exactly when the radius is at most [a]. *)
Lemma eta_opt_nonneg (L a rho : R) :
  0 < L -> 0 < a -> (0 <= eta_opt L a rho <-> rho <= a).
Proof.
  intros HL Ha. unfold eta_opt.
  assert (E : 1 / L * (1 - rho / a) = (a - rho) / (L * a)) by (field; lra).
  rewrite E. assert (0 < L * a) by (apply Rmult_lt_0_compat; lra).
  split; intros H1.
  - apply Rnot_lt_le. intros Hlt.
    assert ((a - rho) / (L * a) < 0).
    { unfold Rdiv. assert (0 < / (L * a)) by (apply Rinv_0_lt_compat; lra).
      assert (a - rho < 0) by lra. nra. }
    lra.
  - unfold Rdiv. apply Rmult_le_pos; [lra|]. left; apply Rinv_0_lt_compat; lra.
Qed.

(** ** One dimension *)

(** E21 (slide: eta*(B) = (1/L)(1 - 2 sigmahat/(ghat sqrt B)); the seed
    text's "qhat" is ghat (X2), and |ghat| replaces ghat (X3)). *)
Definition eta_star (L sigma ghat B : R) : R :=
  (1 / L) * (1 - 2 * sigma / (Rabs ghat * sqrt B)).

Lemma eta_star_eq (L sigma ghat B : R) :
  ghat <> 0 -> 0 < B ->
  eta_star L sigma ghat B = eta_opt L (Rabs ghat) (2 * sigma / sqrt B).
Proof.
  intros Hg HB. unfold eta_star, eta_opt.
  assert (0 < sqrt B) by (apply sqrt_lt_R0; exact HB).
  assert (Rabs ghat <> 0) by (apply Rabs_no_R0; exact Hg).
  f_equal. f_equal. field. split; lra.
Qed.

Lemma abs_sq (x : R) : Rabs x ^ 2 = x ^ 2.
Proof. rewrite <- !Rsqr_pow2. symmetry. apply Rsqr_abs. Qed.

(** E21, first-order condition (slide: ghat(ghat - 2 sigmahat/sqrt B) = L eta ghat^2). *)
Theorem E21_first_order_condition (L sigma ghat B : R) :
  0 < L -> ghat <> 0 -> 0 < B ->
  Rabs ghat * (Rabs ghat - 2 * sigma / sqrt B) = L * eta_star L sigma ghat B * ghat ^ 2.
Proof.
  intros HL Hg HB. rewrite eta_star_eq by assumption. rewrite <- abs_sq.
  apply first_order; [lra | apply Rabs_no_R0; exact Hg].
Qed.

(** E21: eta*(B) minimises the right side of E11,
      loss(beta) - eta (|ghat| - 2 sigmahat/sqrt B) |ghat| + L eta^2 ghat^2 / 2,
    over all real eta. *)
Theorem E21_optimal_rate_minimises (L sigma ghat B loss eta : R) :
  0 < L -> ghat <> 0 -> 0 < B ->
  let eta_s := eta_star L sigma ghat B in
  loss - eta_s * (Rabs ghat - 2 * sigma / sqrt B) * Rabs ghat + L * eta_s ^ 2 * ghat ^ 2 / 2
  <= loss - eta * (Rabs ghat - 2 * sigma / sqrt B) * Rabs ghat + L * eta ^ 2 * ghat ^ 2 / 2.
Proof.
  intros HL Hg HB eta_s. unfold eta_s. rewrite eta_star_eq by assumption.
  pose proof (eta_opt_minimises L (Rabs ghat) (2 * sigma / sqrt B) eta HL
                (Rabs_no_R0 _ Hg)) as H.
  unfold change in H. rewrite abs_sq in H. lra.
Qed.

(** ... and it is the unique minimiser. *)
Theorem E21_optimal_rate_unique (L sigma ghat B loss eta : R) :
  0 < L -> ghat <> 0 -> 0 < B -> eta <> eta_star L sigma ghat B ->
  let eta_s := eta_star L sigma ghat B in
  loss - eta_s * (Rabs ghat - 2 * sigma / sqrt B) * Rabs ghat + L * eta_s ^ 2 * ghat ^ 2 / 2
  < loss - eta * (Rabs ghat - 2 * sigma / sqrt B) * Rabs ghat + L * eta ^ 2 * ghat ^ 2 / 2.
Proof.
  intros HL Hg HB Hne eta_s. unfold eta_s. rewrite eta_star_eq in * by assumption.
  pose proof (eta_opt_unique L (Rabs ghat) (2 * sigma / sqrt B) eta HL
                (Rabs_no_R0 _ Hg) Hne) as H.
  unfold change in H. rewrite abs_sq in H. lra.
Qed.

(** E22: the value of the E11 bound at eta*(B) is
      loss(beta) - (L/2) eta*(B)^2 ghat^2. *)
Theorem E22_value_at_optimum (L sigma ghat B loss : R) :
  0 < L -> ghat <> 0 -> 0 < B ->
  let eta_s := eta_star L sigma ghat B in
  loss - eta_s * (Rabs ghat - 2 * sigma / sqrt B) * Rabs ghat + L * eta_s ^ 2 * ghat ^ 2 / 2
  = loss - (L / 2) * eta_s ^ 2 * ghat ^ 2.
Proof.
  intros HL Hg HB eta_s. unfold eta_s. rewrite eta_star_eq by assumption.
  pose proof (change_at_opt L (Rabs ghat) (2 * sigma / sqrt B) ltac:(lra)
                (Rabs_no_R0 _ Hg)) as H.
  unfold change in H. rewrite abs_sq in H. lra.
Qed.

(** eta*(B) >= 0 exactly on the domain B >= 4 sigmahat^2 / ghat^2 (X4): there
    the guarantee is not vacuous. *)
Lemma eta_star_nonneg (L sigma ghat B : R) :
  0 < L -> ghat <> 0 -> 0 <= sigma -> 0 < B ->
  (0 <= eta_star L sigma ghat B <-> 4 * sigma ^ 2 / ghat ^ 2 <= B).
Proof.
  intros HL Hg Hs HB. rewrite eta_star_eq by assumption.
  assert (Ha : 0 < Rabs ghat) by (apply Rabs_pos_lt; exact Hg).
  assert (Hq : 0 < sqrt B) by (apply sqrt_lt_R0; exact HB).
  assert (HsB : sqrt B * sqrt B = B) by (apply sqrt_sqrt; lra).
  assert (Hg2 : ghat ^ 2 = Rabs ghat * Rabs ghat) by (rewrite <- abs_sq; ring).
  rewrite (eta_opt_nonneg L (Rabs ghat) _ HL Ha).
  rewrite Hg2.
  assert (E1 : 2 * sigma / sqrt B <= Rabs ghat <-> 2 * sigma <= Rabs ghat * sqrt B).
  { split; intros H0.
    - apply (Rmult_le_compat_r (sqrt B)) in H0; [|lra].
      field_simplify in H0; lra.
    - apply (Rmult_le_reg_r (sqrt B)); [lra|]. field_simplify; lra. }
  rewrite E1.
  assert (E2 : 4 * sigma ^ 2 / (Rabs ghat * Rabs ghat) <= B
               <-> 4 * sigma ^ 2 <= B * (Rabs ghat * Rabs ghat)).
  { assert (0 < Rabs ghat * Rabs ghat) by nra.
    split; intros H0.
    - apply (Rmult_le_compat_r (Rabs ghat * Rabs ghat)) in H0; [|lra].
      field_simplify in H0; lra.
    - apply (Rmult_le_reg_r (Rabs ghat * Rabs ghat)); [lra|]. field_simplify; lra. }
  rewrite E2.
  assert (0 <= Rabs ghat * sqrt B) by (apply Rmult_le_pos; lra).
  split; intros H0.
  - assert (0 <= (Rabs ghat * sqrt B - 2 * sigma) * (Rabs ghat * sqrt B + 2 * sigma))
      by (apply Rmult_le_pos; lra).
    nra.
  - apply Rnot_lt_le. intros Hlt.
    assert (0 < (2 * sigma - Rabs ghat * sqrt B) * (Rabs ghat * sqrt B + 2 * sigma))
      by (apply Rmult_lt_0_compat; lra).
    nra.
Qed.

(** The rate must be non-negative (E11 and E27 need eta >= 0).  Over eta >= 0 the
    bound's unique minimiser is max(0, eta_opt): eta_opt itself where it is >= 0, and 0
    (no step) where the radius exceeds |ghat|. *)
Lemma eta_opt_constrained (L a rho eta : R) :
  0 < L -> a <> 0 -> 0 <= eta ->
  change L a rho (Rmax 0 (eta_opt L a rho)) <= change L a rho eta /\
  (eta <> Rmax 0 (eta_opt L a rho) ->
   change L a rho (Rmax 0 (eta_opt L a rho)) < change L a rho eta).
Proof.
  intros HL Ha He. rewrite !(change_square L a rho) by lra.
  set (e := eta_opt L a rho). pose proof (sq_pos a Ha).
  assert (HK : 0 < L * a ^ 2 / 2) by (unfold Rdiv; apply Rmult_lt_0_compat; [apply Rmult_lt_0_compat|]; lra).
  unfold Rmax. destruct (Rle_dec 0 e) as [H0|H0].
  - replace (e - e) with 0 by ring.
    split; [assert (0 <= (eta - e) ^ 2) by apply pow2_ge_0; nra|].
    intros Hne. assert (0 < (eta - e) ^ 2) by (apply sq_pos; lra). nra.
  - replace ((0 - e) ^ 2) with (e ^ 2) by ring.
    assert (Hp : e ^ 2 <= (eta - e) ^ 2).
    { assert (0 <= eta * (eta - 2 * e)) by (apply Rmult_le_pos; lra). nra. }
    split; [apply Rplus_le_compat_r, Rmult_le_compat_l; lra|]. intros Hne.
    assert (Hq : e ^ 2 < (eta - e) ^ 2).
    { assert (0 < eta * (eta - 2 * e)) by (apply Rmult_lt_0_compat; lra). nra. }
    apply Rplus_lt_compat_r, Rmult_lt_compat_l; lra.
Qed.

(** E21 with the constraint eta >= 0: max(0, eta*(B)) is the unique minimiser of the
    right side of E11 over eta >= 0; it is eta*(B) exactly on B >= 4 sigmahat^2/ghat^2
    (eta_star_nonneg below, the X4 domain) and 0 elsewhere. *)
Theorem E21_constrained_optimal_rate (L sigma ghat B loss eta : R) :
  0 < L -> ghat <> 0 -> 0 < B -> 0 <= eta ->
  let eta_c := Rmax 0 (eta_star L sigma ghat B) in
  let bound x := loss - x * (Rabs ghat - 2 * sigma / sqrt B) * Rabs ghat + L * x ^ 2 * ghat ^ 2 / 2 in
  0 <= eta_c /\ bound eta_c <= bound eta /\ (eta <> eta_c -> bound eta_c < bound eta).
Proof.
  intros HL Hg HB He eta_c bound. unfold eta_c, bound. rewrite eta_star_eq by assumption.
  destruct (eta_opt_constrained L (Rabs ghat) (2 * sigma / sqrt B) eta HL (Rabs_no_R0 _ Hg) He)
    as [H1 H2].
  unfold change in H1, H2. rewrite abs_sq in H1, H2.
  split; [apply Rmax_l|]. split; [lra|]. intros Hne. specialize (H2 Hne). lra.
Qed.

(** ** Vector case (Appendix II) *)

(** E28 (corrected, X6/X7): with radius [r] (the slides reuse the letter eta
    for it), the rate
       eta(k) = (1/L) (1 - r / (||ghat|| sqrt k))
    minimises the right side of E27. *)
Definition eta_k (L r gnorm k : R) : R := (1 / L) * (1 - r / (gnorm * sqrt k)).

Lemma eta_k_eq (L r gnorm k : R) :
  0 < gnorm -> 0 < k -> eta_k L r gnorm k = eta_opt L gnorm (r / sqrt k).
Proof.
  intros Hg Hk. unfold eta_k, eta_opt.
  assert (0 < sqrt k) by (apply sqrt_lt_R0; exact Hk).
  f_equal. f_equal. field. split; lra.
Qed.

(** X6: the first-order condition with the right sign,
      ||ghat|| (||ghat|| - r/sqrt k) = L eta ||ghat||^2
    (slides: "= - L eta ||ghat||^2"). *)
Theorem E28_first_order_condition (n : nat) (L r k : R) (ghat : vec) :
  0 < L -> 0 < norm n ghat -> 0 < k ->
  norm n ghat * (norm n ghat - r / sqrt k)
  = L * eta_k L r (norm n ghat) k * norm n ghat ^ 2.
Proof.
  intros HL Hg Hk. rewrite eta_k_eq by assumption.
  apply first_order; lra.
Qed.

Theorem E28_optimal_rate_minimises (n : nat) (L r k loss eta : R) (ghat : vec) :
  0 < L -> 0 < norm n ghat -> 0 < k ->
  let e := eta_k L r (norm n ghat) k in
  loss - e * norm n ghat * (norm n ghat - r / sqrt k) + L / 2 * e ^ 2 * norm n ghat ^ 2
  <= loss - eta * norm n ghat * (norm n ghat - r / sqrt k) + L / 2 * eta ^ 2 * norm n ghat ^ 2.
Proof.
  intros HL Hg Hk e. unfold e. rewrite eta_k_eq by assumption.
  pose proof (eta_opt_minimises L (norm n ghat) (r / sqrt k) eta HL ltac:(lra)) as H.
  unfold change in H. lra.
Qed.

(** E28: inserting the optimal rate gives the decrease (L/2) eta^2 ||ghat||^2. *)
Theorem E28_value_at_optimum (n : nat) (L r k loss : R) (ghat : vec) :
  0 < L -> 0 < norm n ghat -> 0 < k ->
  let e := eta_k L r (norm n ghat) k in
  loss - e * norm n ghat * (norm n ghat - r / sqrt k) + L / 2 * e ^ 2 * norm n ghat ^ 2
  = loss - L / 2 * e ^ 2 * norm n ghat ^ 2.
Proof.
  intros HL Hg Hk e. unfold e. rewrite eta_k_eq by assumption.
  pose proof (change_at_opt L (norm n ghat) (r / sqrt k) ltac:(lra) ltac:(lra)) as H.
  unfold change in H. lra.
Qed.

(** E28 with the constraint eta >= 0: max(0, eta(k)) is the unique minimiser of the
    right side of E27 over eta >= 0 (eta(k) itself on r/sqrt k <= ||ghat||). *)
Theorem E28_constrained_optimal_rate (n : nat) (L r k loss eta : R) (ghat : vec) :
  0 < L -> 0 < norm n ghat -> 0 < k -> 0 <= eta ->
  let eta_c := Rmax 0 (eta_k L r (norm n ghat) k) in
  let bound x := loss - x * norm n ghat * (norm n ghat - r / sqrt k)
                 + L / 2 * x ^ 2 * norm n ghat ^ 2 in
  0 <= eta_c /\ bound eta_c <= bound eta /\ (eta <> eta_c -> bound eta_c < bound eta).
Proof.
  intros HL Hg Hk He eta_c bound. unfold eta_c, bound. rewrite eta_k_eq by assumption.
  destruct (eta_opt_constrained L (norm n ghat) (r / sqrt k) eta HL ltac:(lra) He) as [H1 H2].
  unfold change in H1, H2.
  split; [apply Rmax_l|]. split; [lra|]. intros Hne. specialize (H2 Hne). lra.
Qed.
