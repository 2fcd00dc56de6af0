(** * Descent1D.v: the one-dimensional descent lemma (E8, E9).

    Slide:  d^2 loss(beta)/d beta^2 <= L   (Assumption, E8)
            loss(beta - D) <= loss(beta) - g D + (1/2) L D^2    (E9)
    with g = loss'(beta).  We assume, honestly, that the loss is
    differentiable with derivative [f'] and that [f'] is differentiable with
    derivative [f''] at every point of the closed segment between beta - D
    and beta, and that [f'' <= L] there.  The proof applies the mean value
    theorem twice (Coq's standard [MVT_cor2]). *)

From Coq Require Import Reals Lra.
From Coquelicot Require Import Coquelicot.
Open Scope R_scope.

(** A function with non-positive derivative on [a, b] does not increase. *)
Lemma nonincreasing_on (h h' : R -> R) (a b : R) :
  a <= b ->
  (forall z, a <= z <= b -> is_derive h z (h' z)) ->
  (forall z, a <= z <= b -> h' z <= 0) ->
  h b <= h a.
Proof.
  intros Hab Hd Hn. destruct (Req_dec a b) as [E|Hne].
  - subst. lra.
  - assert (Hlt : a < b) by lra.
    destruct (MVT_cor2 h h' a b Hlt) as [c [Hc Hcab]].
    + intros c Hc. apply is_derive_Reals. apply Hd. exact Hc.
    + assert (h' c <= 0) by (apply Hn; lra).
      assert (h' c * (b - a) <= 0).
      { apply Rmult_le_0_r; lra. }
      lra.
Qed.

(** A function with non-negative derivative on [a, b] does not decrease. *)
Lemma nondecreasing_on (h h' : R -> R) (a b : R) :
  a <= b ->
  (forall z, a <= z <= b -> is_derive h z (h' z)) ->
  (forall z, a <= z <= b -> 0 <= h' z) ->
  h a <= h b.
Proof.
  intros Hab Hd Hn. destruct (Req_dec a b) as [E|Hne].
  - subst. lra.
  - assert (Hlt : a < b) by lra.
    destruct (MVT_cor2 h h' a b Hlt) as [c [Hc Hcab]].
    + intros c Hc. apply is_derive_Reals. apply Hd. exact Hc.
    + assert (0 <= h' c) by (apply Hn; lra).
      assert (0 <= h' c * (b - a)) by (apply Rmult_le_pos; lra).
      lra.
Qed.

(** E9, the descent lemma. *)
Theorem E9_descent_lemma (f f' f'' : R -> R) (L x D : R) :
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f z (f' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f' z (f'' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> f'' z <= L) ->
  f (x - D) <= f x - f' x * D + L * D ^ 2 / 2.
Proof.
  intros Hf Hf' HL.
  (* h z = f z - f x - f' x (z - x) - L (z - x)^2 / 2, h x = 0, and
     k = h' : k z = f' z - f' x - L (z - x), k x = 0, k' = f'' - L <= 0 *)
  set (h := fun z => f z - f x - f' x * (z - x) - L * (z - x) ^ 2 / 2).
  set (k := fun z => f' z - f' x - L * (z - x)).
  assert (Hh : forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive h z (k z)).
  { intros z Hz. unfold h. auto_derive.
    - exists (f' z). apply Hf. exact Hz.
    - replace (Derive (fun t : R => f t) z) with (f' z)
        by (symmetry; apply is_derive_unique; apply Hf; exact Hz).
      unfold k. field. }
  assert (Hk : forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive k z (f'' z - L)).
  { intros z Hz. unfold k. auto_derive.
    - exists (f'' z). apply Hf'. exact Hz.
    - replace (Derive (fun t : R => f' t) z) with (f'' z)
        by (symmetry; apply is_derive_unique; apply Hf'; exact Hz).
      ring. }
  assert (Hk0 : k x = 0) by (unfold k; cbv beta; ring).
  assert (Hh0 : h x = 0) by (unfold h; cbv beta; field).
  assert (Hgoal : h (x - D) <= 0 -> f (x - D) <= f x - f' x * D + L * D ^ 2 / 2).
  { unfold h. cbv beta. intros H. replace (x - D - x) with (- D) in H by field. nra. }
  apply Hgoal.
  destruct (Rle_lt_dec 0 D) as [HD|HD].
  - (* D >= 0: the segment is [x - D, x] *)
    rewrite (Rmin_left (x - D) x) in * by lra. rewrite (Rmax_right (x - D) x) in * by lra.
    (* k >= 0 on the segment *)
    assert (Hkpos : forall z, x - D <= z <= x -> 0 <= k z).
    { intros z Hz. rewrite <- Hk0.
      apply (nonincreasing_on k (fun t => f'' t - L) z x); [lra| |].
      - intros t Ht. apply Hk. lra.
      - intros t Ht. assert (f'' t <= L) by (apply HL; lra). lra. }
    (* so -h does not increase on [x - D, x] *)
    assert (H1 : h (x - D) <= h x).
    { apply (nondecreasing_on h k (x - D) x); [lra| |].
      - intros z Hz. apply Hh. exact Hz.
      - exact Hkpos. }
    lra.
  - (* D < 0: the segment is [x, x - D] *)
    rewrite (Rmin_right (x - D) x) in * by lra. rewrite (Rmax_left (x - D) x) in * by lra.
    assert (Hkneg : forall z, x <= z <= x - D -> k z <= 0).
    { intros z Hz. rewrite <- Hk0.
      apply (nonincreasing_on k (fun t => f'' t - L) x z); [lra| |].
      - intros t Ht. apply Hk. lra.
      - intros t Ht. assert (f'' t <= L) by (apply HL; lra). lra. }
    assert (H1 : h (x - D) <= h x).
    { apply (nonincreasing_on h k x (x - D)); [lra| |].
      - intros z Hz. apply Hh. exact Hz.
      - exact Hkneg. }
    lra.
Qed.

(** E10: the descent lemma at the SGD step D = eta ghat:
      loss(beta - eta ghat) <= loss(beta) - g (eta ghat) + (1/2) L (eta ghat)^2. *)
Corollary E10_sgd_step (f f' f'' : R -> R) (L x eta ghat : R) :
  let D := eta * ghat in
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f z (f' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> is_derive f' z (f'' z)) ->
  (forall z, Rmin (x - D) x <= z <= Rmax (x - D) x -> f'' z <= L) ->
  f (x - eta * ghat) <= f x - f' x * (eta * ghat) + L * (eta * ghat) ^ 2 / 2.
Proof. intros D. apply E9_descent_lemma. Qed.
