(** * EndToEnd.v: the Appendix II claim in one theorem (E26 + E27 + E28).

    Slides (Appendix II): with probability at least 1 - delta over the sample of k
    per-example gradients, the step with E28's rate
      eta = (1/L)(1 - r/(||ghat|| sqrt k))
    decreases the loss by at least (L/2) eta^2 ||ghat||^2.

    Proved here in the finite product model of Concentration.v, with no assumed
    inequality: the concentration step is E26 in its Chebyshev form
    ([E26_chebyshev], radius r/sqrt k = b/sqrt(delta k), i.e. r = b/sqrt delta), the
    progress step is E28 on the loss ([E28_loss_decrease], from E27 and E25 at Phi), and
    the two are joined by the monotonicity of the expectation.  The event is "the step is
    outside E28's domain (r/sqrt k > ||ghat||, where eta < 0 and the slides promise
    nothing) or the loss decreases by (L/2) eta^2 ||ghat||^2". *)

From Coq Require Import Reals Lra Lia.
From Quench Require Import Vectors OptimalRate Progress Concentration.
Open Scope R_scope.

Theorem appendix_II_decrease_with_probability
    (d m : nat) (p : nat -> R) (v : nat -> vec) (k : nat) (b : R)
    (l : vec -> R) (Phi : vec) (L delta : R) :
  (forall j, (j < m)%nat -> 0 <= p j) -> sum m p = 1 ->
  (forall j, (j < m)%nat -> norm d (vsub (v j) (mean_grad m p v)) <= b) ->
  (forall D, l (vadd Phi D) <= l Phi + dot d (mean_grad m p v) D + / 2 * L * norm d D ^ 2) ->
  0 < L -> (0 < k)%nat -> 0 < b -> 0 < delta < 1 ->
  let r := b / sqrt delta in
  let gh := ghat v k in
  let e s := eta_k L r (norm d (gh s)) (INR k) in
  Ek m p k (fun s =>
    if Rle_dec (r / sqrt (INR k)) (norm d (gh s))
    then (if Rle_dec (l (vsub Phi (vscale (e s) (gh s))))
                     (l Phi - L / 2 * e s ^ 2 * norm d (gh s) ^ 2) then 1 else 0)
    else 1)
  >= 1 - delta.
Proof.
  intros Hp Hsum Hb H25 HL Hk Hb0 Hd r gh e.
  assert (Hkp : 0 < INR k) by (apply lt_0_INR; exact Hk).
  assert (Hrad : r / sqrt (INR k) = b / sqrt (delta * INR k)).
  { unfold r. rewrite sqrt_mult_alt by lra. field.
    split; apply Rgt_not_eq, sqrt_lt_R0; lra. }
  assert (Hrho : 0 < r / sqrt (INR k)).
  { rewrite Hrad. apply Rdiv_lt_0_compat; [lra|]. apply sqrt_lt_R0. nra. }
  pose proof (E26_chebyshev d m p v Hp Hsum k b Hb delta Hk Hb0 Hd) as C.
  unfold Pr_le in C.
  (* on the event err <= r/sqrt k the indicator of the claim is 1 *)
  assert (Hpt : forall s,
    (if Rle_dec (err d m p v k s) (b / sqrt (delta * INR k)) then 1 else 0)
    <= (if Rle_dec (r / sqrt (INR k)) (norm d (gh s))
        then (if Rle_dec (l (vsub Phi (vscale (e s) (gh s))))
                         (l Phi - L / 2 * e s ^ 2 * norm d (gh s) ^ 2) then 1 else 0)
        else 1)).
  { intros s.
    destruct (Rle_dec (err d m p v k s) (b / sqrt (delta * INR k))) as [He|He];
      [|destruct (Rle_dec _ _); [destruct (Rle_dec _ _)|]; lra].
    destruct (Rle_dec (r / sqrt (INR k)) (norm d (gh s))) as [Hdom|Hdom]; [|lra].
    destruct (Rle_dec _ _) as [Hok|Hno]; [lra|].
    exfalso. apply Hno.
    apply (E28_loss_decrease d l Phi (mean_grad m p v) (gh s) L r (INR k)); try assumption.
    - lra.
    - unfold err in He. unfold gh. rewrite Hrad. exact He. }
  pose proof (Ek_mono m p Hp k _ _ Hpt) as H.
  lra.
Qed.
