(** * RunningAverage.v: the running averages of E15/E16 and erratum X8.

    Slides (E15, E16, E19):
      gt^{t+1} = (1 - B/B*(t)) gt^t + (B/B*(t)) ghat^{t+1}
      st^{t+1} = (1 - B/B*(t)) st^t + (B/B*(t)) (ghat^{t+1})^2
      sigmat^t = sqrt(st^t - (gt^t)^2)
    With the weight [w = B/B*] the variance estimate [st - gt^2] obeys an
    exact update identity (X8).  It stays non-negative when [w] is in [0,1];
    with [w > 1] (possible when [B* < B], the slides do not clamp) it can go
    negative, and [sigmat] is then the square root of a negative number. *)

From Coq Require Import Reals Lra.
Open Scope R_scope.

(** One step of the two exponential moving averages with weight [w]. *)
Definition avg_g (w gt ghat : R) : R := (1 - w) * gt + w * ghat.
Definition avg_s (w st ghat : R) : R := (1 - w) * st + w * ghat ^ 2.

(** X8 identity:
    st' - gt'^2 = (1 - w)(st - gt^2) + w (1 - w)(gt - ghat)^2. *)
Theorem X8_variance_update_identity (w gt st ghat : R) :
  avg_s w st ghat - (avg_g w gt ghat) ^ 2
  = (1 - w) * (st - gt ^ 2) + w * (1 - w) * (gt - ghat) ^ 2.
Proof. unfold avg_s, avg_g. ring. Qed.

(** X8: with a clamped weight [0 <= w <= 1] the variance estimate stays
    non-negative, step after step. *)
Theorem X8_nonneg (w gt st ghat : R) :
  0 <= w <= 1 -> gt ^ 2 <= st ->
  0 <= avg_s w st ghat - (avg_g w gt ghat) ^ 2.
Proof.
  intros Hw Hs. rewrite X8_variance_update_identity.
  assert (0 <= (gt - ghat) ^ 2) by apply pow2_ge_0.
  assert (0 <= 1 - w) by lra.
  assert (0 <= (1 - w) * (st - gt ^ 2)) by (apply Rmult_le_pos; lra).
  assert (0 <= w * (1 - w) * (gt - ghat) ^ 2).
  { apply Rmult_le_pos; [apply Rmult_le_pos|]; lra. }
  lra.
Qed.

(** The clamped rule of docs/spec.md, step 1: [w = min(1, B/Bstar)]. *)
Definition clamped_weight (B Bstar : R) : R := Rmin 1 (B / Bstar).

Lemma clamped_weight_range (B Bstar : R) :
  0 <= B -> 0 < Bstar -> 0 <= clamped_weight B Bstar <= 1.
Proof.
  intros HB HBs. unfold clamped_weight. split.
  - apply Rmin_glb; [lra|]. unfold Rdiv. apply Rmult_le_pos; [lra|].
    left. apply Rinv_0_lt_compat. exact HBs.
  - apply Rmin_l.
Qed.

(** Hence with the clamp the estimate stays non-negative for every step. *)
Corollary X8_nonneg_clamped (B Bstar gt st ghat : R) :
  0 <= B -> 0 < Bstar -> gt ^ 2 <= st ->
  let w := clamped_weight B Bstar in
  0 <= avg_s w st ghat - (avg_g w gt ghat) ^ 2.
Proof.
  intros HB HBs Hs w. apply X8_nonneg; [apply clamped_weight_range|]; assumption.
Qed.

(** X8 counterexample, the unclamped slide rule with [B = 2], [B*(t) = 1]
    (so [w = B/B* = 2 > 1]), starting from a valid state [gt = st = 0]
    (variance 0) and receiving [ghat = 1]: then [gt' = 2], [st' = 2] and
    [st' - gt'^2 = -2 < 0]; [sigmat = sqrt(-2)] is undefined. *)
Theorem X8_counterexample :
  let B := 2 in let Bstar := 1 in let w := B / Bstar in
  let gt := 0 in let st := 0 in let ghat := 1 in
  gt ^ 2 <= st /\ w > 1 /\
  avg_s w st ghat - (avg_g w gt ghat) ^ 2 = -2 /\
  avg_s w st ghat - (avg_g w gt ghat) ^ 2 < 0.
Proof.
  cbv zeta. unfold avg_s, avg_g. repeat split; field_simplify; lra.
Qed.

(** The same failure for every [w > 1]: whenever the new gradient differs
    from the current average and the old estimate is exactly 0, the new
    estimate is negative. *)
Theorem X8_negative_for_every_w_gt_1 (w gt ghat : R) :
  w > 1 -> gt <> ghat ->
  avg_s w (gt ^ 2) ghat - (avg_g w gt ghat) ^ 2 < 0.
Proof.
  intros Hw Hne. rewrite X8_variance_update_identity.
  replace (gt ^ 2 - gt ^ 2) with 0 by ring.
  assert (0 < (gt - ghat) ^ 2).
  { assert (gt - ghat <> 0) by lra. nra. }
  assert (w * (1 - w) < 0) by nra.
  nra.
Qed.

(** X14, one step: a weight of exactly 1 (the clamp reached) sets the estimate to
    [st' - gt'^2 = 0] whatever the previous state.  This is a one-step identity; that
    the state is then absorbing for every later gradient (and that max_weight < 1 removes
    it) is proved over all runs of the algorithm in Algorithm.v
    ([X14_clamp_alone_absorbing], [X14_no_absorbing_state]). *)
Theorem X14_one_step_weight_one_zero_variance (gt st ghat : R) :
  avg_s 1 st ghat - (avg_g 1 gt ghat) ^ 2 = 0.
Proof. unfold avg_s, avg_g. ring. Qed.

(** X15, one step: from the zero initial state, one step with gradient [x] leaves the
    spurious variance [w (1 - w) x^2] although no spread has been seen.  A one-step
    identity of the uncorrected averages; that bias correction removes it exactly for
    constant gradients in every run is Algorithm.v's [X15_constant_gradients_exact]. *)
Theorem X15_one_step_zero_init_spurious_variance (w x : R) :
  avg_s w 0 x - (avg_g w 0 x) ^ 2 = w * (1 - w) * x ^ 2.
Proof. unfold avg_s, avg_g. ring. Qed.
