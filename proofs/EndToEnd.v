(** * EndToEnd.v: the Appendix II claim in one theorem (E26 + E27 + E28).

    Slides (Appendix II): with probability at least 1 - delta over the sample of k
    per-example gradients, the step with E28's rate
      eta = (1/L)(1 - r/(||ghat|| sqrt k))
    decreases the loss by at least (L/2) eta^2 ||ghat||^2.

    Proved here in the finite product model of Concentration.v, with no assumed
    inequality: the concentration step is E26 ([E26_concentration], the slides' radius
    r = b (1 + sqrt(2 ln(1/delta))), from the proved McDiarmid inequality; or
    [E26_chebyshev], r = b/sqrt delta), the progress step is E28 on the loss
    ([E28_loss_decrease], from E27 and E25 at Phi), and the two are joined by the
    monotonicity of the expectation ([appendix_II_from_concentration], for every radius
    that E26 gives).  The event is "the step is outside E28's domain (r/sqrt k > ||ghat||,
    where eta < 0 and the slides promise nothing) or the loss decreases by
    (L/2) eta^2 ||ghat||^2". *)

From Coq Require Import Reals Lra Lia.
From Quench Require Import Vectors OptimalRate Progress Concentration.
Open Scope R_scope.

(** The claim's event for the radius r: outside E28's domain, or the decrease holds. *)
Definition appendix_II_event (d : nat) (l : vec -> R) (Phi : vec) (L r : R) (k : nat)
    (gh : vec) : R :=
  let e := eta_k L r (norm d gh) (INR k) in
  if Rle_dec (r / sqrt (INR k)) (norm d gh)
  then (if Rle_dec (l (vsub Phi (vscale e gh))) (l Phi - L / 2 * e ^ 2 * norm d gh ^ 2)
        then 1 else 0)
  else 1.

(** Any radius r for which E26 holds (P(||ghat - g|| <= r/sqrt k) >= 1 - delta) makes the
    claim's event as likely: on E26's event, E28_loss_decrease applies. *)
Lemma appendix_II_from_concentration
    (d m : nat) (p : nat -> R) (v : nat -> vec) (k : nat)
    (l : vec -> R) (Phi : vec) (L r delta : R) :
  (forall j, (j < m)%nat -> 0 <= p j) ->
  (forall D, l (vadd Phi D) <= l Phi + dot d (mean_grad m p v) D + / 2 * L * norm d D ^ 2) ->
  0 < L -> (0 < k)%nat -> 0 < r ->
  Pr_le m p k (err d m p v k) (r / sqrt (INR k)) >= 1 - delta ->
  Ek m p k (fun s => appendix_II_event d l Phi L r k (ghat v k s)) >= 1 - delta.
Proof.
  intros Hp H25 HL Hk Hr C.
  assert (Hkp : 0 < INR k) by (apply lt_0_INR; exact Hk).
  assert (Hrho : 0 < r / sqrt (INR k)) by (apply Rdiv_lt_0_compat; [lra | apply sqrt_lt_R0; lra]).
  unfold Pr_le in C.
  (* on the event err <= r/sqrt k the indicator of the claim is 1 *)
  assert (Hpt : forall s,
    (if Rle_dec (err d m p v k s) (r / sqrt (INR k)) then 1 else 0)
    <= appendix_II_event d l Phi L r k (ghat v k s)).
  { intros s. unfold appendix_II_event.
    destruct (Rle_dec (err d m p v k s) (r / sqrt (INR k))) as [He|He];
      [|destruct (Rle_dec _ _); [destruct (Rle_dec _ _)|]; lra].
    destruct (Rle_dec (r / sqrt (INR k)) (norm d (ghat v k s))) as [Hdom|Hdom]; [|lra].
    destruct (Rle_dec _ _) as [Hok|Hno]; [lra|].
    exfalso. apply Hno.
    apply (E28_loss_decrease d l Phi (mean_grad m p v) (ghat v k s) L r (INR k));
      try assumption; lra. }
  pose proof (Ek_mono m p Hp k _ _ Hpt) as H.
  lra.
Qed.

(** The Appendix II claim with the slides' radius r = b (1 + sqrt(2 ln(1/delta))):
    with probability at least 1 - delta the E28 step is outside its domain or decreases
    the loss by (L/2) eta^2 ||ghat||^2 (E26 from McDiarmid + E27 + E28). *)
Theorem appendix_II_decrease_with_probability
    (d m : nat) (p : nat -> R) (v : nat -> vec) (k : nat) (b : R)
    (l : vec -> R) (Phi : vec) (L delta : R) :
  (forall j, (j < m)%nat -> 0 <= p j) -> sum m p = 1 ->
  (forall j, (j < m)%nat -> norm d (vsub (v j) (mean_grad m p v)) <= b) ->
  (forall D, l (vadd Phi D) <= l Phi + dot d (mean_grad m p v) D + / 2 * L * norm d D ^ 2) ->
  0 < L -> (0 < k)%nat -> 0 < b -> 0 < delta < 1 ->
  let r := b * (1 + sqrt (2 * ln (1 / delta))) in
  Ek m p k (fun s => appendix_II_event d l Phi L r k (ghat v k s)) >= 1 - delta.
Proof.
  intros Hp Hsum Hb H25 HL Hk Hb0 Hd r.
  assert (Hr : 0 < r).
  { unfold r. apply Rmult_lt_0_compat; [exact Hb0|].
    pose proof (sqrt_pos (2 * ln (1 / delta))). lra. }
  apply (appendix_II_from_concentration d m p v k l Phi L r delta Hp H25 HL Hk Hr).
  exact (E26_concentration d m p v Hp Hsum k b Hb delta Hk Hb0 Hd).
Qed.

(** The same claim with E26's elementary Chebyshev radius r = b/sqrt delta (smaller than
    the slides' for delta above about 0.101, larger below). *)
Corollary appendix_II_decrease_with_probability_chebyshev
    (d m : nat) (p : nat -> R) (v : nat -> vec) (k : nat) (b : R)
    (l : vec -> R) (Phi : vec) (L delta : R) :
  (forall j, (j < m)%nat -> 0 <= p j) -> sum m p = 1 ->
  (forall j, (j < m)%nat -> norm d (vsub (v j) (mean_grad m p v)) <= b) ->
  (forall D, l (vadd Phi D) <= l Phi + dot d (mean_grad m p v) D + / 2 * L * norm d D ^ 2) ->
  0 < L -> (0 < k)%nat -> 0 < b -> 0 < delta < 1 ->
  let r := b / sqrt delta in
  Ek m p k (fun s => appendix_II_event d l Phi L r k (ghat v k s)) >= 1 - delta.
Proof.
  intros Hp Hsum Hb H25 HL Hk Hb0 Hd r.
  assert (Hkp : 0 < INR k) by (apply lt_0_INR; exact Hk).
  assert (Hr : 0 < r) by (unfold r; apply Rdiv_lt_0_compat; [lra | apply sqrt_lt_R0; lra]).
  apply (appendix_II_from_concentration d m p v k l Phi L r delta Hp H25 HL Hk Hr).
  assert (Hrad : r / sqrt (INR k) = b / sqrt (delta * INR k)).
  { unfold r. rewrite sqrt_mult_alt by lra. field.
    split; apply Rgt_not_eq, sqrt_lt_R0; lra. }
  rewrite Hrad.
  exact (E26_chebyshev d m p v Hp Hsum k b Hb delta Hk Hb0 Hd).
Qed.
