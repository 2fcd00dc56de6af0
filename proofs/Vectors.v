(** * Vectors.v: a small, visible encoding of R^n.

    A vector of R^n is a function [nat -> R] of which only the coordinates
    [0 .. n-1] matter; a matrix is a function [nat -> nat -> R].  Sums are
    the plain finite sums [sum n f = f 0 + ... + f (n-1)].  Everything in the
    vector part of the development (E24..E29, E26) is stated with the
    definitions of this file and nothing else. *)

From Coq Require Import Reals Lra Lia.
Open Scope R_scope.

(** Finite sum [f 0 + f 1 + ... + f (n-1)]. *)
Fixpoint sum (n : nat) (f : nat -> R) : R :=
  match n with
  | O => 0
  | S m => sum m f + f m
  end.

Definition vec := nat -> R.
Definition mat := nat -> nat -> R.

Definition vadd (u v : vec) : vec := fun i => u i + v i.
Definition vsub (u v : vec) : vec := fun i => u i - v i.
Definition vscale (a : R) (u : vec) : vec := fun i => a * u i.

(** Dot product [u^T v], squared norm, Euclidean norm [||u||]. *)
Definition dot (n : nat) (u v : vec) : R := sum n (fun i => u i * v i).
Definition norm2 (n : nat) (u : vec) : R := dot n u u.
Definition norm (n : nat) (u : vec) : R := sqrt (norm2 n u).

(** Matrix-vector product [(H v)_i = sum_j H_ij v_j]. *)
Definition matvec (n : nat) (H : mat) (v : vec) : vec :=
  fun i => sum n (fun j => H i j * v j).

Definition symmetric (n : nat) (H : mat) : Prop :=
  forall i j, (i < n)%nat -> (j < n)%nat -> H i j = H j i.

(** ** Finite sums *)

Lemma sum_ext n f g : (forall i, (i < n)%nat -> f i = g i) -> sum n f = sum n g.
Proof.
  induction n as [|n IH]; intros H; simpl; [reflexivity|].
  rewrite IH by (intros; apply H; lia). rewrite H by lia. reflexivity.
Qed.

Lemma sum_plus n f g : sum n (fun i => f i + g i) = sum n f + sum n g.
Proof. induction n as [|n IH]; simpl; [ring|]. rewrite IH. ring. Qed.

Lemma sum_minus n f g : sum n (fun i => f i - g i) = sum n f - sum n g.
Proof. induction n as [|n IH]; simpl; [ring|]. rewrite IH. ring. Qed.

Lemma sum_scal n a f : sum n (fun i => a * f i) = a * sum n f.
Proof. induction n as [|n IH]; simpl; [ring|]. rewrite IH. ring. Qed.

Lemma sum_const0 n : sum n (fun _ => 0) = 0.
Proof. induction n as [|n IH]; simpl; [reflexivity|]. rewrite IH. ring. Qed.

Lemma sum_le n f g : (forall i, (i < n)%nat -> f i <= g i) -> sum n f <= sum n g.
Proof.
  induction n as [|n IH]; intros H; simpl; [lra|].
  apply Rplus_le_compat; [apply IH; intros; apply H; lia | apply H; lia].
Qed.

Lemma sum_nonneg n f : (forall i, (i < n)%nat -> 0 <= f i) -> 0 <= sum n f.
Proof.
  intros H. rewrite <- (sum_const0 n). apply sum_le. exact H.
Qed.

Lemma sum_swap n m (F : nat -> nat -> R) :
  sum n (fun i => sum m (fun j => F i j)) = sum m (fun j => sum n (fun i => F i j)).
Proof.
  induction n as [|n IH]; simpl.
  - rewrite sum_const0. reflexivity.
  - rewrite IH. rewrite <- sum_plus. reflexivity.
Qed.

(** ** Dot product *)

Lemma dot_comm n u v : dot n u v = dot n v u.
Proof. unfold dot. apply sum_ext. intros. ring. Qed.

Lemma dot_add_l n u v w : dot n (vadd u v) w = dot n u w + dot n v w.
Proof. unfold dot, vadd. rewrite <- sum_plus. apply sum_ext. intros. ring. Qed.

Lemma dot_add_r n u v w : dot n u (vadd v w) = dot n u v + dot n u w.
Proof. unfold dot, vadd. rewrite <- sum_plus. apply sum_ext. intros. ring. Qed.

Lemma dot_sub_l n u v w : dot n (vsub u v) w = dot n u w - dot n v w.
Proof. unfold dot, vsub. rewrite <- sum_minus. apply sum_ext. intros. ring. Qed.

Lemma dot_sub_r n u v w : dot n u (vsub v w) = dot n u v - dot n u w.
Proof. unfold dot, vsub. rewrite <- sum_minus. apply sum_ext. intros. ring. Qed.

Lemma dot_scale_l n a u v : dot n (vscale a u) v = a * dot n u v.
Proof. unfold dot, vscale. rewrite <- sum_scal. apply sum_ext. intros. ring. Qed.

Lemma dot_scale_r n a u v : dot n u (vscale a v) = a * dot n u v.
Proof. unfold dot, vscale. rewrite <- sum_scal. apply sum_ext. intros. ring. Qed.

Lemma norm2_nonneg n u : 0 <= norm2 n u.
Proof.
  unfold norm2, dot. apply sum_nonneg. intros. apply Rle_0_sqr.
