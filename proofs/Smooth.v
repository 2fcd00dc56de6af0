(** * Smooth.v: E25 for every loss that satisfies the slides' smoothness condition
    along the segment, and E27/E28 for such losses.

    Slides (Appendix II): "Using the second order mean value theorem one can prove
      l(Phi + D) <= l(Phi) + g^T D + (1/2) L ||D||^2"   (E25)
    under ||H D|| <= L ||D|| for the Hessian H.  The second-order mean value theorem is
    E9 (Descent1D.v) applied to the one-variable function t |-> l(Phi + t D) on [0, 1]:
    its derivative is g(Phi + t D)^T D and its second derivative D^T H(Phi + t D) D,
    which E24 bounds by L ||D||^2.  The hypotheses say exactly this, at the points of the
    segment only: [grad] is the gradient field of [l] and [hess] its Hessian field, in the
    directional sense along the segment (no differentiability elsewhere is assumed). *)

From Coq Require Import Reals Lra FunctionalExtensionality.
From Coquelicot Require Import Coquelicot.
From Quench Require Import Vectors Descent1D Quadratic Progress OptimalRate.
Open Scope R_scope.

(** The slides' condition on the segment from Phi to Phi + D. *)
Definition smooth_on_segment (n : nat) (l : vec -> R) (grad : vec -> vec) (hess : vec -> mat)
    (L : R) (Phi D : vec) : Prop :=
  forall t, 0 <= t <= 1 ->
    is_derive (fun s => l (vadd Phi (vscale s D))) t (dot n (grad (vadd Phi (vscale t D))) D) /\
    is_derive (fun s => dot n (grad (vadd Phi (vscale s D))) D) t
              (dot n D (matvec n (hess (vadd Phi (vscale t D))) D)) /\
    norm n (matvec n (hess (vadd Phi (vscale t D))) D) <= L * norm n D.

Lemma vadd_scale0 (Phi D : vec) : vadd Phi (vscale 0 D) = Phi.
Proof. apply functional_extensionality. intros i. unfold vadd, vscale. ring. Qed.

Lemma vadd_scale1 (Phi D : vec) : vadd Phi (vscale 1 D) = vadd Phi D.
Proof. apply functional_extensionality. intros i. unfold vadd, vscale. ring. Qed.

(** E25 for every loss smooth along the segment (E9 on t |-> l(Phi + t D), with E24). *)
Theorem E25_descent_bound (n : nat) (l : vec -> R) (grad : vec -> vec) (hess : vec -> mat)
    (L : R) (Phi D : vec) :
  smooth_on_segment n l grad hess L Phi D ->
  l (vadd Phi D) <= l Phi + dot n (grad Phi) D + / 2 * L * norm n D ^ 2.
Proof.
  intros Hs.
  set (f := fun s => l (vadd Phi (vscale s D))).
  set (f' := fun s => dot n (grad (vadd Phi (vscale s D))) D).
  set (f'' := fun s => dot n D (matvec n (hess (vadd Phi (vscale s D))) D)).
  (* E9 at x = 0 with step -1: f(0 - (-1)) <= f 0 - f' 0 (-1) + L' (-1)^2 / 2 *)
  assert (Hseg : forall z, Rmin (0 - -1) 0 <= z <= Rmax (0 - -1) 0 -> 0 <= z <= 1).
  { intros z Hz. replace (0 - -1) with 1 in Hz by ring.
    rewrite Rmin_right, Rmax_left in Hz by lra. exact Hz. }
  pose proof (E9_descent_lemma f f' f'' (L * norm n D ^ 2) 0 (-1)) as H9.
  assert (H : f (0 - -1) <= f 0 - f' 0 * -1 + L * norm n D ^ 2 * (-1) ^ 2 / 2).
  { apply H9.
    - intros z Hz. exact (proj1 (Hs z (Hseg z Hz))).
    - intros z Hz. exact (proj1 (proj2 (Hs z (Hseg z Hz)))).
    - intros z Hz. unfold f''. apply E24_smoothness_quadratic_form.
      exact (proj2 (proj2 (Hs z (Hseg z Hz)))). }
  unfold f, f' in H. replace (0 - -1) with 1 in H by ring.
  rewrite vadd_scale1, !vadd_scale0 in H. lra.
Qed.

(** E27 for every loss smooth along the step's segment: the progress guarantee with no
    E25 premise. *)
Theorem E27_progress_guarantee_smooth (n : nat) (l : vec -> R) (grad : vec -> vec)
    (hess : vec -> mat) (Phi ghat : vec) (L r k eta : R) :
  smooth_on_segment n l grad hess L Phi (vscale (- eta) ghat) ->
  0 <= eta ->
  norm n (vsub ghat (grad Phi)) <= r / sqrt k ->
  l (vsub Phi (vscale eta ghat))
  <= l Phi - eta * norm n ghat * (norm n ghat - r / sqrt k) + L / 2 * eta ^ 2 * norm n ghat ^ 2.
Proof.
  intros Hs Heta Hc.
  (* E27's proof needs E25 only for the step D = -eta ghat. *)
  rewrite step_as_add.
  eapply Rle_trans; [apply (E25_descent_bound n l grad hess L Phi _ Hs)|].
  rewrite dot_scale_r, norm_scale.
  pose proof (inner_lower_bound n (grad Phi) ghat _ Hc) as H.
  assert (H2 : eta * (norm n ghat ^ 2 - r / sqrt k * norm n ghat) <= eta * dot n (grad Phi) ghat)
    by (apply Rmult_le_compat_l; assumption).
  replace ((Rabs (- eta) * norm n ghat) ^ 2) with (eta ^ 2 * norm n ghat ^ 2).
  - lra.
  - rewrite Rabs_Ropp, Rabs_right by lra. ring.
Qed.

(** E28 on the loss for every loss smooth along the step's segment: at eta(k), on the
    domain r/sqrt k <= ||ghat||, the loss decreases by at least (L/2) eta(k)^2 ||ghat||^2. *)
Theorem E28_loss_decrease_smooth (n : nat) (l : vec -> R) (grad : vec -> vec)
    (hess : vec -> mat) (Phi ghat : vec) (L r k : R) :
  0 < L -> 0 < norm n ghat -> 0 < k -> r / sqrt k <= norm n ghat ->
  let e := eta_k L r (norm n ghat) k in
  smooth_on_segment n l grad hess L Phi (vscale (- e) ghat) ->
  norm n (vsub ghat (grad Phi)) <= r / sqrt k ->
  l (vsub Phi (vscale e ghat)) <= l Phi - L / 2 * e ^ 2 * norm n ghat ^ 2.
Proof.
  intros HL Hg Hk Hdom e Hs Hc.
  assert (Hpos : 0 <= e).
  { unfold e. rewrite eta_k_eq by assumption. apply eta_opt_nonneg; assumption. }
  pose proof (E27_progress_guarantee_smooth n l grad hess Phi ghat L r k e Hs Hpos Hc) as H.
  pose proof (E28_value_at_optimum n L r k (l Phi) ghat HL Hg Hk) as E.
  cbv zeta in E. fold e in E. lra.
Qed.
