(** * Algorithm.v: the complete quenching SGD algorithm (E14-E20, docs/spec.md steps 1-6)
    as a Coq function, and theorems about all of its runs.

    The model is one coordinate of [quench::step] (core/include/quench/quench_sgd.hpp;
    coordinates do not interact) in exact real arithmetic, over the state the C++ core
    keeps: the raw averages [m] (of ghat) and [v] (of ghat^2), the mass [c] (bias
    correction, X15; the C++ keeps none without it and uses 1), the weight [w] for the
    next gradient, the parameter [phi] and the step count [t].  Every option of
    [quench::Options] is a field of [Options]; [Hyper] holds the hyper-parameters.  The
    slides' quantities are read from the state as in the C++ accessors:
      gt = m/c,  st = v/c,  var = D/c^2  with  D = c v - m^2.

    Division.  Coq's [x / 0 = 0] is not IEEE 754's, so the step never divides by a
    quantity that may be zero without saying what the C++ does there:
    - the update divides only by [divisor] = [max(D, floor)] under [clamp_variance] (X11;
      [floor] > 0 is the type's smallest normal number, so this never is 0), else by D;
    - [check_finite_update] refuses the step (zero_variance_error) when D = 0 after
      warm-up unless both eta and the weight are bounded ([eta_max] set and a weight
      limit on): modelled by [None];
    - when the divisor is exactly 0 and both are bounded (only without [clamp_variance]),
      IEEE gives 1/0 = +inf: eta = (rate m^2) inf = +inf, capped to [eta_max]; the weight
      (w_factor (m^2 + eps c^2)) inf = +inf, limited to [min(1, max_weight)]; if m = 0,
      0 * inf is NaN, the finiteness check fails and the step is refused ([None]).
    The real model ignores overflow and rounding (proofs/rounding/ bounds those). *)

From Coq Require Import Reals Lra Lia List Bool.
From Quench Require Import OptimalBatch Scaling.
Import ListNotations.
Open Scope R_scope.

(** ** The options, hyper-parameters and state (hyperparameters.hpp, quench_sgd.hpp) *)

Record Options := mkOptions {
  clamp_weight : bool;        (** X8: w = min(1, B/Bstar) *)
  max_weight : option R;      (** X14: w <= max_weight *)
  clamp_variance : bool;      (** X11: D = max(D, 0), divisor floored *)
  eta_max : option R;         (** X9: eta <= eta_max *)
  bias_correction : bool;     (** X15: averages divided by their mass *)
  per_example : bool          (** X13: true = per_example, false = minibatch *)
}.

(** [Options::literal()]: the slides exactly. *)
Definition literal : Options := mkOptions false None false None false false.

Record Hyper := mkHyper {
  batch : R;        (** B *)
  warmup : nat;     (** K *)
  lambda_B : R;
  lambda_eta : R;
  eps : R;
  floor : R;        (** the divisor floor of X11 (smallest_safe_divisor) *)
  opts : Options
}.

(** [Hyperparameters::validate()] (and the floor, which is positive for every type). *)
Definition valid (h : Hyper) : Prop :=
  0 < batch h /\ (1 <= warmup h)%nat /\ 0 < lambda_B h /\ 0 < lambda_eta h /\
  0 < eps h /\ 0 < floor h /\
  (forall mw, max_weight (opts h) = Some mw -> 0 < mw <= 1) /\
  (forall e, eta_max (opts h) = Some e -> 0 < e).

Record State := mkState { m : R; v : R; c : R; w : R; phi : R; t : nat }.

(** The scaled variance D = c^2 var = c v - m^2 of a state (raw, before any clamp). *)
Definition Dst (s : State) : R := c s * v s - m s * m s.
Definition gt (s : State) : R := m s / c s.
Definition var (s : State) : R := Dst s / (c s * c s).

(** [State::limit_weight]: the X8 clamp, then the X14 limit. *)
Definition limit_weight (o : Options) (x : R) : R :=
  let r := if clamp_weight o then Rmin x 1 else x in
  match max_weight o with Some mw => Rmin r mw | None => r end.

(** The same limits applied to IEEE's +inf (None: no limit, the weight stays +inf). *)
Definition limit_infinite (o : Options) : option R :=
  match clamp_weight o, max_weight o with
  | true, Some mw => Some (Rmin 1 mw)
  | true, None => Some 1
  | false, Some mw => Some mw
  | false, None => None
  end.

(** The weight during warm-up: B/Bstar with Bstar = K (E17), limited. *)
Definition warm_weight (h : Hyper) : R := limit_weight (opts h) (batch h / INR (warmup h)).

(** A fresh state (the [State] constructor): gt = st = 0, Bstar = K. *)
Definition init (h : Hyper) (phi0 : R) : State :=
  mkState 0 0 (if bias_correction (opts h) then 0 else 1) (warm_weight h) phi0 0.

(** [StepConstants]: s = B for the per-example statistic (X13), s = 1 for the literal. *)
Definition rate_factor (h : Hyper) : R :=
  if per_example (opts h) then lambda_eta h / batch h else lambda_eta h.
Definition weight_factor (h : Hyper) : R :=
  if per_example (opts h) then 1 / lambda_B h else batch h / lambda_B h.

(** Both eta and the weight are bounded: eta_max set and a weight limit on. *)
Definition bounded (o : Options) : bool :=
  match eta_max o, limit_infinite o with Some _, Some _ => true | _, _ => false end.

(** Steps 2-3: the new mass, averages, and the (clamped) scaled variance. *)
Definition new_mass (o : Options) (w c : R) : R :=
  if bias_correction o then (1 - w) * c + w else 1.
Definition new_mean (w m g : R) : R := (1 - w) * m + w * g.
Definition new_second (w v g : R) : R := (1 - w) * v + w * (g * g).
Definition scaled_variance (o : Options) (c v m : R) : R :=
  let D := if bias_correction o then c * v - m * m else v - m * m in
  if clamp_variance o then Rmax D 0 else D.

(** Steps 4-6 after warm-up (E18/E20, E17 then step 1): (eta, new weight), or None
    when the C++ refuses the step. *)
Definition rate_and_weight (h : Hyper) (c m D : R) : option (R * R) :=
  let o := opts h in
  if negb (bounded o) && (if Req_EM_T D 0 then true else false) then None
  else
    let divisor := if clamp_variance o then Rmax D (floor h) else D in
    let c2 := if bias_correction o then c * c else 1 in
    let scale := eps h * c2 + m * m in
    if Req_EM_T divisor 0 then
      match eta_max o, limit_infinite o with
      | Some e, Some wl => if Req_EM_T (m * m) 0 then None else Some (e, wl)
      | _, _ => None
      end
    else
      let inverse := 1 / divisor in
      let eta0 := rate_factor h * (m * m) * inverse in
      let eta := match eta_max o with Some e => Rmin eta0 e | None => eta0 end in
      Some (eta, limit_weight o (weight_factor h * scale * inverse)).

(** One step with gradient g: the new state and this step's eta, or None (refused). *)
Definition step (h : Hyper) (s : State) (g : R) : option (State * R) :=
  let o := opts h in
  let c' := new_mass o (w s) (c s) in
  let m' := new_mean (w s) (m s) g in
  let v' := new_second (w s) (v s) g in
  let D := scaled_variance o c' v' m' in
  let finish w' eta := Some (mkState m' v' c' w' (phi s - eta * g) (S (t s)), eta) in
  if Nat.leb (S (t s)) (warmup h) then finish (warm_weight h) 0   (* E17, E18 warm-up *)
  else match rate_and_weight h c' m' D with
       | Some (eta, w') => finish w' eta
       | None => None
       end.

(** A run: the gradients of [gs] in order. *)
Fixpoint run (h : Hyper) (s : State) (gs : list R) : option State :=
  match gs with
  | [] => Some s
  | g :: gs' => match step h s g with Some (s', _) => run h s' gs' | None => None end
  end.

Definition reachable (h : Hyper) (s : State) : Prop :=
  exists phi0 gs, run h (init h phi0) gs = Some s.

Lemma run_app (h : Hyper) (s : State) (gs : list R) (g : R) :
  run h s (gs ++ [g]) =
  match run h s gs with
  | Some s1 => match step h s1 g with Some (s2, _) => Some s2 | None => None end
  | None => None
  end.
Proof.
  revert s. induction gs as [|x gs IH]; intros s; simpl.
  - destruct (step h s g) as [[s2 e]|]; reflexivity.
  - destruct (step h s x) as [[s1 e]|]; [apply IH | reflexivity].
Qed.

(** Every property that each step keeps holds after every run. *)
Lemma run_invariant (h : Hyper) (P : State -> Prop) :
  (forall s g s' e, P s -> step h s g = Some (s', e) -> P s') ->
  forall gs s s', P s -> run h s gs = Some s' -> P s'.
Proof.
  intros Hstep gs. induction gs as [|g gs IH]; intros s s' Hs Hrun; simpl in Hrun.
  - injection Hrun as <-. exact Hs.
  - destruct (step h s g) as [[s1 e]|] eqn:E; [|discriminate].
    exact (IH s1 s' (Hstep s g s1 e Hs E) Hrun).
Qed.

(** ** The algebra of one step *)

(** The cancellation-free recurrence of D (bias correction on):
      D' = (1-w)^2 D + w (1-w) (c g^2 - 2 m g + v),
    and c (c g^2 - 2 m g + v) = (c g - m)^2 + D. *)
Lemma D_update (w c m v g : R) :
  ((1 - w) * c + w) * new_second w v g - new_mean w m g * new_mean w m g
  = (1 - w) ^ 2 * (c * v - m * m) + w * (1 - w) * (c * g * g - 2 * m * g + v).
Proof. unfold new_second, new_mean. ring. Qed.

Lemma cross_term (c m v g : R) :
  c * (c * g * g - 2 * m * g + v) = (c * g - m) ^ 2 + (c * v - m * m).
Proof. ring. Qed.

Lemma cross_term_nonneg (c m v g : R) :
  0 <= c -> 0 <= v -> m * m <= c * v -> 0 <= c * g * g - 2 * m * g + v.
Proof.
  intros Hc Hv HD. destruct (Req_dec c 0) as [E|E].
  - subst c. assert (m = 0) by nra. subst m. lra.
  - pose proof (cross_term c m v g) as X.
    assert (0 <= (c * g - m) ^ 2) by apply pow2_ge_0.
    nra.
Qed.

(** E16 erratum X8 in the raw variables of the core: the scaled variance stays
    non-negative under a weight in [0, 1]. *)
Lemma D_nonneg_step (w c m v g : R) :
  0 <= w <= 1 -> 0 <= c -> 0 <= v -> m * m <= c * v ->
  new_mean w m g * new_mean w m g <= ((1 - w) * c + w) * new_second w v g.
Proof.
  intros Hw Hc Hv HD.
  pose proof (D_update w c m v g) as U.
  pose proof (cross_term_nonneg c m v g Hc Hv HD).
  assert (0 <= (1 - w) ^ 2 * (c * v - m * m)) by (apply Rmult_le_pos; nra).
  assert (0 <= w * (1 - w) * (c * g * g - 2 * m * g + v)).
  { apply Rmult_le_pos; [apply Rmult_le_pos|]; lra. }
  lra.
Qed.

(** ** Invariants of every run under a weight limit (X8 clamp or X14 limit) *)

Definition weight_limited (o : Options) : Prop :=
  clamp_weight o = true \/ max_weight o <> None.

Lemma Rmin_pos (x y : R) : 0 < x -> 0 < y -> 0 < Rmin x y.
Proof. intros. unfold Rmin. destruct (Rle_dec x y); lra. Qed.

Lemma limit_weight_range (h : Hyper) (x : R) :
  valid h -> weight_limited (opts h) -> 0 < x ->
  0 < limit_weight (opts h) x <= 1 /\
  (forall mw, max_weight (opts h) = Some mw -> limit_weight (opts h) x <= mw).
Proof.
  intros (_ & _ & _ & _ & _ & _ & Hmw & _) Hl Hx. unfold limit_weight.
  destruct (clamp_weight (opts h)) eqn:Ec;
  destruct (max_weight (opts h)) as [mw|] eqn:Em.
  - destruct (Hmw mw eq_refl).
    assert (0 < Rmin x 1) by (apply Rmin_pos; lra).
    repeat split; [apply Rmin_pos; lra| |].
    + pose proof (Rmin_r (Rmin x 1) mw). lra.
    + intros mw' E. injection E as <-. apply Rmin_r.
  - repeat split; [apply Rmin_pos; lra | apply Rmin_r | discriminate].
  - destruct (Hmw mw eq_refl).
    repeat split; [apply Rmin_pos; lra | | ].
    + pose proof (Rmin_r x mw). lra.
    + intros mw' E. injection E as <-. apply Rmin_r.
  - exfalso. destruct Hl as [H|H]; [rewrite Ec in H; discriminate | rewrite Em in H; apply H; reflexivity].
Qed.

Lemma limit_infinite_range (h : Hyper) (wl : R) :
  valid h -> limit_infinite (opts h) = Some wl ->
  0 < wl <= 1 /\ (forall mw, max_weight (opts h) = Some mw -> wl <= mw).
Proof.
  intros (_ & _ & _ & _ & _ & _ & Hmw & _). unfold limit_infinite.
  destruct (clamp_weight (opts h)); destruct (max_weight (opts h)) as [mw|];
    intros E; try discriminate; injection E as <-.
  - destruct (Hmw mw eq_refl). repeat split; [apply Rmin_pos; lra| |].
    + apply Rmin_l.
    + intros mw' E. injection E as <-. apply Rmin_r.
  - repeat split; [lra | lra | discriminate].
  - destruct (Hmw mw eq_refl). repeat split; [lra | lra |].
    intros mw' E. injection E as <-. lra.
Qed.

Lemma warm_weight_range (h : Hyper) :
  valid h -> weight_limited (opts h) ->
  0 < warm_weight h <= 1 /\
  (forall mw, max_weight (opts h) = Some mw -> warm_weight h <= mw).
Proof.
  intros Hv Hl. apply limit_weight_range; try assumption.
  destruct Hv as (HB & HK & _). apply Rdiv_lt_0_compat; [exact HB|].
  apply lt_0_INR. lia.
Qed.

(** The core's state invariant: w in (0, 1] (and <= max_weight), c in [0, 1] (c = 1
    without bias correction), v >= 0 and D = c v - m^2 >= 0. *)
Definition Inv (h : Hyper) (s : State) : Prop :=
  0 < w s <= 1 /\ (forall mw, max_weight (opts h) = Some mw -> w s <= mw) /\
  0 <= c s <= 1 /\ (bias_correction (opts h) = false -> c s = 1) /\
  0 <= v s /\ m s * m s <= c s * v s.

(** What a step's eta and new weight satisfy when D >= 0 and the new mass is > 0. *)
Lemma rate_and_weight_range (h : Hyper) (c0 m0 D eta w' : R) :
  valid h -> weight_limited (opts h) -> 0 <= D -> 0 < c0 ->
  rate_and_weight h c0 m0 D = Some (eta, w') ->
  0 <= eta /\ (forall e, eta_max (opts h) = Some e -> eta <= e) /\
  0 < w' <= 1 /\ (forall mw, max_weight (opts h) = Some mw -> w' <= mw).
Proof.
  intros Hv Hl HD Hc. pose proof Hv as (HB & HK & HlB & Hle & Heps & Hfl & Hmw & Hem).
  unfold rate_and_weight.
  destruct (negb (bounded (opts h)) && (if Req_EM_T D 0 then true else false));
    [discriminate|].
  set (divisor := if clamp_variance (opts h) then Rmax D (floor h) else D).
  assert (Hdiv : 0 <= divisor).
  { unfold divisor. destruct (clamp_variance (opts h)); [|lra].
    pose proof (Rmax_r D (floor h)). lra. }
  destruct (Req_EM_T divisor 0) as [E0|E0].
  - destruct (eta_max (opts h)) as [e|] eqn:Ee; [|discriminate].
    destruct (limit_infinite (opts h)) as [wl|] eqn:Ew; [|discriminate].
    destruct (Req_EM_T (m0 * m0) 0); [discriminate|].
    intros H. injection H as <- <-.
    destruct (limit_infinite_range h wl Hv Ew) as [Hw Hwm].
    pose proof (Hem e eq_refl).
    repeat split; try lra; [intros e' E; injection E as <-; lra | exact Hwm].
  - assert (Hpos : 0 < divisor) by lra.
    assert (Hinv : 0 < 1 / divisor) by (apply Rdiv_lt_0_compat; lra).
    assert (Hrf : 0 < rate_factor h).
    { unfold rate_factor. destruct (per_example (opts h)); [apply Rdiv_lt_0_compat|]; lra. }
    assert (Hwf : 0 < weight_factor h).
    { unfold weight_factor. destruct (per_example (opts h)); apply Rdiv_lt_0_compat; lra. }
    assert (Hc2 : 0 < (if bias_correction (opts h) then c0 * c0 else 1)).
    { destruct (bias_correction (opts h)); [apply Rmult_lt_0_compat|]; lra. }
    set (c2 := if bias_correction (opts h) then c0 * c0 else 1) in *.
    assert (Hsc : 0 < eps h * c2 + m0 * m0).
    { assert (0 <= m0 * m0) by nra. assert (0 < eps h * c2) by (apply Rmult_lt_0_compat; lra). lra. }
    assert (Heta0 : 0 <= rate_factor h * (m0 * m0) * (1 / divisor)).
    { apply Rmult_le_pos; [apply Rmult_le_pos; nra | lra]. }
    intros H. injection H as <- <-.
    destruct (limit_weight_range h (weight_factor h * (eps h * c2 + m0 * m0) * (1 / divisor))
                Hv Hl) as [Hw Hwm].
    { apply Rmult_lt_0_compat; [apply Rmult_lt_0_compat|]; lra. }
    repeat split; try lra; try exact Hwm.
    + destruct (eta_max (opts h)) as [e|] eqn:Ee; [|lra].
      pose proof (Hem e eq_refl). apply Rmin_glb; lra.
    + intros e Ee. rewrite Ee. apply Rmin_r.
Qed.

Lemma Inv_init (h : Hyper) (phi0 : R) :
  valid h -> weight_limited (opts h) -> Inv h (init h phi0).
Proof.
  intros Hv Hl. destruct (warm_weight_range h Hv Hl) as [Hw Hwm].
  unfold Inv, init; simpl.
  destruct (bias_correction (opts h)); repeat split; try lra; try exact Hwm; discriminate.
Qed.

Lemma Inv_step (h : Hyper) (s s' : State) (g eta : R) :
  valid h -> weight_limited (opts h) -> Inv h s -> step h s g = Some (s', eta) ->
  Inv h s' /\ 0 <= eta /\ (forall e, eta_max (opts h) = Some e -> eta <= e).
Proof.
  intros Hv Hl (Hw & Hwm & Hc & Hc1 & Hv0 & HD). pose proof Hv as (_ & _ & _ & _ & _ & _ & _ & Hem).
  set (o := opts h) in *.
  assert (Hc' : 0 <= new_mass o (w s) (c s) <= 1 /\ (bias_correction o = false -> new_mass o (w s) (c s) = 1)
                /\ w s <= new_mass o (w s) (c s)).
  { unfold new_mass. destruct (bias_correction o); [|repeat split; lra].
    assert (0 <= (1 - w s) * c s) by (apply Rmult_le_pos; lra).
    assert ((1 - w s) * c s <= 1 - w s) by nra. repeat split; try lra; discriminate. }
  assert (Hv' : 0 <= new_second (w s) (v s) g).
  { unfold new_second. assert (0 <= g * g) by nra.
    assert (0 <= (1 - w s) * v s) by (apply Rmult_le_pos; lra).
    assert (0 <= w s * (g * g)) by (apply Rmult_le_pos; lra). lra. }
  assert (HD' : new_mean (w s) (m s) g * new_mean (w s) (m s) g
                <= new_mass o (w s) (c s) * new_second (w s) (v s) g).
  { destruct Hc' as (_ & Hc1' & _). unfold new_mass in *.
    destruct (bias_correction o) eqn:Eb.
    - apply D_nonneg_step; lra.
    - rewrite (Hc1 eq_refl) in HD. replace ((1 - w s) * 1 + w s) with 1 in * by ring.
      pose proof (D_nonneg_step (w s) 1 (m s) (v s) g ltac:(lra) ltac:(lra) Hv0 HD).
      replace ((1 - w s) * 1 + w s) with 1 in H by ring. exact H. }
  assert (HS : 0 <= scaled_variance o (new_mass o (w s) (c s)) (new_second (w s) (v s) g)
                                       (new_mean (w s) (m s) g)).
  { unfold scaled_variance. destruct Hc' as (_ & Hc1' & _).
    destruct (bias_correction o) eqn:Eb; destruct (clamp_variance o);
      try (pose proof (Rmax_r (new_mass o (w s) (c s) * new_second (w s) (v s) g -
                      new_mean (w s) (m s) g * new_mean (w s) (m s) g) 0); lra);
      try (pose proof (Rmax_r (new_second (w s) (v s) g -
                      new_mean (w s) (m s) g * new_mean (w s) (m s) g) 0); lra);
      rewrite ?(Hc1' eq_refl) in HD'; lra. }
  destruct Hc' as (Hcm & Hcm1 & Hcw).
  unfold step. fold o.
  destruct (Nat.leb (S (t s)) (warmup h)).
  - intros E. injection E as <- <-. destruct (warm_weight_range h Hv Hl) as [Hww Hwwm].
    unfold Inv; simpl. repeat split; try lra; try tauto.
    intros e Ee. pose proof (Hem e Ee). lra.
  - destruct (rate_and_weight h _ _ _) as [[eta1 w1]|] eqn:Er; [|discriminate].
    intros E. injection E as <- <-.
    destruct (rate_and_weight_range h (new_mass o (w s) (c s)) _ _ eta1 w1 Hv Hl HS ltac:(lra) Er)
      as (He & Hem' & Hw1 & Hw1m).
    unfold Inv; simpl. repeat split; try lra; try tauto.
Qed.

Lemma Inv_reachable (h : Hyper) (s : State) :
  valid h -> weight_limited (opts h) -> reachable h s -> Inv h s.
Proof.
  intros Hv Hl (phi0 & gs & Hrun).
  apply (run_invariant h (Inv h)) with (gs := gs) (s := init h phi0); try assumption.
  - intros s0 g s1 e H0 E. exact (proj1 (Inv_step h s0 s1 g e Hv Hl H0 E)).
  - apply Inv_init; assumption.
Qed.

(** X8 for every run: with the X8 clamp (or the X14 limit) the scaled variance
    D = c v - m^2 of every state the algorithm reaches is >= 0, for every option
    setting and every gradient sequence. *)
Theorem X8_all_runs_variance_nonneg (h : Hyper) (s : State) :
  valid h -> weight_limited (opts h) -> reachable h s -> 0 <= Dst s.
Proof. intros Hv Hl Hr. destruct (Inv_reachable h s Hv Hl Hr) as (_ & _ & _ & _ & _ & H). unfold Dst. lra. Qed.

(** X8/X14 for every run: 0 < w <= 1, and w <= max_weight when the X14 limit is set. *)
Theorem X8_X14_all_runs_weight_range (h : Hyper) (s : State) :
  valid h -> weight_limited (opts h) -> reachable h s ->
  0 < w s <= 1 /\ (forall mw, max_weight (opts h) = Some mw -> w s <= mw).
Proof. intros Hv Hl Hr. destruct (Inv_reachable h s Hv Hl Hr) as (H1 & H2 & _). tauto. Qed.

(** E18/E20 with X9 for every step of every run: 0 <= eta <= eta_max. *)
Theorem X9_all_runs_rate_range (h : Hyper) (s s' : State) (g eta : R) :
  valid h -> weight_limited (opts h) -> reachable h s -> step h s g = Some (s', eta) ->
  0 <= eta /\ (forall e, eta_max (opts h) = Some e -> eta <= e).
Proof. intros Hv Hl Hr E. exact (proj2 (Inv_step h s s' g eta Hv Hl (Inv_reachable h s Hv Hl Hr) E)). Qed.

(** X8 without the clamp: the literal slides with B = 2, K = 1 (warm-up weight
    B/K = 2) reach D = -2 < 0 after one gradient 1. *)
Theorem X8_all_runs_counterexample :
  let h := mkHyper 2 1 16 1 (1 / 1000000000000) 1 literal in
  valid h /\ exists s, run h (init h 0) [1] = Some s /\ Dst s = -2 /\ Dst s < 0.
Proof.
  cbv zeta. split.
  - unfold valid; simpl. repeat split; try lra; try discriminate; lia.
  - eexists. split; [reflexivity|].
    unfold Dst; simpl. unfold new_mass, new_second, new_mean, warm_weight, limit_weight; simpl.
    split; field_simplify; lra.
Qed.

(** Under the options that make every update finite (quench::StepConstants::always_finite:
    clamp_variance, eta_max and a weight limit), no step is ever refused. *)
Theorem step_total_always_finite (h : Hyper) (s : State) (g : R) :
  valid h -> clamp_variance (opts h) = true -> eta_max (opts h) <> None ->
  weight_limited (opts h) -> exists s' eta, step h s g = Some (s', eta).
Proof.
  intros Hv Hcv Hem Hl. pose proof Hv as (_ & _ & _ & _ & _ & Hfl & _).
  unfold step. destruct (Nat.leb _ _); [eauto|].
  unfold rate_and_weight.
  assert (Hb : bounded (opts h) = true).
  { unfold bounded, limit_infinite. destruct (eta_max (opts h)); [|contradiction].
    destruct Hl as [Hc|Hm]; [rewrite Hc; destruct (max_weight (opts h)); reflexivity|].
    destruct (max_weight (opts h)); [|contradiction]. destruct (clamp_weight (opts h)); reflexivity. }
  rewrite Hb, Hcv. simpl.
  destruct (Req_EM_T (Rmax _ (floor h)) 0) as [E|E].
  - exfalso. match type of E with Rmax ?a _ = _ => pose proof (Rmax_r a (floor h)) end. lra.
  - eauto.
Qed.

(** ** X14: the absorbing state of the clamp alone, and its absence with w_max < 1 *)

(** With the X8 clamp and no X14 limit, after warm-up, a weight of exactly 1 is
    absorbing: every later state has w = 1 and D = 0 (var = 0 for ever), whatever the
    gradients.  (Needs B eps/(lambda_B s) >= floor, true for the defaults: eps = 1e-12,
    floor = 2^-1022.) *)
Definition absorbed (h : Hyper) (s : State) : Prop := w s = 1 /\ (warmup h <= t s)%nat.

Lemma X14_absorbing_step (h : Hyper) (s s' : State) (g eta : R) :
  valid h -> clamp_weight (opts h) = true -> max_weight (opts h) = None ->
  clamp_variance (opts h) = true -> floor h <= weight_factor h * eps h ->
  absorbed h s -> step h s g = Some (s', eta) -> absorbed h s' /\ Dst s' = 0.
Proof.
  intros Hv Hcw Hmw Hcv Hfl (Hw & Ht). pose proof Hv as (HB & _ & HlB & _ & Heps & Hf & _).
  unfold step.
  assert (Hleb : Nat.leb (S (t s)) (warmup h) = false) by (apply Nat.leb_gt; lia).
  rewrite Hleb. rewrite Hw.
  set (c1 := new_mass (opts h) 1 (c s)).
  assert (Hc1 : c1 = 1) by (unfold c1, new_mass; destruct (bias_correction (opts h)); ring).
  assert (Hm1 : new_mean 1 (m s) g = g) by (unfold new_mean; ring).
  assert (Hv1 : new_second 1 (v s) g = g * g) by (unfold new_second; ring).
  rewrite Hc1, Hm1, Hv1.
  assert (HS : scaled_variance (opts h) 1 (g * g) g = 0).
  { unfold scaled_variance. rewrite Hcv.
    destruct (bias_correction (opts h)); replace (_ - g * g) with 0 by ring;
      apply Rmax_left; lra. }
  rewrite HS. unfold rate_and_weight.
  destruct (negb (bounded (opts h)) && _); [discriminate|].
  rewrite Hcv. rewrite (Rmax_right 0 (floor h)) by lra.
  destruct (Req_EM_T (floor h) 0) as [E|E]; [lra|].
  intros H. injection H as <- <-.
  unfold absorbed, Dst; simpl. split; [split|ring]; [|lia].
  unfold limit_weight. rewrite Hcw, Hmw. apply Rmin_right.
  assert (Hwf : 0 < weight_factor h).
  { unfold weight_factor. destruct (per_example (opts h)); apply Rdiv_lt_0_compat; lra. }
  assert (Hc2 : (if bias_correction (opts h) then 1 * 1 else 1) = 1)
    by (destruct (bias_correction (opts h)); ring).
  rewrite Hc2.
  assert (weight_factor h * eps h <= weight_factor h * (eps h * 1 + g * g)).
  { apply Rmult_le_compat_l; [lra|]. assert (0 <= g * g) by nra. lra. }
  apply (Rmult_le_reg_r (floor h)); [lra|].
  replace (weight_factor h * (eps h * 1 + g * g) * (1 / floor h) * floor h)
    with (weight_factor h * (eps h * 1 + g * g)) by (field; lra). lra.
Qed.

Theorem X14_clamp_alone_absorbing (h : Hyper) (s : State) (g : R) (gs : list R) (s' : State) :
  valid h -> clamp_weight (opts h) = true -> max_weight (opts h) = None ->
  clamp_variance (opts h) = true -> floor h <= weight_factor h * eps h ->
  absorbed h s -> run h s (g :: gs) = Some s' ->
  w s' = 1 /\ Dst s' = 0 /\ var s' = 0.
Proof.
  intros Hv Hcw Hmw Hcv Hfl. revert g s.
  induction gs as [|g2 gs IH]; intros g s Ha Hrun; simpl in Hrun;
    destruct (step h s g) as [[s1 e]|] eqn:E; try discriminate.
  - injection Hrun as <-. destruct (X14_absorbing_step h s s1 g e Hv Hcw Hmw Hcv Hfl Ha E) as [[H1 _] H2].
    unfold var. rewrite H2. unfold Rdiv. rewrite Rmult_0_l. auto.
  - apply (IH g2 s1); [exact (proj1 (X14_absorbing_step h s s1 g e Hv Hcw Hmw Hcv Hfl Ha E)) | exact Hrun].
Qed.

(** With the X14 limit max_weight < 1 (and bias correction), the state remembers every
    gradient while var = 0: D = 0 implies c x = m for every gradient x seen so far. *)
Definition remembers (h : Hyper) (gs : list R) (s : State) : Prop :=
  Inv h s /\ (gs <> [] -> 0 < c s) /\ (Dst s = 0 -> forall x, In x gs -> c s * x = m s).

Lemma remembers_step (h : Hyper) (mw : R) (gs : list R) (s s' : State) (g eta : R) :
  valid h -> max_weight (opts h) = Some mw -> mw < 1 -> bias_correction (opts h) = true ->
  remembers h gs s -> step h s g = Some (s', eta) -> remembers h (gs ++ [g]) s'.
Proof.
  intros Hv Hmw Hlt Hb (HI & Hc & Hrem) E.
  assert (Hl : weight_limited (opts h)) by (right; rewrite Hmw; discriminate).
  destruct (Inv_step h s s' g eta Hv Hl HI E) as [HI' _].
  pose proof HI as (Hw & Hwm & Hc0 & _ & Hv0 & HD).
  pose proof (Hwm mw Hmw) as Hw1.
  assert (Hs' : c s' = (1 - w s) * c s + w s /\ m s' = new_mean (w s) (m s) g /\
                v s' = new_second (w s) (v s) g).
  { unfold step in E. destruct (Nat.leb _ _);
      [|destruct (rate_and_weight _ _ _ _) as [[? ?]|]; [|discriminate]];
      injection E as <- _; unfold new_mass; rewrite Hb; simpl; auto. }
  destruct Hs' as (Ec & Em & Ev).
  split; [exact HI'|]. split.
  { intros _. rewrite Ec. assert (0 <= (1 - w s) * c s) by (apply Rmult_le_pos; lra). lra. }
  intros HD0 x Hx.
  assert (HD' : Dst s' = (1 - w s) ^ 2 * Dst s + w s * (1 - w s) * (c s * g * g - 2 * m s * g + v s)).
  { unfold Dst. rewrite Ec, Em, Ev. rewrite D_update. reflexivity. }
  pose proof (cross_term_nonneg (c s) (m s) (v s) g ltac:(lra) Hv0 HD) as HQ.
  assert (HDs : 0 <= Dst s) by (unfold Dst; lra).
  assert (H1 : 0 <= (1 - w s) ^ 2 * Dst s) by (apply Rmult_le_pos; nra).
  assert (Hww : 0 < w s * (1 - w s)) by (apply Rmult_lt_0_compat; lra).
  assert (H2 : 0 <= w s * (1 - w s) * (c s * g * g - 2 * m s * g + v s)) by nra.
  assert (HQ0 : c s * g * g - 2 * m s * g + v s = 0).
  { assert (w s * (1 - w s) * (c s * g * g - 2 * m s * g + v s) = 0) by lra. nra. }
  assert (HDz : Dst s = 0).
  { assert ((1 - w s) ^ 2 * Dst s = 0) by lra. assert (0 < (1 - w s) ^ 2) by nra. nra. }
  apply in_app_or in Hx.
  rewrite Ec, Em. unfold new_mean.
  destruct (Req_dec (c s) 0) as [Hc0z|Hc0z].
  - (* the first gradient: nothing seen before *)
    assert (gs = []) by (destruct gs; [reflexivity|]; exfalso; specialize (Hc ltac:(discriminate)); lra).
    subst gs. destruct Hx as [[]|[<-|[]]].
    assert (m s = 0) by (rewrite Hc0z in HD; nra). rewrite Hc0z, H. ring.
  - assert (Hcg : c s * g = m s).
    { pose proof (cross_term (c s) (m s) (v s) g) as X. rewrite HQ0 in X.
      unfold Dst in HDz. rewrite HDz in X. assert ((c s * g - m s) ^ 2 = 0) by lra. nra. }
    destruct Hx as [Hx|[<-|[]]].
    + pose proof (Hrem HDz x Hx) as Hxm.
      assert (x = g) by (apply (Rmult_eq_reg_l (c s)); lra). subst x.
      replace (((1 - w s) * c s + w s) * g) with ((1 - w s) * (c s * g) + w s * g) by ring.
      rewrite Hcg. reflexivity.
    + replace (((1 - w s) * c s + w s) * g) with ((1 - w s) * (c s * g) + w s * g) by ring.
      rewrite Hcg. reflexivity.
Qed.

Lemma remembers_run (h : Hyper) (mw phi0 : R) (gs : list R) (s : State) :
  valid h -> max_weight (opts h) = Some mw -> mw < 1 -> bias_correction (opts h) = true ->
  run h (init h phi0) gs = Some s -> remembers h gs s.
Proof.
  intros Hv Hmw Hlt Hb. revert s. induction gs as [|g gs IH] using rev_ind; intros s Hrun.
  - simpl in Hrun. injection Hrun as <-.
    split; [apply Inv_init; [exact Hv | right; rewrite Hmw; discriminate]|].
    split; [intros H; contradiction|]. intros _ x [].
  - rewrite run_app in Hrun.
    destruct (run h (init h phi0) gs) as [s1|] eqn:E1; [|discriminate].
    destruct (step h s1 g) as [[s2 e]|] eqn:E2; [|discriminate]. injection Hrun as <-.
    exact (remembers_step h mw gs s1 s2 g e Hv Hmw Hlt Hb (IH s1 eq_refl) E2).
Qed.

(** X14: with max_weight < 1 there is no absorbing state: once two different gradients
    have been seen, var > 0 in every later state. *)
Theorem X14_no_absorbing_state (h : Hyper) (mw phi0 x y : R) (gs : list R) (s : State) :
  valid h -> max_weight (opts h) = Some mw -> mw < 1 -> bias_correction (opts h) = true ->
  run h (init h phi0) gs = Some s -> In x gs -> In y gs -> x <> y ->
  0 < Dst s /\ 0 < var s.
Proof.
  intros Hv Hmw Hlt Hb Hrun Hx Hy Hxy.
  destruct (remembers_run h mw phi0 gs s Hv Hmw Hlt Hb Hrun) as (HI & Hc & Hrem).
  assert (Hc0 : 0 < c s) by (apply Hc; destruct gs; [destruct Hx | discriminate]).
  assert (HD : 0 <= Dst s) by (destruct HI as (_ & _ & _ & _ & _ & H); unfold Dst; lra).
  assert (HDp : 0 < Dst s).
  { destruct (Req_dec (Dst s) 0) as [E|E]; [|lra].
    pose proof (Hrem E x Hx). pose proof (Hrem E y Hy).
    exfalso. apply Hxy. apply (Rmult_eq_reg_l (c s)); lra. }
  split; [exact HDp|]. unfold var. apply Rdiv_lt_0_compat; [exact HDp|]. nra.
Qed.

(** ** X15: bias correction makes constant gradients exact *)

(** For every option setting: with bias correction, after n >= 1 constant gradients g,
    m = c g and v = c g^2, hence gt = g and D = 0 (var = 0) from the first step on. *)
Theorem X15_constant_gradients_exact (h : Hyper) (phi0 g : R) (n : nat) (s : State) :
  bias_correction (opts h) = true ->
  run h (init h phi0) (repeat g n) = Some s ->
  m s = c s * g /\ v s = c s * (g * g) /\ Dst s = 0.
Proof.
  intros Hb.
  assert (H : forall s0, m s0 = c s0 * g /\ v s0 = c s0 * (g * g) ->
              forall n s1, run h s0 (repeat g n) = Some s1 ->
                           m s1 = c s1 * g /\ v s1 = c s1 * (g * g)).
  { intros s0 H0 k. revert s0 H0. induction k as [|k IH]; intros s0 H0 s1 Hr; simpl in Hr.
    - injection Hr as <-. exact H0.
    - destruct (step h s0 g) as [[s2 e]|] eqn:E; [|discriminate].
      apply (IH s2); [|exact Hr].
      assert (Hs2 : c s2 = (1 - w s0) * c s0 + w s0 /\ m s2 = new_mean (w s0) (m s0) g /\
                    v s2 = new_second (w s0) (v s0) g).
      { unfold step in E. destruct (Nat.leb _ _);
          [|destruct (rate_and_weight _ _ _ _) as [[? ?]|]; [|discriminate]];
          injection E as <- _; unfold new_mass; rewrite Hb; simpl; auto. }
      destruct Hs2 as (Ec & Em & Ev). destruct H0 as [Hm Hv].
      rewrite Ec, Em, Ev. unfold new_mean, new_second. rewrite Hm, Hv. split; ring. }
  intros Hrun. destruct (H (init h phi0) ltac:(unfold init; rewrite Hb; simpl; split; ring) n s Hrun)
    as [Hm Hv].
  split; [exact Hm|]. split; [exact Hv|]. unfold Dst. rewrite Hm, Hv. ring.
Qed.

Corollary X15_constant_gradients_mean (h : Hyper) (phi0 g : R) (n : nat) (s : State) :
  valid h -> weight_limited (opts h) -> bias_correction (opts h) = true -> (1 <= n)%nat ->
  run h (init h phi0) (repeat g n) = Some s -> gt s = g /\ var s = 0.
Proof.
  intros Hv Hl Hb Hn Hrun.
  destruct (X15_constant_gradients_exact h phi0 g n s Hb Hrun) as (Hm & _ & HD).
  assert (Hc : 0 < c s).
  { destruct n as [|n]; [lia|]. simpl in Hrun.
    destruct (step h (init h phi0) g) as [[s1 e]|] eqn:E; [|discriminate].
    assert (HI1 : Inv h s1) by exact (proj1 (Inv_step h _ _ _ _ Hv Hl (Inv_init h phi0 Hv Hl) E)).
    assert (Hc1 : 0 < c s1).
    { unfold step in E. pose proof (warm_weight_range h Hv Hl) as [Hw0 _].
      destruct (Nat.leb _ _);
        [|destruct (rate_and_weight _ _ _ _) as [[? ?]|]; [|discriminate]];
        injection E as <- _; simpl; unfold new_mass, init; rewrite Hb; simpl; lra. }
    (* c never decreases to 0 again: c' = (1 - w) c + w >= w > 0 *)
    assert (P : forall k s0 s2, Inv h s0 -> 0 < c s0 -> run h s0 (repeat g k) = Some s2 -> 0 < c s2).
    { intros k. induction k as [|k IH]; intros s0 s2 HI0 Hc0 Hr; simpl in Hr.
      - injection Hr as <-. exact Hc0.
      - destruct (step h s0 g) as [[s3 e3]|] eqn:E3; [|discriminate].
        apply (IH s3); [exact (proj1 (Inv_step h _ _ _ _ Hv Hl HI0 E3)) | | exact Hr].
        destruct HI0 as ((Hw0 & Hw1) & _ & (Hc00 & Hc01) & _).
        unfold step in E3. destruct (Nat.leb _ _);
          [|destruct (rate_and_weight _ _ _ _) as [[? ?]|]; [|discriminate]];
          injection E3 as <- _; simpl; unfold new_mass; rewrite Hb;
          assert (0 <= (1 - w s0) * c s0) by (apply Rmult_le_pos; lra); lra. }
    exact (P n s1 s HI1 Hc1 Hrun). }
  unfold gt, var. rewrite HD, Hm. split; [field; lra|]. unfold Rdiv. ring.
Qed.

(** ** The cancellation-free recurrence of D *)

(** With bias correction, each step's scaled variance obeys
      D' = (1-w)^2 D + w (1-w) ((c g - m)^2 + D) / c      (c > 0)
    (and D' = (1-w)^2 D + w (1-w) v at the first step, c = 0): a sum of
    non-negative terms, no cancellation, for w in [0, 1]. *)
Theorem D_recurrence (h : Hyper) (s s' : State) (g eta : R) :
  bias_correction (opts h) = true -> step h s g = Some (s', eta) ->
  (c s <> 0 -> Dst s' = (1 - w s) ^ 2 * Dst s
                        + w s * (1 - w s) * ((c s * g - m s) ^ 2 + Dst s) / c s) /\
  (c s = 0 -> Dst s' = (1 - w s) ^ 2 * Dst s + w s * (1 - w s) * (v s - 2 * m s * g)).
Proof.
  intros Hb E.
  assert (Hs' : c s' = (1 - w s) * c s + w s /\ m s' = new_mean (w s) (m s) g /\
                v s' = new_second (w s) (v s) g).
  { unfold step in E. destruct (Nat.leb _ _);
      [|destruct (rate_and_weight _ _ _ _) as [[? ?]|]; [|discriminate]];
      injection E as <- _; unfold new_mass; rewrite Hb; simpl; auto. }
  destruct Hs' as (Ec & Em & Ev). unfold Dst. rewrite Ec, Em, Ev, D_update.
  split; intros Hc.
  - assert (HQ : c s * g * g - 2 * m s * g + v s
                 = ((c s * g - m s) ^ 2 + (c s * v s - m s * m s)) / c s) by (field; exact Hc).
    rewrite HQ. unfold Rdiv. ring.
  - rewrite Hc. ring.
Qed.

(** ** E18 = E13 under X10 *)

(** Where D = c v - m^2 >= 0, the X11 clamp changes nothing. *)
Lemma scaled_variance_nonneg_eq (o : Options) (c0 v0 m0 : R) :
  (bias_correction o = false -> c0 = 1) -> 0 <= c0 * v0 - m0 * m0 ->
  scaled_variance o c0 v0 m0 = c0 * v0 - m0 * m0.
Proof.
  intros Hb HD. unfold scaled_variance.
  assert (E : (if bias_correction o then c0 * v0 - m0 * m0 else v0 - m0 * m0)
              = c0 * v0 - m0 * m0).
  { destruct (bias_correction o); [reflexivity | rewrite (Hb eq_refl); ring]. }
  rewrite E. destruct (clamp_variance o); [apply Rmax_left; lra | reflexivity].
Qed.

(** After warm-up, with the per-example statistic (X13) and lambda_eta = B/(32 L) (X10),
    the step's eta is E13's linear-scaling rate eta_B with ghat = gt and the per-example
    variance sigmahat^2 = B var, capped at eta_max (X9) when that is set; this holds
    whenever D is above the X11 floor (otherwise eta = eta_max). *)
Theorem E18_is_E13 (h : Hyper) (L : R) (s s' : State) (g eta : R) :
  valid h -> 0 < L -> per_example (opts h) = true -> lambda_eta h = batch h / (32 * L) ->
  (warmup h <= t s)%nat -> step h s g = Some (s', eta) ->
  0 < c s' -> m s' <> 0 -> floor h <= Dst s' -> 0 < Dst s' ->
  let sigma := sqrt (batch h * var s') in
  eta = match eta_max (opts h) with
        | Some e => Rmin (eta_B L sigma (gt s') (batch h)) e
        | None => eta_B L sigma (gt s') (batch h)
        end.
Proof.
  intros Hv HL Hpe Hle Ht E Hc Hm Hfl HD sigma.
  pose proof Hv as (HB & _).
  unfold step in E.
  assert (Hleb : Nat.leb (S (t s)) (warmup h) = false) by (apply Nat.leb_gt; lia).
  rewrite Hleb in E.
  destruct (rate_and_weight _ _ _ _) as [[eta1 w1]|] eqn:Er; [|discriminate].
  injection E as Es' <-. subst s'. unfold gt, var, Dst in *. simpl in *.
  set (c1 := new_mass (opts h) (w s) (c s)) in *.
  set (m1 := new_mean (w s) (m s) g) in *.
  set (v1 := new_second (w s) (v s) g) in *.
  assert (HS : scaled_variance (opts h) c1 v1 m1 = c1 * v1 - m1 * m1).
  { apply scaled_variance_nonneg_eq; [|lra].
    unfold c1, new_mass. destruct (bias_correction (opts h)); [discriminate | reflexivity]. }
  rewrite HS in Er.
  unfold rate_and_weight in Er.
  destruct (negb (bounded (opts h)) && _) eqn:Eref.
  { destruct (Req_EM_T (c1 * v1 - m1 * m1) 0); [lra|].
    rewrite andb_false_r in Eref. discriminate. }
  assert (Hdiv : (if clamp_variance (opts h) then Rmax (c1 * v1 - m1 * m1) (floor h)
                  else c1 * v1 - m1 * m1) = c1 * v1 - m1 * m1).
  { destruct (clamp_variance (opts h)); [apply Rmax_left; lra | reflexivity]. }
  rewrite Hdiv in Er.
  destruct (Req_EM_T (c1 * v1 - m1 * m1) 0) as [E0|E0]; [lra|].
  injection Er as <- _.
  assert (Heq : rate_factor h * (m1 * m1) * (1 / (c1 * v1 - m1 * m1))
                = eta_B L sigma (m1 / c1) (batch h)).
  { unfold rate_factor. rewrite Hpe, Hle. unfold sigma, eta_B, B_star.
    assert (Hvar : 0 < batch h * ((c1 * v1 - m1 * m1) / (c1 * c1))).
    { apply Rmult_lt_0_compat; [lra|]. apply Rdiv_lt_0_compat; nra. }
    rewrite pow2_sqrt by lra.
    field. repeat split; lra. }
  rewrite Heq. reflexivity.
Qed.

(** ** The quenching limit *)

(** Along any infinite run (states S n, rates eta n) after warm-up: if gt -> 0 while
    var stays above a positive bound, then eta -> 0. *)
Theorem quenching_limit (h : Hyper) (S : nat -> State) (g eta : nat -> R) (vmin : R) :
  valid h -> weight_limited (opts h) -> reachable h (S 0%nat) ->
  (forall n, step h (S n) (g n) = Some (S (Datatypes.S n), eta n)) ->
  (forall n, (warmup h <= t (S n))%nat) ->
  0 < vmin -> (forall n, vmin <= var (S (Datatypes.S n))) ->
  Un_cv (fun n => gt (S n)) 0 -> Un_cv eta 0.
Proof.
  intros Hv Hl Hr Hstep Ht Hvmin Hvar Hgt.
  pose proof Hv as (HB & _ & HlB & Hle & Heps & Hfl & _).
  assert (HI : forall n, Inv h (S n)).
  { intros n. induction n as [|n IH]; [exact (Inv_reachable h _ Hv Hl Hr)|].
    exact (proj1 (Inv_step h _ _ _ _ Hv Hl IH (Hstep n))). }
  assert (Hrf : 0 < rate_factor h).
  { unfold rate_factor. destruct (per_example (opts h)); [apply Rdiv_lt_0_compat|]; lra. }
  (* eta n <= rate_factor gt(S (n+1))^2 / vmin *)
  assert (Hbound : forall n, 0 <= eta n <= rate_factor h * gt (S (Datatypes.S n)) ^ 2 / vmin).
  { intros n. pose proof (Hstep n) as E.
    destruct (Inv_step h _ _ _ _ Hv Hl (HI n) E) as [HI1 [He0 _]].
    split; [exact He0|].
    pose proof (Hvar n) as Hvn.
    set (s1 := S (Datatypes.S n)) in *.
    pose proof HI1 as (_ & _ & (Hc0 & _) & _ & _ & HD1).
    assert (Hc : 0 < c s1).
    { destruct (Req_dec (c s1) 0) as [Z|Z]; [|lra].
      unfold var, Dst in Hvn. rewrite Z in Hvn. unfold Rdiv in Hvn.
      replace (0 * 0) with 0 in Hvn by ring. rewrite Rinv_0, Rmult_0_r in Hvn. lra. }
    assert (HDp : 0 < Dst s1).
    { unfold var in Hvn. assert (0 < Dst s1 / (c s1 * c s1)) by lra.
      apply (Rmult_lt_reg_r (/ (c s1 * c s1))); [apply Rinv_0_lt_compat; nra|].
      rewrite Rmult_0_l. exact H. }
    unfold step in E.
    assert (Hleb : Nat.leb (Datatypes.S (t (S n))) (warmup h) = false)
      by (apply Nat.leb_gt; specialize (Ht n); lia).
    rewrite Hleb in E.
    destruct (rate_and_weight _ _ _ _) as [[eta1 w1]|] eqn:Er; [|discriminate].
    injection E as Es' <-. unfold s1 in *. rewrite <- Es' in *. unfold gt in *. simpl in *.
    set (c1 := new_mass (opts h) (w (S n)) (c (S n))) in *.
    set (m1 := new_mean (w (S n)) (m (S n)) (g n)) in *.
    set (v1 := new_second (w (S n)) (v (S n)) (g n)) in *.
    unfold Dst in HDp; simpl in HDp.
    assert (HS : scaled_variance (opts h) c1 v1 m1 = c1 * v1 - m1 * m1).
    { apply scaled_variance_nonneg_eq; [|lra].
      unfold c1, new_mass. destruct (bias_correction (opts h)); [discriminate | reflexivity]. }
    rewrite HS in Er. unfold rate_and_weight in Er.
    destruct (negb (bounded (opts h)) && _) eqn:Eref.
    { destruct (Req_EM_T (c1 * v1 - m1 * m1) 0); [lra|].
      rewrite andb_false_r in Eref. discriminate. }
    set (Dd := c1 * v1 - m1 * m1) in *.
    set (divisor := if clamp_variance (opts h) then Rmax Dd (floor h) else Dd) in *.
    assert (Hdiv : Dd <= divisor).
    { unfold divisor. destruct (clamp_variance (opts h)); [apply Rmax_l | lra]. }
    destruct (Req_EM_T divisor 0) as [E0|E0]; [lra|].
    injection Er as <- _.
    assert (Heta0 : rate_factor h * (m1 * m1) * (1 / divisor)
                    <= rate_factor h * (m1 / c1) ^ 2 / vmin).
    { unfold var, Dst in Hvn; simpl in Hvn. fold Dd in Hvn.
      assert (Hm2 : 0 <= m1 * m1) by nra.
      (* m^2/divisor <= m^2/D = gt^2/var <= gt^2/vmin *)
      assert (H1 : m1 * m1 / divisor <= m1 * m1 / Dd).
      { unfold Rdiv. apply Rmult_le_compat_l; [exact Hm2|].
        apply Rinv_le_contravar; lra. }
      assert (H2 : m1 * m1 / Dd = (m1 / c1) ^ 2 / (Dd / (c1 * c1))) by (field; lra).
      assert (H3 : (m1 / c1) ^ 2 / (Dd / (c1 * c1)) <= (m1 / c1) ^ 2 / vmin).
      { unfold Rdiv at 1 3. apply Rmult_le_compat_l; [apply pow2_ge_0|].
        apply Rinv_le_contravar; lra. }
      replace (rate_factor h * (m1 * m1) * (1 / divisor)) with (rate_factor h * (m1 * m1 / divisor))
        by (unfold Rdiv; ring).
      unfold Rdiv at 2. rewrite Rmult_assoc. apply Rmult_le_compat_l; [lra|].
      fold (Rdiv ((m1 / c1) ^ 2) vmin). lra. }
    destruct (eta_max (opts h)) as [e|]; [|exact Heta0].
    pose proof (Rmin_l (rate_factor h * (m1 * m1) * (1 / divisor)) e). lra. }
  (* squeeze *)
  intros eps0 Heps0.
  set (k := rate_factor h / vmin).
  assert (Hk : 0 < k) by (apply Rdiv_lt_0_compat; lra).
  destruct (Hgt (sqrt (eps0 / k))) as [N HN].
  { apply sqrt_lt_R0. apply Rdiv_lt_0_compat; lra. }
  exists N. intros n Hn. unfold R_dist. rewrite Rminus_0_r.
  specialize (HN (Datatypes.S n) ltac:(lia)). unfold R_dist in HN. rewrite Rminus_0_r in HN.
  destruct (Hbound n) as [H0 H1]. rewrite Rabs_pos_eq by lra.
  assert (Hsq : gt (S (Datatypes.S n)) ^ 2 < eps0 / k).
  { set (x := gt (S (Datatypes.S n))) in *. set (b := sqrt (eps0 / k)) in HN.
    assert (Hb : b * b = eps0 / k) by (apply sqrt_sqrt; left; apply Rdiv_lt_0_compat; lra).
    assert (Ha : 0 <= Rabs x) by apply Rabs_pos.
    rewrite <- (pow2_abs x). nra. }
  assert (E1 : rate_factor h * gt (S (Datatypes.S n)) ^ 2 / vmin = k * gt (S (Datatypes.S n)) ^ 2)
    by (unfold k; field; lra).
  rewrite E1 in H1.
  assert (k * gt (S (Datatypes.S n)) ^ 2 < k * (eps0 / k)) by (apply Rmult_lt_compat_l; lra).
  replace (k * (eps0 / k)) with eps0 in H by (field; lra). lra.
Qed.