Qed.

Lemma norm_nonneg n u : 0 <= norm n u.
Proof. unfold norm. apply sqrt_pos. Qed.

Lemma norm_sq n u : norm n u ^ 2 = norm2 n u.
Proof.
  unfold norm. rewrite <- Rsqr_pow2. apply Rsqr_sqrt. apply norm2_nonneg.
Qed.

Lemma norm2_scale n a u : norm2 n (vscale a u) = a ^ 2 * norm2 n u.
Proof. unfold norm2. rewrite dot_scale_l, dot_scale_r. ring. Qed.

Lemma norm_scale n a u : norm n (vscale a u) = Rabs a * norm n u.
Proof.
  unfold norm. rewrite norm2_scale, sqrt_mult_alt.
  - rewrite <- Rsqr_pow2, sqrt_Rsqr_abs. reflexivity.
  - apply pow2_ge_0.
Qed.

(** ** Cauchy-Schwarz: [u^T v <= ||u|| ||v||] (and with absolute value). *)

Lemma cauchy_schwarz_sq n u v : dot n u v ^ 2 <= norm2 n u * norm2 n v.
Proof.
  set (a := norm2 n u). set (b := norm2 n v). set (c := dot n u v).
  (* 0 <= ||u - t v||^2 = a - 2 t c + t^2 b for every real t *)
  assert (Hq : forall t, 0 <= a - 2 * t * c + t ^ 2 * b).
  { intros t. pose proof (norm2_nonneg n (vsub u (vscale t v))) as H.
    unfold norm2 in H. rewrite dot_sub_l, !dot_sub_r, !dot_scale_l, !dot_scale_r in H.
    rewrite (dot_comm n v u) in H. unfold a, b, c, norm2. nra. }
  assert (Hb : 0 <= b) by apply norm2_nonneg.
  assert (Ha : 0 <= a) by apply norm2_nonneg.
  destruct (Req_dec b 0) as [Hb0|Hb0].
  - (* b = 0: then c = 0, otherwise t = (a + 1) / (2 c) breaks Hq *)
    destruct (Req_dec c 0) as [Hc0|Hc0].
    + rewrite Hc0, Hb0. nra.
    + exfalso. specialize (Hq ((a + 1) / (2 * c))). rewrite Hb0 in Hq.
      assert (E : 2 * ((a + 1) / (2 * c)) * c = a + 1) by (field; exact Hc0).
      lra.
  - specialize (Hq (c / b)).
    assert (E : a - 2 * (c / b) * c + (c / b) ^ 2 * b = (a * b - c ^ 2) / b)
      by (field; exact Hb0).
    rewrite E in Hq.
    assert (Hbp : 0 < b) by lra.
    assert (0 <= a * b - c ^ 2).
    { apply (Rmult_le_reg_r (/ b)). apply Rinv_0_lt_compat; lra.
      rewrite Rmult_0_l. exact Hq. }
    lra.
Qed.

Lemma cauchy_schwarz_abs n u v : Rabs (dot n u v) <= norm n u * norm n v.
Proof.
  unfold norm. rewrite <- sqrt_mult_alt by apply norm2_nonneg.
  rewrite <- sqrt_Rsqr_abs. apply sqrt_le_1_alt.
  rewrite Rsqr_pow2. apply cauchy_schwarz_sq.
Qed.

Lemma cauchy_schwarz n u v : dot n u v <= norm n u * norm n v.
Proof.
  eapply Rle_trans; [apply Rle_abs | apply cauchy_schwarz_abs].
Qed.

(** ** Triangle inequality *)

Lemma norm_triangle n u v : norm n (vadd u v) <= norm n u + norm n v.
Proof.
  assert (H2 : norm2 n (vadd u v) <= (norm n u + norm n v) ^ 2).
  { unfold norm2 at 1. rewrite !dot_add_l, !dot_add_r.
    rewrite (dot_comm n v u).
    pose proof (cauchy_schwarz n u v).
    pose proof (norm_sq n u). pose proof (norm_sq n v).
    unfold norm2 in *. nra. }
  unfold norm at 1. rewrite <- (sqrt_pow2 (norm n u + norm n v)).
  - apply sqrt_le_1_alt. exact H2.
  - pose proof (norm_nonneg n u). pose proof (norm_nonneg n v). lra.
Qed.

Lemma norm_ext n u v : (forall i, (i < n)%nat -> u i = v i) -> norm n u = norm n v.
Proof.
  intros H. unfold norm, norm2, dot. f_equal. apply sum_ext. intros i Hi.
  rewrite H by exact Hi. reflexivity.
Qed.

Lemma norm_sub_triangle n u v w : norm n (vsub u w) <= norm n (vsub u v) + norm n (vsub v w).
Proof.
  eapply Rle_trans; [|apply norm_triangle].
  right. apply norm_ext. intros. unfold vsub, vadd. ring.
Qed.

Lemma norm_sub_comm n u v : norm n (vsub u v) = norm n (vsub v u).
Proof.
  rewrite (norm_ext n (vsub v u) (vscale (-1) (vsub u v))).
  - rewrite norm_scale. replace (Rabs (-1)) with 1 by (rewrite Rabs_left; lra). ring.
  - intros. unfold vscale, vsub. ring.
Qed.
