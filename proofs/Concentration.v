(** * Concentration.v: the concentration bound E26, proved in the finite product model.

    Slide (Appendix II, corrected by X5):
      if ||g_n - g|| <= b with probability 1 and the g_n are i.i.d., then
      with probability at least 1 - delta over the sample of size k,
         ||ghat - g|| <= r / sqrt k,     r = b (1 + sqrt(2 ln(1/delta))).
    (The slides bound each coordinate, |(g_n)_i - g_i| <= b; that is false,
    see Counterexample.v, X5.  The slides also call the radius eta, X7.)

    Model.  The law of one per-example gradient g_n is a finite
    distribution: value [v j] with probability [p j], j < m.  A sample of
    size k is an index tuple [s] (draw t is [v (s t)], t < k), and the
    expectation over k independent draws is the iterated finite sum [Ek].

    Proved here, with no hypothesis beyond the slides' premises (the
    Section's [p_nonneg], [p_sum], [bounded]): the mean's bounded differences
    2b/k, Jensen's E||X|| <= sqrt(E||X||^2) for a finite distribution, the
    second moment E||ghat - g||^2 <= b^2/k of the mean of k i.i.d. draws
    (independence of different draws in the model [Ek]), the algebra that
    assembles the radius, and McDiarmid's bounded-differences inequality for
    the product distribution ([E26_mcdiarmid]: Hoeffding's lemma of
    Hoeffding.v for one draw at a time along the Doob steps of [Ek], induction
    on the number of draws, a Chernoff step).  From them, E26 with the slides'
    radius b (1 + sqrt(2 ln(1/delta))) ([E26_concentration]) and with the
    elementary Chebyshev radius b/sqrt(delta k) ([E26_chebyshev], which needs
    only the second moment). *)

From Coq Require Import Reals Lra Lia.
From Quench Require Import Vectors Hoeffding.
Open Scope R_scope.

Section Concentration.

(** The distribution of one per-example gradient g_n in R^d. *)
Variable d : nat.
Variable m : nat.
Variable p : nat -> R.
Variable v : nat -> vec.
Hypothesis p_nonneg : forall j, (j < m)%nat -> 0 <= p j.
Hypothesis p_sum : sum m p = 1.

(** The true gradient g = E_n g_n. *)
Definition mean_grad : vec := fun i => sum m (fun j => p j * v j i).

(** Sample size k, and the minibatch mean ghat = (1/k) sum_t g_{n_t}. *)
Variable k : nat.
Definition ghat (s : nat -> nat) : vec := fun i => / INR k * sum k (fun t => v (s t) i).

(** Expectation over k independent draws:
      Ek k F = sum_{j_0 < m} p j_0 ... sum_{j_(k-1) < m} p j_(k-1) F (j_0, ..., j_(k-1)). *)
Definition upd (s : nat -> nat) (t j : nat) : nat -> nat :=
  fun i => if Nat.eqb i t then j else s i.

