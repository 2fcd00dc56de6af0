(** * Scaling.v: linear learning-rate scaling (E1..E4, E13; erratum X9).

    Slides:
      E1  eta_B = B eta_1        E2  eta* = B* eta_1
      E3  eta_1 = eta*/B*        E4  eta_B = (B/Bstar) eta*
      E13 eta_B = (B/Bstar) eta* = B ghat^2 / (32 sigmahat^2 L)
    Corrected (X9): E13 is meant for B <= B*.  There eta_B <= eta* = 1/(2L);
    above B* linear scaling exceeds eta*, and from B >= 4 B* on, even the
    exact-gradient version of the descent bound (E10 with ghat = g)
    promises no decrease at all.  The rate should be capped at eta*. *)

From Coq Require Import Reals Lra.
From Quench Require Import OptimalRate OptimalBatch.
Open Scope R_scope.

(** E1..E4: with eta_1 = eta*/B*, eta_B = B eta_1 = (B/Bstar) eta*. *)
Theorem E1_E4_linear_scaling (B Bs eta_s : R) :
  Bs <> 0 ->
  let eta_1 := eta_s / Bs in
  Bs * eta_1 = eta_s /\ B * eta_1 = (B / Bs) * eta_s.
Proof. intros HBs eta_1. unfold eta_1. split; field; exact HBs. Qed.

(** The linear-scaling rate of E13. *)
Definition eta_B (L sigma ghat B : R) : R := (B / B_star sigma ghat) * (1 / (2 * L)).

(** E13: eta_B = (B/Bstar) eta* = B ghat^2/(32 sigmahat^2 L), where eta* is
    the rate at B* (E12). *)
Theorem E13_linear_scaling (L sigma ghat B : R) :
  0 < L -> 0 < sigma -> ghat <> 0 ->
  (B / B_star sigma ghat) * eta_star L sigma ghat (B_star sigma ghat) = eta_B L sigma ghat B
  /\ eta_B L sigma ghat B = B * ghat ^ 2 / (32 * sigma ^ 2 * L).
Proof.
  intros HL Hs Hg. split.
  - unfold eta_B. rewrite E12_rate_at_optimal_batch by assumption. reflexivity.
  - unfold eta_B, B_star. field. repeat split; lra || (apply pow_nonzero; lra) || exact Hg.
Qed.

(** E13 validity range (X9): for B > 0, eta_B <= eta* = 1/(2L) exactly when B <= B*. *)
Theorem E13_validity_range (L sigma ghat B : R) :
  0 < L -> 0 < sigma -> ghat <> 0 -> 0 < B ->
  (eta_B L sigma ghat B <= 1 / (2 * L) <-> B <= B_star sigma ghat).
Proof.
  intros HL Hs Hg HB.
  assert (HBs : 0 < B_star sigma ghat).
  { unfold B_star. apply Rdiv_lt_0_compat.
    - assert (0 < sigma ^ 2) by (apply pow_lt; lra). lra.
    - apply sq_pos; exact Hg. }
  assert (He : 0 < 1 / (2 * L)) by (apply Rdiv_lt_0_compat; lra).
  unfold eta_B. split; intros H.
  - assert (H1 : B / B_star sigma ghat <= 1).
    { apply (Rmult_le_reg_r (1 / (2 * L))); [exact He | lra]. }
    apply (Rmult_le_reg_r (/ B_star sigma ghat)); [apply Rinv_0_lt_compat; lra|].
    rewrite Rinv_r by lra. exact H1.
  - assert (H1 : B / B_star sigma ghat <= 1).
    { apply (Rmult_le_reg_r (B_star sigma ghat)); [lra|].
      unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra. }
    rewrite <- (Rmult_1_l (1 / (2 * L))) at 2.
    apply Rmult_le_compat_r; lra.
Qed.

(** X9: the cap.  min(eta_B, eta_star) is eta_B on B <= B* and eta* above. *)
Theorem E13_capped_rate (L sigma ghat B : R) :
  0 < L -> 0 < sigma -> ghat <> 0 -> 0 < B ->
  Rmin (eta_B L sigma ghat B) (1 / (2 * L))
  = if Rle_dec B (B_star sigma ghat) then eta_B L sigma ghat B else 1 / (2 * L).
Proof.
  intros HL Hs Hg HB.
  pose proof (E13_validity_range L sigma ghat B HL Hs Hg HB) as E.
  destruct (Rle_dec B (B_star sigma ghat)) as [H|H].
  - apply Rmin_left. apply E. exact H.
  - apply Rmin_right. apply Rnot_le_lt in H.
    destruct (Rle_dec (eta_B L sigma ghat B) (1 / (2 * L))) as [H1|H1].
    + apply E in H1. lra.
    + lra.
Qed.

(** X9: beyond the range.  For B >= 4 B*, eta_B >= 2/L, and the descent
    bound (E10) with the exact gradient, -eta g^2 + (L/2) eta^2 g^2, is
    then >= 0: the guarantee promises no decrease. *)
Theorem E13_no_guarantee_beyond_range (L sigma ghat B g : R) :
  0 < L -> 0 < sigma -> ghat <> 0 -> 4 * B_star sigma ghat <= B ->
  let e := eta_B L sigma ghat B in
  0 <= - e * g ^ 2 + L / 2 * e ^ 2 * g ^ 2.
Proof.
  intros HL Hs Hg HB e.
  assert (HBs : 0 < B_star sigma ghat).
  { unfold B_star. apply Rdiv_lt_0_compat.
    - assert (0 < sigma ^ 2) by (apply pow_lt; lra). lra.
    - apply sq_pos; exact Hg. }
  assert (He : 2 / L <= e).
  { unfold e, eta_B.
    assert (H4 : 4 <= B / B_star sigma ghat).
    { apply (Rmult_le_reg_r (B_star sigma ghat)); [lra|].
      unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra. }
    replace (2 / L) with (4 * (1 / (2 * L))) by (field; lra).
    apply Rmult_le_compat_r; [|exact H4]. left; apply Rdiv_lt_0_compat; lra. }
  assert (HeL : 2 <= L * e).
  { apply (Rmult_le_compat_l L) in He; [|lra]. replace (L * (2 / L)) with 2 in He by (field; lra). exact He. }
  assert (0 <= g ^ 2) by apply pow2_ge_0.
  assert (0 <= e) by (assert (0 < 2 / L) by (apply Rdiv_lt_0_compat; lra); lra).
  clearbody e.
  assert (E : - e * g ^ 2 + L / 2 * e ^ 2 * g ^ 2 = e * g ^ 2 * (L * e - 2) * / 2) by field.
  rewrite E.
  apply Rmult_le_pos; [|lra]. apply Rmult_le_pos; [apply Rmult_le_pos|]; lra.
Qed.
