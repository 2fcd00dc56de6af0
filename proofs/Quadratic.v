(** * Quadratic.v: smoothness in R^n (E24, E25).

    Slides (Appendix II):
      l(Phi + D) ~ l(Phi) + g^T D + (1/2) D^T H D
      ||H D|| <= L ||D||                          (assumption)
      D^T H D <= L ||D||^2                        (E24)
      l(Phi + D) <= l(Phi) + g^T D + (1/2) L ||D||^2   (E25)
    For a quadratic loss l(Phi) = (1/2) Phi^T H Phi + b^T Phi + c with a
    symmetric H, the second-order expansion is exact, so E25 follows from
    E24 with no mean value theorem; for a general loss it needs the bound
    along the whole segment (docs/spec.md, E25). *)

From Coq Require Import Reals Lra.
From Coquelicot Require Import Coquelicot.
From Quench Require Import Vectors.
Open Scope R_scope.

(** E24: ||H D|| <= L ||D||  implies  D^T H D <= L ||D||^2 (Cauchy-Schwarz). *)
Theorem E24_smoothness_quadratic_form (n : nat) (H : mat) (L : R) (D : vec) :
  norm n (matvec n H D) <= L * norm n D ->
  dot n D (matvec n H D) <= L * norm n D ^ 2.
Proof.
  intros HL.
  eapply Rle_trans; [apply cauchy_schwarz|].
  pose proof (norm_nonneg n D).
  replace (L * norm n D ^ 2) with (norm n D * (L * norm n D)) by ring.
  apply Rmult_le_compat_l; assumption.
Qed.

(** The quadratic loss and its gradient g = H Phi + b. *)
Definition quad (n : nat) (H : mat) (b : vec) (c : R) (Phi : vec) : R :=
  / 2 * dot n Phi (matvec n H Phi) + dot n b Phi + c.

Definition quad_grad (n : nat) (H : mat) (b : vec) (Phi : vec) : vec :=
  vadd (matvec n H Phi) b.

Lemma matvec_add n H u v : forall i, matvec n H (vadd u v) i = matvec n H u i + matvec n H v i.
Proof.
  intros i. unfold matvec, vadd. rewrite <- sum_plus. apply sum_ext. intros. ring.
Qed.

Lemma dot_matvec_add_r n H u v w :
  dot n u (matvec n H (vadd v w)) = dot n u (matvec n H v) + dot n u (matvec n H w).
Proof.
  unfold dot. rewrite <- sum_plus. apply sum_ext. intros i Hi.
  rewrite matvec_add. ring.
Qed.

(** For symmetric H: u^T H v = v^T H u. *)
Lemma dot_matvec_sym n H u v :
  symmetric n H -> dot n u (matvec n H v) = dot n v (matvec n H u).
Proof.
  intros Hs. unfold dot, matvec.
  transitivity (sum n (fun i => sum n (fun j => u i * H i j * v j))).
  - apply sum_ext. intros i Hi. rewrite <- sum_scal. apply sum_ext. intros. ring.
  - rewrite sum_swap. apply sum_ext. intros j Hj. rewrite <- sum_scal.
    apply sum_ext. intros i Hi. rewrite (Hs i j) by assumption. ring.
Qed.

(** Exact second-order expansion of a quadratic:
      l(Phi + D) = l(Phi) + g^T D + (1/2) D^T H D,   g = H Phi + b. *)
Theorem E25_quadratic_expansion (n : nat) (H : mat) (b : vec) (c : R) (Phi D : vec) :
  symmetric n H ->
  quad n H b c (vadd Phi D)
  = quad n H b c Phi + dot n (quad_grad n H b Phi) D + / 2 * dot n D (matvec n H D).
Proof.
  intros Hs. unfold quad, quad_grad.
  rewrite !dot_matvec_add_r, !dot_add_l, !dot_add_r.
  rewrite (dot_comm n b D).
  rewrite (dot_comm n (matvec n H Phi) D).
  rewrite (dot_matvec_sym n H D Phi Hs).
  field.
Qed.

(** The vector g = H Phi + b is the gradient: the derivative of
    t |-> l(Phi + t D) at t = 0 is g^T D, for every direction D. *)
Theorem E25_gradient_is_directional_derivative (n : nat) (H : mat) (b : vec) (c : R)
    (Phi D : vec) :
  symmetric n H ->
  is_derive (fun t => quad n H b c (vadd Phi (vscale t D))) 0
            (dot n (quad_grad n H b Phi) D).
Proof.
  intros Hs.
  apply (is_derive_ext
           (fun t => quad n H b c Phi + t * dot n (quad_grad n H b Phi) D
                     + / 2 * t ^ 2 * dot n D (matvec n H D))).
  - intros t.
    assert (Heq : quad n H b c Phi + t * dot n (quad_grad n H b Phi) D
                  + / 2 * t ^ 2 * dot n D (matvec n H D)
                  = quad n H b c (vadd Phi (vscale t D))).
    2: exact Heq.
    rewrite E25_quadratic_expansion by exact Hs.
    rewrite dot_scale_r.
    assert (E : dot n (vscale t D) (matvec n H (vscale t D))
                = t ^ 2 * dot n D (matvec n H D)).
    { rewrite dot_scale_l.
      rewrite (dot_matvec_sym n H D (vscale t D) Hs) at 1.
      rewrite dot_scale_l. ring. }
    rewrite E. field.
  - auto_derive; [exact I|]. field.
Qed.

(** E25: for a quadratic loss whose Hessian satisfies ||H D|| <= L ||D||,
      l(Phi + D) <= l(Phi) + g^T D + (1/2) L ||D||^2. *)
Theorem E25_descent_bound_quadratic (n : nat) (H : mat) (b : vec) (c L : R) (Phi D : vec) :
  symmetric n H ->
  norm n (matvec n H D) <= L * norm n D ->
  quad n H b c (vadd Phi D)
  <= quad n H b c Phi + dot n (quad_grad n H b Phi) D + / 2 * L * norm n D ^ 2.
Proof.
  intros Hs HL. rewrite E25_quadratic_expansion by exact Hs.
  pose proof (E24_smoothness_quadratic_form n H L D HL). lra.
Qed.