Fixpoint Ek (n : nat) (F : (nat -> nat) -> R) : R :=
  match n with
  | O => F (fun _ => O)
  | S n' => Ek n' (fun s => sum m (fun j => p j * F (upd s n' j)))
  end.

(** Probability that [X <= a] (an indicator's expectation). *)
Definition Pr_le (X : (nat -> nat) -> R) (a : R) : R :=
  Ek k (fun s => if Rle_dec (X s) a then 1 else 0).

(** ** Expectation: linearity, constants, monotonicity *)

Lemma Ek_ext n F G : (forall s, F s = G s) -> Ek n F = Ek n G.
Proof.
  revert F G. induction n as [|n IH]; intros F G H; simpl; [apply H|].
  apply IH. intros s. apply sum_ext. intros j Hj. rewrite H. reflexivity.
Qed.

Lemma Ek_plus n F G : Ek n (fun s => F s + G s) = Ek n F + Ek n G.
Proof.
  revert F G. induction n as [|n IH]; intros F G; simpl; [reflexivity|].
  rewrite <- IH. apply Ek_ext. intros s. rewrite <- sum_plus.
  apply sum_ext. intros. ring.
Qed.

Lemma Ek_scal n c F : Ek n (fun s => c * F s) = c * Ek n F.
Proof.
  revert F. induction n as [|n IH]; intros F; simpl; [reflexivity|].
  rewrite <- IH. apply Ek_ext. intros s. rewrite <- sum_scal.
  apply sum_ext. intros. ring.
Qed.

Lemma Ek_const n c : Ek n (fun _ => c) = c.
Proof.
  induction n as [|n IH]; simpl; [reflexivity|].
  transitivity (Ek n (fun _ => c)); [|exact IH]. apply Ek_ext. intros s.
  rewrite (sum_ext m _ (fun j => c * p j)) by (intros; ring).
  rewrite sum_scal, p_sum. ring.
Qed.

Lemma Ek_mono n F G : (forall s, F s <= G s) -> Ek n F <= Ek n G.
Proof.
  revert F G. induction n as [|n IH]; intros F G H; simpl; [apply H|].
  apply IH. intros s. apply sum_le. intros j Hj.
  apply Rmult_le_compat_l; [apply p_nonneg; exact Hj | apply H].
Qed.

Lemma pow_lt_compat_l_local (x y : R) : 0 <= x -> x < y -> x ^ 2 < y ^ 2.
Proof. intros Hx Hxy. nra. Qed.

(** ** Jensen for a finite distribution: E X <= sqrt(E X^2) *)

Theorem E26_jensen n (X : (nat -> nat) -> R) :
  Ek n X <= sqrt (Ek n (fun s => X s ^ 2)).
Proof.
  set (mu := Ek n X).
  assert (H0 : 0 <= Ek n (fun s => (X s - mu) ^ 2)).
  { rewrite <- (Ek_const n 0). apply Ek_mono. intros. apply pow2_ge_0. }
  assert (E : Ek n (fun s => (X s - mu) ^ 2)
              = Ek n (fun s => X s ^ 2) - mu ^ 2).
  { rewrite (Ek_ext n _ (fun s => X s ^ 2 + ((-2 * mu) * X s + mu ^ 2)))
      by (intros; ring).
    rewrite Ek_plus, Ek_plus, Ek_scal, Ek_const. fold mu. ring. }
  rewrite E in H0.
  apply (Rle_trans _ (Rabs mu)); [apply Rle_abs|].
  rewrite <- sqrt_Rsqr_abs. apply sqrt_le_1_alt. rewrite Rsqr_pow2. lra.
Qed.

(** ** Bounded differences of ||ghat - g|| *)

Variable b : R.
(** The corrected (X5) hypothesis: the Euclidean norm, for every support point. *)
Hypothesis bounded : forall j, (j < m)%nat -> norm d (vsub (v j) mean_grad) <= b.

Lemma sum_single n f t :
  (t < n)%nat -> (forall i, (i < n)%nat -> i <> t -> f i = 0) -> sum n f = f t.
Proof.
  revert t. induction n as [|n IH]; intros t Ht H; [lia|]. simpl.
  destruct (Nat.eq_dec t n) as [E|E].
  - subst. rewrite (sum_ext n f (fun _ => 0)) by (intros; apply H; lia).
    rewrite sum_const0. ring.
  - rewrite (IH t) by (lia || (intros; apply H; lia)). rewrite (H n) by lia. ring.
Qed.

Lemma ghat_diff (s s' : nat -> nat) (t : nat) :
  (t < k)%nat -> (forall l, l <> t -> s l = s' l) ->
  forall i, vsub (ghat s) (ghat s') i = vscale (/ INR k) (vsub (v (s t)) (v (s' t))) i.
Proof.
  intros Ht Hs i. unfold vsub, vscale, ghat.
  rewrite <- Rmult_minus_distr_l. f_equal.
  rewrite <- sum_minus.
  rewrite (sum_single k (fun l => v (s l) i - v (s' l) i) t Ht); [reflexivity|].
  intros l Hl Hne. rewrite Hs by exact Hne. ring.
Qed.

(** The norm of the estimation error, Z(s) = ||ghat - g||. *)
Definition err (s : nat -> nat) : R := norm d (vsub (ghat s) mean_grad).

(** E26, bounded differences: changing one draw moves ||ghat - g|| by at
    most 2b/k. *)
Theorem E26_bounded_differences (s s' : nat -> nat) (t : nat) :
  (0 < k)%nat -> (t < k)%nat -> (s t < m)%nat -> (s' t < m)%nat ->
  (forall l, l <> t -> s l = s' l) ->
  Rabs (err s - err s') <= 2 * b / INR k.
Proof.
  intros Hk Ht Hst Hst' Hs.
  assert (Hkpos : 0 < INR k) by (apply lt_0_INR; exact Hk).
  assert (Hdiff : norm d (vsub (ghat s) (ghat s')) <= 2 * b / INR k).
  { rewrite (norm_ext d _ _ (fun i _ => ghat_diff s s' t Ht Hs i)).
    rewrite norm_scale, Rabs_right
      by (left; apply Rinv_0_lt_compat; exact Hkpos).
    pose proof (norm_sub_triangle d (v (s t)) mean_grad (v (s' t))) as T.
    rewrite (norm_sub_comm d mean_grad (v (s' t))) in T.
    pose proof (bounded (s t) Hst). pose proof (bounded (s' t) Hst').
    assert (H2 : norm d (vsub (v (s t)) (v (s' t))) <= 2 * b) by lra.
    replace (2 * b / INR k) with (/ INR k * (2 * b)) by (field; lra).
    apply Rmult_le_compat_l; [|exact H2].
    left; apply Rinv_0_lt_compat; exact Hkpos. }
  unfold err. apply Rabs_le. split.
  - pose proof (norm_sub_triangle d (ghat s') (ghat s) mean_grad).
    rewrite (norm_sub_comm d (ghat s') (ghat s)) in H. lra.
  - pose proof (norm_sub_triangle d (ghat s) (ghat s') mean_grad). lra.
Qed.

(** ** The algebra that assembles the radius *)

(** r/sqrt k = b/sqrt k + b sqrt(2 ln(1/delta))/sqrt k, with r = b(1 + sqrt(2 ln(1/delta))). *)
Theorem E26_radius_sum (delta : R) :
  (0 < k)%nat ->
  b / sqrt (INR k) + b * sqrt (2 * ln (1 / delta)) / sqrt (INR k)
  = b * (1 + sqrt (2 * ln (1 / delta))) / sqrt (INR k).
Proof.
  intros Hk. assert (0 < sqrt (INR k)) by (apply sqrt_lt_R0, lt_0_INR; exact Hk).
  field. lra.
Qed.

(** McDiarmid's tail exp(-2 t^2 / sum_i c_i^2) with c_i = 2b/k and
    t = b sqrt(2 ln(1/delta))/sqrt k is exactly delta. *)
Theorem E26_mcdiarmid_tail_is_delta (delta : R) :
  (0 < k)%nat -> 0 < b -> 0 < delta < 1 ->
  let t := b * sqrt (2 * ln (1 / delta)) / sqrt (INR k) in
  exp (- 2 * t ^ 2 / (INR k * (2 * b / INR k) ^ 2)) = delta.
Proof.
  intros Hk Hb Hd t.
  assert (Hkp : 0 < INR k) by (apply lt_0_INR; exact Hk).
  assert (Hl : 0 < ln (1 / delta)).
  { rewrite <- ln_1. apply ln_increasing; [lra|].
    apply (Rmult_lt_reg_r delta); [lra|]. field_simplify; lra. }
  assert (Ht2 : t ^ 2 = b ^ 2 * (2 * ln (1 / delta)) / INR k).
  { unfold t. unfold Rdiv. rewrite !Rpow_mult_distr.
    rewrite <- !Rsqr_pow2. rewrite Rsqr_sqrt by lra.
    rewrite Rsqr_inv' by (apply Rgt_not_eq, sqrt_lt_R0; exact Hkp).
    rewrite Rsqr_sqrt by lra. reflexivity. }
  rewrite Ht2.
  replace (- 2 * (b ^ 2 * (2 * ln (1 / delta)) / INR k) / (INR k * (2 * b / INR k) ^ 2))
    with (- ln (1 / delta)) by (field; lra).
  rewrite exp_Ropp, exp_ln by (apply Rdiv_lt_0_compat; lra).
  field. lra.
Qed.

(** ** The second moment of the mean: E||ghat - g||^2 <= b^2/k *)

Lemma Ek_sum n N (F : nat -> (nat -> nat) -> R) :
  Ek n (fun s => sum N (fun i => F i s)) = sum N (fun i => Ek n (F i)).
Proof.
  induction N as [|N IH]; simpl.
  - apply Ek_const.
  - rewrite Ek_plus. rewrite IH. reflexivity.
Qed.

Lemma upd_eq s t j : upd s t j t = j.
Proof. unfold upd. rewrite Nat.eqb_refl. reflexivity. Qed.

Lemma upd_neq s t j i : i <> t -> upd s t j i = s i.
Proof. intros H. unfold upd. apply Nat.eqb_neq in H. rewrite H. reflexivity. Qed.

Lemma sum_p_const c : sum m (fun j => p j * c) = c.
Proof.
  rewrite (sum_ext m _ (fun j => c * p j)) by (intros; ring).
  rewrite sum_scal, p_sum. ring.
Qed.

(** One draw has the law (p, v): E f(s_t) = sum_j p_j f(j). *)
Lemma Ek_single n (f : nat -> R) t :
  (t < n)%nat -> Ek n (fun s => f (s t)) = sum m (fun j => p j * f j).
Proof.
  revert t. induction n as [|n IH]; intros t Ht; [lia|]. simpl.
  destruct (Nat.eq_dec t n) as [E|E].
  - subst t. rewrite (Ek_ext n _ (fun _ => sum m (fun j => p j * f j))).
    + apply Ek_const.
    + intros s. apply sum_ext. intros j Hj. rewrite upd_eq. reflexivity.
  - rewrite (Ek_ext n _ (fun s => f (s t))).
    + apply IH. lia.
    + intros s. rewrite (sum_ext m _ (fun j => p j * f (s t))).
      * apply sum_p_const.
      * intros j Hj. rewrite upd_neq by exact E. reflexivity.
Qed.

(** Two different draws are independent: E f(s_t) h(s_t') = E f E h. *)
Lemma Ek_pair n (f h : nat -> R) t t' :
  (t < n)%nat -> (t' < n)%nat -> t <> t' ->
  Ek n (fun s => f (s t) * h (s t'))
  = sum m (fun j => p j * f j) * sum m (fun j => p j * h j).
Proof.
  revert t t'. induction n as [|n IH]; intros t t' Ht Ht' Hne; [lia|]. simpl.
  destruct (Nat.eq_dec t n) as [E|E]; [|destruct (Nat.eq_dec t' n) as [E'|E']].
  - subst t. rewrite (Ek_ext n _ (fun s => sum m (fun j => p j * f j) * h (s t'))).
    + rewrite Ek_scal. rewrite Ek_single by lia. reflexivity.
    + intros s. rewrite (Rmult_comm (sum m _) (h (s t'))), <- sum_scal.
      apply sum_ext. intros j Hj. rewrite upd_eq, upd_neq by lia. ring.
  - subst t'. rewrite (Ek_ext n _ (fun s => sum m (fun j => p j * h j) * f (s t))).
    + rewrite Ek_scal. rewrite Ek_single by lia. ring.
    + intros s. rewrite (Rmult_comm (sum m _) (f (s t))), <- sum_scal.
      apply sum_ext. intros j Hj. rewrite upd_eq, upd_neq by lia. ring.
  - rewrite (Ek_ext n _ (fun s => f (s t) * h (s t'))).
    + apply IH; lia.
    + intros s. rewrite (sum_ext m _ (fun j => p j * (f (s t) * h (s t')))).
      * apply sum_p_const.
      * intros j Hj. rewrite !upd_neq by lia. reflexivity.
Qed.

Lemma sum_sq n (a : nat -> R) : sum n a ^ 2 = sum n (fun t => sum n (fun t' => a t * a t')).
Proof.
  transitivity (sum n (fun t => a t * sum n a)).
  - rewrite (sum_ext n (fun t => a t * sum n a) (fun t => sum n a * a t)) by (intros; ring).
    rewrite sum_scal. ring.
  - apply sum_ext. intros t Ht. rewrite <- sum_scal. reflexivity.
Qed.

Lemma sum_const_R n c : sum n (fun _ => c) = INR n * c.
Proof.
  induction n as [|n IH]; simpl; [ring|]. rewrite IH.
  destruct n; simpl; ring.
Qed.

(** E26, second moment: E||ghat - g||^2 <= b^2/k (the mean of k i.i.d.
    vectors with ||g_n - g|| <= b). *)
Theorem E26_second_moment :
  (0 < k)%nat -> Ek k (fun s => err s ^ 2) <= b ^ 2 / INR k.
Proof.
  intros Hk.
  assert (Hkp : 0 < INR k) by (apply lt_0_INR; exact Hk).
  set (f := fun i j => v j i - mean_grad i).
  set (V := fun i => sum m (fun j => p j * (f i j * f i j))).
  (* err^2 as a triple sum *)
  assert (E1 : forall s, err s ^ 2
     = sum d (fun i => / INR k ^ 2 * sum k (fun t => sum k (fun t' => f i (s t) * f i (s t'))))).
  { intros s. unfold err. rewrite norm_sq. unfold norm2, dot. apply sum_ext. intros i Hi.
    assert (Ei : vsub (ghat s) mean_grad i = / INR k * sum k (fun t => f i (s t))).
    { unfold vsub, ghat, f. rewrite sum_minus, sum_const_R. field. lra. }
    rewrite Ei. rewrite <- sum_sq. field. lra. }
  rewrite (Ek_ext k _ _ E1). rewrite Ek_sum.
  (* the expectation of each coordinate's term is V i / k *)
  assert (E2 : forall i, Ek k (fun s => / INR k ^ 2 *
                 sum k (fun t => sum k (fun t' => f i (s t) * f i (s t'))))
                 = / INR k * V i).
  { intros i. rewrite Ek_scal, Ek_sum.
    rewrite (sum_ext k _ (fun _ => V i)).
    - rewrite sum_const_R. field. lra.
    - intros t Ht. rewrite Ek_sum.
      rewrite (sum_single k _ t Ht).
      + unfold V. rewrite (Ek_single k (fun j => f i j * f i j) t Ht). reflexivity.
      + intros t' Ht' Hne. rewrite (Ek_pair k (f i) (f i) t t' Ht Ht') by auto.
        assert (Z : sum m (fun j => p j * f i j) = 0).
        { unfold f. rewrite (sum_ext m _ (fun j => p j * v j i - p j * mean_grad i))
            by (intros; ring).
          rewrite sum_minus. rewrite (sum_ext m (fun j => p j * mean_grad i)
                                              (fun j => mean_grad i * p j)) by (intros; ring).
          rewrite sum_scal, p_sum. unfold mean_grad. ring. }
        rewrite Z. ring. }
  rewrite (sum_ext d _ _ (fun i _ => E2 i)). rewrite sum_scal.
  (* sum_i V i = sum_j p_j ||v_j - g||^2 <= b^2 *)
  assert (E3 : sum d V = sum m (fun j => p j * norm2 d (vsub (v j) mean_grad))).
  { unfold V. rewrite sum_swap. apply sum_ext. intros j Hj.
    unfold norm2, dot. rewrite <- sum_scal. apply sum_ext. intros i Hi.
    unfold f, vsub. ring. }
  assert (H3 : sum d V <= b ^ 2).
  { rewrite E3. rewrite <- (sum_p_const (b ^ 2)). apply sum_le. intros j Hj.
    apply Rmult_le_compat_l; [apply p_nonneg; exact Hj|].
    rewrite <- norm_sq. apply pow_incr. split; [apply norm_nonneg | apply bounded; exact Hj]. }
  replace (b ^ 2 / INR k) with (/ INR k * b ^ 2) by (field; lra).
  apply Rmult_le_compat_l; [|exact H3].
  left. apply Rinv_0_lt_compat. exact Hkp.
Qed.

(** ** E26 in Chebyshev form, with no assumed inequality *)

(** E26 with the elementary radius: with probability at least 1 - delta,
      ||ghat - g|| <= b / sqrt(delta k),
    from the proved second moment and Markov's inequality for ||ghat - g||^2.  Its only
    premises are the slides' (the corrected norm bound of X5, i.i.d. draws: the Section's
    [p_nonneg], [p_sum], [bounded]); McDiarmid is not used.  The radius b/sqrt(delta) is
    larger than McDiarmid's b (1 + sqrt(2 ln(1/delta))) for delta below about 0.101 (at
    delta = 0.05: 4.47 b against 3.45 b) and smaller above. *)
Theorem E26_chebyshev (delta : R) :
  (0 < k)%nat -> 0 < b -> 0 < delta < 1 ->
  Pr_le err (b / sqrt (delta * INR k)) >= 1 - delta.
Proof.
  intros Hk Hb Hd.
  assert (Hkp : 0 < INR k) by (apply lt_0_INR; exact Hk).
  assert (Hdk : 0 < delta * INR k) by (apply Rmult_lt_0_compat; lra).
  set (a := b / sqrt (delta * INR k)).
  assert (Ha : 0 < a) by (apply Rdiv_lt_0_compat; [exact Hb | apply sqrt_lt_R0; exact Hdk]).
  assert (Ha2 : a ^ 2 = b ^ 2 / (delta * INR k)).
  { unfold a. unfold Rdiv. rewrite Rpow_mult_distr. rewrite pow_inv.
    rewrite pow2_sqrt by lra. reflexivity. }
  (* pointwise: 1 - [err <= a] <= err^2 / a^2 *)
  assert (Hpt : forall s, 1 - (if Rle_dec (err s) a then 1 else 0) <= / a ^ 2 * err s ^ 2).
  { intros s. assert (Hn : 0 <= err s) by apply norm_nonneg.
    assert (Hinv : 0 < / a ^ 2) by (apply Rinv_0_lt_compat; apply pow_lt; exact Ha).
    destruct (Rle_dec (err s) a) as [H|H].
    - assert (0 <= / a ^ 2 * err s ^ 2) by (apply Rmult_le_pos; [lra | apply pow2_ge_0]). lra.
    - assert (a ^ 2 < err s ^ 2) by (apply pow_lt_compat_l_local; lra).
      assert (1 < / a ^ 2 * err s ^ 2).
      { apply (Rmult_lt_reg_l (a ^ 2)); [apply pow_lt; exact Ha|].
        rewrite <- Rmult_assoc, Rinv_r, Rmult_1_l, Rmult_1_r by (apply pow_nonzero; lra). exact H0. }
      lra. }
  pose proof (Ek_mono k _ _ Hpt) as H.
  rewrite (Ek_ext k (fun s => 1 - _) (fun s => 1 + (-1) * (if Rle_dec (err s) a then 1 else 0)))
    in H by (intros; ring).
  rewrite Ek_plus, Ek_scal, Ek_const, Ek_scal in H.
  pose proof (E26_second_moment Hk) as M.
  assert (HB : / a ^ 2 * Ek k (fun s => err s ^ 2) <= delta).
  { rewrite Ha2. apply Rle_trans with (/ (b ^ 2 / (delta * INR k)) * (b ^ 2 / INR k)).
    - apply Rmult_le_compat_l; [|exact M]. left. apply Rinv_0_lt_compat.
      apply Rdiv_lt_0_compat; [apply pow_lt; exact Hb | exact Hdk].
    - right. field. repeat split; lra. }
  unfold Pr_le. fold a. lra.
Qed.

(** ** McDiarmid's inequality for the product model *)

(** Averaging out draw n, the Doob step of the filtration [Ek]:
    Ek (S n) F = Ek n (avg n F), and avg n F no longer depends on draw n. *)
Definition avg (n : nat) (F : (nat -> nat) -> R) (s : nat -> nat) : R :=
  sum m (fun j => p j * F (upd s n j)).

(** F changes by at most c when one of the draws 0 .. n-1 changes within the support. *)
Definition bounded_diff (n : nat) (c : R) (F : (nat -> nat) -> R) : Prop :=
  forall s s' i, (i < n)%nat -> (s i < m)%nat -> (s' i < m)%nat ->
    (forall l, l <> i -> s l = s' l) -> Rabs (F s - F s') <= c.

Lemma Rabs_le_inv_local (x a : R) : Rabs x <= a -> - a <= x <= a.
Proof. intros H. unfold Rabs in H. destruct (Rcase_abs x); lra. Qed.

(** Averaging out the last draw keeps the bounded differences of the others. *)
Lemma avg_bounded_diff n c F : bounded_diff (S n) c F -> bounded_diff n c (avg n F).
Proof.
  intros H s s' i Hi Hs Hs' Heq.
  assert (Hj : forall j, (j < m)%nat -> - c <= F (upd s n j) - F (upd s' n j) <= c).
  { intros j Hj. apply Rabs_le_inv_local. apply (H _ _ i).
    - lia.
    - rewrite upd_neq by lia. exact Hs.
    - rewrite upd_neq by lia. exact Hs'.
    - intros l Hl. unfold upd. destruct (Nat.eqb l n); [reflexivity | apply Heq; exact Hl]. }
  unfold avg. rewrite <- sum_minus. apply Rabs_le. split.
  - rewrite <- (sum_p_const (- c)). apply sum_le. intros j Hj'.
    rewrite <- Rmult_minus_distr_l. apply Rmult_le_compat_l; [apply p_nonneg; exact Hj'|].
    apply Hj. exact Hj'.
  - rewrite <- (sum_p_const c). apply sum_le. intros j Hj'.
    rewrite <- Rmult_minus_distr_l. apply Rmult_le_compat_l; [apply p_nonneg; exact Hj'|].
    apply Hj. exact Hj'.
Qed.

Lemma finite_argmin (n : nat) (f : nat -> R) :
  (0 < n)%nat -> exists j0, (j0 < n)%nat /\ forall j, (j < n)%nat -> f j0 <= f j.
Proof.
  induction n as [|n IH]; intros Hn; [lia|].
  destruct n as [|n].
  - exists 0%nat. split; [lia|]. intros j Hj. assert (j = 0%nat) by lia. subst. lra.
  - destruct (IH ltac:(lia)) as [j0 [Hj0 Hmin]].
    destruct (Rle_lt_dec (f j0) (f (S n))) as [Hle|Hlt].
    + exists j0. split; [lia|]. intros j Hj.
      destruct (Nat.eq_dec j (S n)) as [->|Hne]; [exact Hle|]. apply Hmin. lia.
    + exists (S n). split; [lia|]. intros j Hj.
      destruct (Nat.eq_dec j (S n)) as [->|Hne]; [lra|].
      specialize (Hmin j ltac:(lia)). lra.
Qed.

Lemma support_nonempty : (0 < m)%nat.
Proof.
  destruct (Nat.eq_dec m 0) as [E|E]; [|lia].
  exfalso. pose proof p_sum as H. rewrite E in H. simpl in H. lra.
Qed.

(** The exponential moment of a function with bounded differences c in n draws:
      E exp(lam F) <= exp(lam E F + n lam^2 c^2 / 8),
    by induction on n: Hoeffding's lemma for the last draw (the others fixed; its values
    lie in an interval of length c), then the induction hypothesis for its average. *)
Lemma Ek_exp_moment n c lam F :
  0 < c -> bounded_diff n c F ->
  Ek n (fun s => exp (lam * F s)) <= exp (lam * Ek n F + INR n * (lam ^ 2 * c ^ 2 / 8)).
Proof.
  revert F. induction n as [|n IH]; intros F Hc HF.
  - simpl. right. f_equal. ring.
  - change (Ek (S n) (fun s => exp (lam * F s))) with (Ek n (avg n (fun s => exp (lam * F s)))).
    change (Ek (S n) F) with (Ek n (avg n F)).
    set (K := lam ^ 2 * c ^ 2 / 8).
    assert (Hpt : forall s, avg n (fun s => exp (lam * F s)) s <= exp K * exp (lam * avg n F s)).
    { intros s.
      replace (exp K * exp (lam * avg n F s)) with (exp (lam * avg n F s + K))
        by (rewrite exp_plus; ring).
      destruct (finite_argmin m (fun j => F (upd s n j)) support_nonempty) as [j0 [Hj0 Hmin]].
      unfold avg, K.
      apply (E26_hoeffding_lemma m p (fun j => F (upd s n j)) (F (upd s n j0)) c lam
               p_nonneg p_sum Hc).
      intros j Hj. split; [apply Hmin; exact Hj|].
      assert (Hd : Rabs (F (upd s n j) - F (upd s n j0)) <= c).
      { apply (HF _ _ n).
        - lia.
        - rewrite upd_eq. exact Hj.
        - rewrite upd_eq. exact Hj0.
        - intros l Hl. rewrite !upd_neq by exact Hl. reflexivity. }
      apply Rabs_le_inv_local in Hd. lra. }
    eapply Rle_trans; [apply Ek_mono; exact Hpt|].
    rewrite Ek_scal.
    eapply Rle_trans.
    { apply Rmult_le_compat_l; [left; apply exp_pos|].
      apply IH; [exact Hc | apply avg_bounded_diff; exact HF]. }
    rewrite <- exp_plus. right. f_equal. rewrite S_INR. unfold K. field.
Qed.

(** McDiarmid's bounded-differences inequality for k independent draws from the finite
    distribution (p, v): if changing any one draw changes F by at most c, then
      P(F >= E F + t) <= exp(-2 t^2 / (k c^2)).
    Chernoff: 1[F >= E F + t] <= exp(lam (F - E F - t)), the exponential moment above, and
    the optimal lam = 4 t / (k c^2). *)
Theorem E26_mcdiarmid (F : (nat -> nat) -> R) (c t : R) :
  (forall s s' i, (i < k)%nat -> (s i < m)%nat -> (s' i < m)%nat ->
     (forall l, l <> i -> s l = s' l) -> Rabs (F s - F s') <= c) ->
  0 < c -> 0 < t ->
  Ek k (fun s => if Rle_dec (Ek k F + t) (F s) then 1 else 0)
  <= exp (- 2 * t ^ 2 / (INR k * c ^ 2)).
Proof.
  intros HF Hc Ht.
  destruct (Nat.eq_dec k 0) as [E|Hk].
  - (* no draw: F is constant and the event is empty *)
    rewrite E. simpl.
    destruct (Rle_dec (F (fun _ => 0%nat) + t) (F (fun _ => 0%nat))); [lra|].
    left. apply exp_pos.
  - assert (Hkp : 0 < INR k) by (apply lt_0_INR; lia).
    assert (Hc2 : 0 < c ^ 2) by (apply pow_lt; exact Hc).
    set (lam := 4 * t / (INR k * c ^ 2)).
    assert (Hlam : 0 < lam)
      by (unfold lam; apply Rdiv_lt_0_compat; [lra | apply Rmult_lt_0_compat; lra]).
    set (mu := Ek k F).
    assert (Hpt : forall s, (if Rle_dec (mu + t) (F s) then 1 else 0)
                            <= exp (- (lam * (mu + t))) * exp (lam * F s)).
    { intros s. rewrite <- exp_plus. destruct (Rle_dec (mu + t) (F s)) as [H|H].
      - eapply Rle_trans; [|apply exp_ineq1_le]. nra.
      - left. apply exp_pos. }
    eapply Rle_trans; [apply Ek_mono; exact Hpt|].
    rewrite Ek_scal.
    pose proof (Ek_exp_moment k c lam F Hc HF) as M. fold mu in M.
    eapply Rle_trans; [apply Rmult_le_compat_l; [left; apply exp_pos | exact M]|].
    rewrite <- exp_plus. apply exp_le_mono. right.
    unfold lam. field. lra.
Qed.

(** E26 (corrected, X5): with probability at least 1 - delta,
      ||ghat - g|| <= b (1 + sqrt(2 ln(1/delta))) / sqrt k,
    the slides' radius: E||ghat - g|| <= b/sqrt k (Jensen and the second moment), and
    [E26_mcdiarmid] with c = 2b/k (the bounded differences) and
    t = b sqrt(2 ln(1/delta))/sqrt k, whose tail is delta. *)
Theorem E26_concentration (delta : R) :
  (0 < k)%nat -> 0 < b -> 0 < delta < 1 ->
  Pr_le err (b * (1 + sqrt (2 * ln (1 / delta))) / sqrt (INR k)) >= 1 - delta.
Proof.
  intros Hk Hb Hd.
  assert (Hkp : 0 < INR k) by (apply lt_0_INR; exact Hk).
  assert (Hsk : 0 < sqrt (INR k)) by (apply sqrt_lt_R0; exact Hkp).
  assert (Hl : 0 < ln (1 / delta)).
  { rewrite <- ln_1. apply ln_increasing; [lra|].
    apply (Rmult_lt_reg_r delta); [lra|]. field_simplify; lra. }
  set (t := b * sqrt (2 * ln (1 / delta)) / sqrt (INR k)).
  assert (Ht : 0 < t).
  { unfold t. apply Rdiv_lt_0_compat; [|exact Hsk].
    apply Rmult_lt_0_compat; [exact Hb|]. apply sqrt_lt_R0. lra. }
  (* E||ghat - g|| <= sqrt(E||ghat - g||^2) <= b / sqrt k *)
  assert (Hmu : Ek k err <= b / sqrt (INR k)).
  { eapply Rle_trans; [apply E26_jensen|].
    replace (b / sqrt (INR k)) with (sqrt (b ^ 2 / INR k)).
    - apply sqrt_le_1_alt. apply E26_second_moment. exact Hk.
    - rewrite sqrt_div_alt by exact Hkp. rewrite sqrt_pow2 by lra. reflexivity. }
  (* McDiarmid with c = 2b/k *)
  assert (Hc : 0 < 2 * b / INR k) by (apply Rdiv_lt_0_compat; lra).
  pose proof (E26_mcdiarmid err (2 * b / INR k) t
                (fun s s' i Hi Hs Hs' Heq => E26_bounded_differences s s' i Hk Hi Hs Hs' Heq)
                Hc Ht) as HM.
  pose proof (E26_mcdiarmid_tail_is_delta delta Hk Hb Hd) as Htail.
  cbv zeta in Htail. fold t in Htail. rewrite Htail in HM.
  (* the event {err <= r/sqrt k} contains the complement of {err >= E err + t} *)
  rewrite <- E26_radius_sum by exact Hk. fold t.
  unfold Pr_le.
  assert (Hpt : forall s,
    1 - (if Rle_dec (Ek k err + t) (err s) then 1 else 0)
    <= (if Rle_dec (err s) (b / sqrt (INR k) + t) then 1 else 0)).
  { intros s. destruct (Rle_dec (Ek k err + t) (err s));
      destruct (Rle_dec (err s) (b / sqrt (INR k) + t)); lra. }
  pose proof (Ek_mono k _ _ Hpt) as H.
  rewrite (Ek_ext k (fun s => 1 - _) (fun s => 1 + (-1) * (if Rle_dec (Ek k err + t) (err s) then 1 else 0)))
    in H by (intros; ring).
  rewrite Ek_plus, Ek_scal, Ek_const in H.
  lra.
Qed.

End Concentration.
