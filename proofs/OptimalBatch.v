(** * OptimalBatch.v: the optimal batch size (E23, E12, X4; E29, X7).

    Slide (appendix "Optimizing B"):
      eta*(B)^2 / B = (1/L^2) (1/sqrt B - 2 sigmahat/(ghat B))^2
      0 = -(1/2) B^(-3/2) + (2 sigmahat/ghat) B^(-2)
      B* = 16 sigmahat^2 / ghat^2,      eta*(Bstar) = eta* = 1/(2L)
    Corrected (X4): the maximisation of eta*(B)^2/B only makes sense on the
    domain B >= 4 sigmahat^2/ghat^2 where eta*(B) >= 0; on all of B > 0 the
    ratio is unbounded as B -> 0.  The vector case (E29) is the same
    computation with 2 sigmahat/|ghat| replaced by r/||ghat||.

    Everything goes through the generic rate [(1/L)(1 - c/sqrt B)] with
    [c = 2 sigmahat/|ghat|] (1-D) or [c = r/||ghat||] (vector). *)

From Coq Require Import Reals Lra.
From Quench Require Import Vectors OptimalRate.
Open Scope R_scope.

(** ** Generic computation with [c > 0] *)

Definition eta_c (L c B : R) : R := (1 / L) * (1 - c / sqrt B).
Definition pps_c (L c B : R) : R := eta_c L c B ^ 2 / B.

Lemma pps_c_s (L c B : R) :
  0 < B -> L <> 0 ->
  pps_c L c B = ((sqrt B - c) / (L * sqrt B ^ 2)) ^ 2.
Proof.
  intros HB HL. unfold pps_c, eta_c.
  assert (Hs : 0 < sqrt B) by (apply sqrt_lt_R0; exact HB).
  assert (HsB : sqrt B * sqrt B = B) by (apply sqrt_sqrt; lra).
  set (s := sqrt B) in *. rewrite <- HsB. field. split; lra.
Qed.

Lemma sqrt_sq (x : R) : 0 <= x -> sqrt (x ^ 2) = x.
Proof. intros H. apply sqrt_pow2. exact H. Qed.

(** The value at [B = 4 c^2]. *)
Lemma eta_c_at_opt (L c : R) : 0 < L -> 0 < c -> eta_c L c (4 * c ^ 2) = 1 / (2 * L).
Proof.
  intros HL Hc. unfold eta_c.
  replace (4 * c ^ 2) with ((2 * c) ^ 2) by ring.
  rewrite sqrt_sq by lra. field. lra.
Qed.

Lemma pps_c_at_opt (L c : R) :
  0 < L -> 0 < c -> pps_c L c (4 * c ^ 2) = (1 / (4 * c * L)) ^ 2.
Proof.
  intros HL Hc. rewrite pps_c_s by (try apply Rmult_lt_0_compat; try apply pow_lt; lra).
  replace (4 * c ^ 2) with ((2 * c) ^ 2) by ring.
  rewrite sqrt_sq by lra. field. lra.
Qed.

(** On [sqrt B >= c] the quantity [(sqrt B - c)/(L B)] lies in
    [[0, 1/(4 c L)]], with the upper end reached only at [sqrt B = 2c]. *)
Lemma key_bound (L c s : R) :
  0 < L -> 0 < c -> c <= s ->
  0 <= (s - c) / (L * s ^ 2) <= 1 / (4 * c * L).
Proof.
  intros HL Hc Hs.
  assert (Hs2 : 0 < s ^ 2) by (apply pow_lt; lra).
  assert (Hd : 0 < L * s ^ 2) by nra.
  split.
  - unfold Rdiv. apply Rmult_le_pos; [lra|]. left; apply Rinv_0_lt_compat; lra.
  - (* 4 c (s - c) <= s^2, i.e. (s - 2c)^2 >= 0 *)
    assert (H : 4 * c * (s - c) <= s ^ 2).
    { assert (0 <= (s - 2 * c) ^ 2) by apply pow2_ge_0. nra. }
    apply (Rmult_le_reg_r (L * s ^ 2 * (4 * c * L))).
    + apply Rmult_lt_0_compat; [lra|]. apply Rmult_lt_0_compat; lra.
    + field_simplify; [|lra|lra]. nra.
Qed.

Lemma key_bound_strict (L c s : R) :
  0 < L -> 0 < c -> c <= s -> s <> 2 * c ->
  (s - c) / (L * s ^ 2) < 1 / (4 * c * L).
Proof.
  intros HL Hc Hs Hne.
  assert (Hs2 : 0 < s ^ 2) by (apply pow_lt; lra).
  assert (H : 4 * c * (s - c) < s ^ 2).
  { assert (0 < (s - 2 * c) ^ 2) by (apply sq_pos; lra). nra. }
  assert (Hd : 0 < L * s ^ 2) by nra.
  apply (Rmult_lt_reg_r (L * s ^ 2 * (4 * c * L))).
  - apply Rmult_lt_0_compat; [lra|]. apply Rmult_lt_0_compat; lra.
  - field_simplify; [|lra|lra]. nra.
Qed.

Lemma domain_sqrt (c B : R) : 0 < c -> 0 < B -> (c ^ 2 <= B <-> c <= sqrt B).
Proof.
  intros Hc HB. split; intros H.
  - rewrite <- (sqrt_sq c) by lra. apply sqrt_le_1_alt. exact H.
  - assert (Hs : sqrt B * sqrt B = B) by (apply sqrt_sqrt; lra). nra.
Qed.

Lemma pps_c_max (L c B : R) :
  0 < L -> 0 < c -> c ^ 2 <= B -> pps_c L c B <= pps_c L c (4 * c ^ 2).
Proof.
  intros HL Hc HB.
  assert (HB0 : 0 < B) by nra.
  rewrite pps_c_at_opt by assumption. rewrite pps_c_s by lra.
  apply domain_sqrt in HB; [|assumption|assumption].
  destruct (key_bound L c (sqrt B) HL Hc HB) as [H0 H1].
  apply pow_incr. split; assumption.
Qed.

Lemma pps_c_max_unique (L c B : R) :
  0 < L -> 0 < c -> c ^ 2 <= B -> B <> 4 * c ^ 2 ->
  pps_c L c B < pps_c L c (4 * c ^ 2).
Proof.
  intros HL Hc HB Hne.
  assert (HB0 : 0 < B) by nra.
  rewrite pps_c_at_opt by assumption. rewrite pps_c_s by lra.
  apply domain_sqrt in HB; [|assumption|assumption].
  assert (Hs : sqrt B <> 2 * c).
  { intros E. apply Hne. rewrite <- (sqrt_sqrt B) by lra. rewrite E. ring. }
  destruct (key_bound L c (sqrt B) HL Hc HB) as [H0 _].
  pose proof (key_bound_strict L c (sqrt B) HL Hc HB Hs) as H1.
  assert (0 < 1 / (4 * c * L)) by (apply Rdiv_lt_0_compat; nra).
  nra.
Qed.

(** Unbounded without the domain: for every M some B > 0 beats it. *)
Lemma pps_c_unbounded (L c : R) :
  0 < L -> 0 < c -> forall M, exists B, 0 < B /\ pps_c L c B > M.
Proof.
  intros HL Hc M.
  set (K := Rabs M + 1 + 2 / (L * c)).
  assert (HLc : 0 < L * c) by nra.
  assert (HK2 : 2 / (L * c) > 0) by (apply Rdiv_lt_0_compat; lra).
  assert (HK : 1 <= K) by (unfold K; pose proof (Rabs_pos M); lra).
  assert (HKM : M < K) by (unfold K; pose proof (Rle_abs M); lra).
  set (B := c / (2 * L * K)).
  assert (HB : 0 < B) by (unfold B; apply Rdiv_lt_0_compat; nra).
  exists B. split; [exact HB|].
  rewrite pps_c_s by lra.
  assert (Hs : 0 < sqrt B) by (apply sqrt_lt_R0; exact HB).
  assert (HsB : sqrt B ^ 2 = B) by (simpl; rewrite Rmult_1_r; apply sqrt_sqrt; lra).
  rewrite HsB.
  (* sqrt B <= c/2 because B <= c^2/4 *)
  assert (HLKc : 2 <= L * K * c).
  { unfold K. assert (E : L * (Rabs M + 1 + 2 / (L * c)) * c
                           = L * c * (Rabs M + 1) + 2) by (field; lra).
    rewrite E. pose proof (Rabs_pos M). nra. }
  assert (HBc : B <= c ^ 2 / 4).
  { unfold B. apply (Rmult_le_reg_r (2 * L * K)); [nra|].
    field_simplify; [|lra]. nra. }
  assert (Hsc : sqrt B <= c / 2) by nra.
  set (q := (sqrt B - c) / (L * B)).
  assert (Hq : q * (L * B) = sqrt B - c) by (unfold q; field; nra).
  assert (HLB : L * B = c / (2 * K)) by (unfold B; field; nra).
  assert (Hq2 : q <= - K).
  { rewrite HLB in Hq.
    assert (Hqc : q * c = 2 * K * (sqrt B - c)) by (rewrite <- Hq; field; lra).
    assert (Hqc2 : q * c <= - K * c) by nra.
    apply (Rmult_le_reg_r c); [exact Hc | exact Hqc2]. }
  assert (K * K <= q ^ 2) by nra.
  nra.
Qed.

(** ** One dimension: E23, E12, X4 *)

(** Progress per sample, the slide's eta*(B)^2 / B. *)
Definition progress_per_sample (L sigma ghat B : R) : R :=
  eta_star L sigma ghat B ^ 2 / B.

(** E12: B* = 16 sigmahat^2 / ghat^2. *)
Definition B_star (sigma ghat : R) : R := 16 * sigma ^ 2 / ghat ^ 2.

Lemma eta_star_c (L sigma ghat B : R) :
  ghat <> 0 -> eta_star L sigma ghat B = eta_c L (2 * sigma / Rabs ghat) B.
Proof.
  intros Hg. unfold eta_star, eta_c.
  assert (Rabs ghat <> 0) by (apply Rabs_no_R0; exact Hg).
  destruct (Req_dec (sqrt B) 0) as [H0|H0].
  - rewrite H0, Rmult_0_r. unfold Rdiv. rewrite !Rinv_0. ring.
  - f_equal. f_equal. field. split; assumption.
Qed.

Lemma pps_eq (L sigma ghat B : R) :
  ghat <> 0 -> progress_per_sample L sigma ghat B = pps_c L (2 * sigma / Rabs ghat) B.
Proof. intros Hg. unfold progress_per_sample, pps_c. rewrite eta_star_c by exact Hg. reflexivity. Qed.

Lemma c_sq (sigma ghat : R) : ghat <> 0 -> (2 * sigma / Rabs ghat) ^ 2 = 4 * sigma ^ 2 / ghat ^ 2.
Proof.
  intros Hg. assert (Rabs ghat <> 0) by (apply Rabs_no_R0; exact Hg).
  rewrite <- (abs_sq ghat). field. exact H.
Qed.

Lemma B_star_c (sigma ghat : R) :
  ghat <> 0 -> B_star sigma ghat = 4 * (2 * sigma / Rabs ghat) ^ 2.
Proof. intros Hg. unfold B_star. rewrite c_sq by exact Hg. field. exact Hg. Qed.

Lemma c_pos (sigma ghat : R) : 0 < sigma -> ghat <> 0 -> 0 < 2 * sigma / Rabs ghat.
Proof. intros Hs Hg. apply Rdiv_lt_0_compat; [lra | apply Rabs_pos_lt; exact Hg]. Qed.

(** E23, the slide's formula for the ratio (with |ghat|, X3). *)
Theorem E23_ratio_formula (L sigma ghat B : R) :
  0 < L -> ghat <> 0 -> 0 < B ->
  progress_per_sample L sigma ghat B
  = (1 / L ^ 2) * (1 / sqrt B - 2 * sigma / (Rabs ghat * B)) ^ 2.
Proof.
  intros HL Hg HB. unfold progress_per_sample, eta_star.
  assert (Hs : 0 < sqrt B) by (apply sqrt_lt_R0; exact HB).
  assert (HsB : sqrt B * sqrt B = B) by (apply sqrt_sqrt; lra).
  assert (Rabs ghat <> 0) by (apply Rabs_no_R0; exact Hg).
  set (s := sqrt B) in *. rewrite <- HsB. field. repeat split; lra.
Qed.

(** E23, the slide's first-order condition holds at B*:
      0 = -(1/2) B^(-3/2) + (2 sigmahat/|ghat|) B^(-2). *)
Theorem E23_first_order_condition (sigma ghat : R) :
  0 < sigma -> ghat <> 0 ->
  let B := B_star sigma ghat in
  0 = - (1 / 2) / (B * sqrt B) + (2 * sigma / Rabs ghat) / B ^ 2.
Proof.
  intros Hs Hg B. unfold B. rewrite B_star_c by exact Hg.
  pose proof (c_pos sigma ghat Hs Hg) as Hc.
  set (c := 2 * sigma / Rabs ghat) in *.
  replace (4 * c ^ 2) with ((2 * c) ^ 2) by ring.
  rewrite sqrt_sq by lra. field. lra.
Qed.

(** B* lies in the domain. *)
Lemma B_star_in_domain (sigma ghat : R) :
  ghat <> 0 -> 4 * sigma ^ 2 / ghat ^ 2 <= B_star sigma ghat.
Proof.
  intros Hg. unfold B_star.
  assert (0 < ghat ^ 2) by (apply sq_pos; exact Hg).
  assert (0 <= sigma ^ 2 / ghat ^ 2)
    by (unfold Rdiv; apply Rmult_le_pos; [apply pow2_ge_0 | left; apply Rinv_0_lt_compat; lra]).
  unfold Rdiv in *. lra.
Qed.

(** E23 + X4: on the domain B >= 4 sigmahat^2/ghat^2, B* = 16 sigmahat^2/ghat^2
    is the global maximiser of eta*(B)^2/B ... *)
Theorem E23_optimal_batch (L sigma ghat B : R) :
  0 < L -> 0 < sigma -> ghat <> 0 ->
  4 * sigma ^ 2 / ghat ^ 2 <= B ->
  progress_per_sample L sigma ghat B <= progress_per_sample L sigma ghat (B_star sigma ghat).
Proof.
  intros HL Hs Hg HB. rewrite !pps_eq by exact Hg. rewrite B_star_c by exact Hg.
  apply pps_c_max; [exact HL | apply c_pos; assumption |].
  rewrite c_sq by exact Hg. exact HB.
Qed.

(** ... and the only one. *)
Theorem E23_optimal_batch_unique (L sigma ghat B : R) :
  0 < L -> 0 < sigma -> ghat <> 0 ->
  4 * sigma ^ 2 / ghat ^ 2 <= B -> B <> B_star sigma ghat ->
  progress_per_sample L sigma ghat B < progress_per_sample L sigma ghat (B_star sigma ghat).
Proof.
  intros HL Hs Hg HB Hne. rewrite !pps_eq by exact Hg. rewrite B_star_c in * by exact Hg.
  apply pps_c_max_unique; [exact HL | apply c_pos; assumption | | exact Hne].
  rewrite c_sq by exact Hg. exact HB.
Qed.

(** E12: eta*(Bstar) = eta* = 1/(2L). *)
Theorem E12_rate_at_optimal_batch (L sigma ghat : R) :
  0 < L -> 0 < sigma -> ghat <> 0 ->
  eta_star L sigma ghat (B_star sigma ghat) = 1 / (2 * L).
Proof.
  intros HL Hs Hg. rewrite eta_star_c by exact Hg. rewrite B_star_c by exact Hg.
  apply eta_c_at_opt; [exact HL | apply c_pos; assumption].
Qed.

(** X4: without the domain the supremum is unbounded: for every M there is
    a batch size B > 0 (small, where eta*(B) < 0) with eta*(B)^2/B > M. *)
Theorem X4_unbounded_without_domain (L sigma ghat : R) :
  0 < L -> 0 < sigma -> ghat <> 0 ->
  forall M, exists B, 0 < B /\ progress_per_sample L sigma ghat B > M.
Proof.
  intros HL Hs Hg M.
  destruct (pps_c_unbounded L (2 * sigma / Rabs ghat) HL (c_pos sigma ghat Hs Hg) M)
    as [B [HB H]].
  exists B. split; [exact HB|]. rewrite pps_eq by exact Hg. exact H.
Qed.

(** ** Vector case: E29 and X7 *)

(** E29: k* = (2 r/||ghat||)^2 *)
Definition k_star (r gnorm : R) : R := (2 * r / gnorm) ^ 2.

Lemma eta_k_c (L r gnorm k : R) :
  0 < gnorm -> eta_k L r gnorm k = eta_c L (r / gnorm) k.
Proof.
  intros Hg. unfold eta_k, eta_c.
  destruct (Req_dec (sqrt k) 0) as [H0|H0].
  - rewrite H0, Rmult_0_r. unfold Rdiv. rewrite !Rinv_0. ring.
  - f_equal. f_equal. field. lra.
Qed.

(** E29: on k >= r^2/||ghat||^2 (where eta(k) >= 0), k* maximises
    eta(k)^2/k ... *)
Theorem E29_optimal_sample_size (n : nat) (L r k : R) (ghat : vec) :
  0 < L -> 0 < r -> 0 < norm n ghat ->
  r ^ 2 / norm n ghat ^ 2 <= k ->
  let gn := norm n ghat in
  eta_k L r gn k ^ 2 / k <= eta_k L r gn (k_star r gn) ^ 2 / k_star r gn.
Proof.
  intros HL Hr Hg Hk gn. unfold gn.
  rewrite !eta_k_c by exact Hg.
  replace (k_star r (norm n ghat)) with (4 * (r / norm n ghat) ^ 2)
    by (unfold k_star; field; lra).
  apply (pps_c_max L (r / norm n ghat)); [exact HL | apply Rdiv_lt_0_compat; lra |].
  replace ((r / norm n ghat) ^ 2) with (r ^ 2 / norm n ghat ^ 2) by (field; lra).
  exact Hk.
Qed.

(** E29, uniqueness (as E23's): on the domain k >= r^2/||ghat||^2 every other sample
    size gives strictly less progress per sample than k*. *)
Theorem E29_optimal_sample_size_unique (n : nat) (L r k : R) (ghat : vec) :
  0 < L -> 0 < r -> 0 < norm n ghat ->
  r ^ 2 / norm n ghat ^ 2 <= k -> k <> k_star r (norm n ghat) ->
  let gn := norm n ghat in
  eta_k L r gn k ^ 2 / k < eta_k L r gn (k_star r gn) ^ 2 / k_star r gn.
Proof.
  intros HL Hr Hg Hk Hne gn. unfold gn.
  rewrite !eta_k_c by exact Hg.
  assert (Ek : k_star r (norm n ghat) = 4 * (r / norm n ghat) ^ 2)
    by (unfold k_star; field; lra).
  rewrite Ek in *.
  apply (pps_c_max_unique L (r / norm n ghat)); [exact HL | apply Rdiv_lt_0_compat; lra | | exact Hne].
  replace ((r / norm n ghat) ^ 2) with (r ^ 2 / norm n ghat ^ 2) by (field; lra).
  exact Hk.
Qed.

(** ... with eta(kstar) = 1/(2L). *)
Theorem E29_rate_at_optimal_sample_size (n : nat) (L r : R) (ghat : vec) :
  0 < L -> 0 < r -> 0 < norm n ghat ->
  eta_k L r (norm n ghat) (k_star r (norm n ghat)) = 1 / (2 * L).
Proof.
  intros HL Hr Hg. rewrite eta_k_c by exact Hg.
  replace (k_star r (norm n ghat)) with (4 * (r / norm n ghat) ^ 2)
    by (unfold k_star; field; lra).
  apply eta_c_at_opt; [exact HL | apply Rdiv_lt_0_compat; lra].
Qed.

(** X7: the slides' "k = (22 sigmahat/||ghat||)^2" is (2 * 2 sigmahat/||ghat||)^2:
    with the 1-D radius r = 2 sigmahat, k* is E12's B* = 16 sigmahat^2/||ghat||^2. *)
Theorem X7_k_star_is_B_star (sigma gnorm : R) :
  0 < gnorm -> k_star (2 * sigma) gnorm = 16 * sigma ^ 2 / gnorm ^ 2.
Proof. intros Hg. unfold k_star. field. lra. Qed.
