(* RoundingLink.v - the Gappa certificates and the Flocq glue, linked in Coq.

   Each Gappa script of this folder is exported with `gappa -Bcoq` and checked by Coq as
   module Cert_<script> of GappaCertificates.v (check_certificates.sh).  A certificate's
   final lemma l1 says, over the script's real variables x_, that the script's hypotheses
   and the negation of its goal are contradictory; its rounding is the Gappa support
   library's `rounding_float rndNE 53 (-1074)`.  RoundingGlue.v states its bounds with
   Flocq's `round radix2 (FLT_exp (-1074) 53) ZnearestE` and takes the per-term Gappa
   results as premises.

   This file proves (1) that the two roundings are the same function
   (gappa_rounding_is_flocq), (2) for every certificate, its goal in Flocq's vocabulary,
   with the script's variables as doubles (generic_format) and the script's ranges as the
   only premises (<script>_certified), and (3) every formula bound and every one-step
   bound of RoundingGlue.v with the Gappa premises discharged by those theorems
   (the theorems named ..._certified): their premises are the ranges of the doubles each formula reads,
   nothing restated by hand.  A changed constant in a script or here makes this file fail
   to compile.

   The scripts' hex bounds read: 0x1p-53 = u, 0xk.00000jp-53 = c k j, 2^e = bpow radix2 e. *)

From Coq Require Import Reals Lra Lia Psatz Classical.
From Flocq Require Import Core.
Require Import Gappa.Gappa_library.
Require Import RoundingGlue GappaCertificates.
Open Scope R_scope.

(* ---- (1) The rounding models are the same ------------------------------------------- *)

(* The Gappa support library's binary64 nearest-even rounding is Flocq's, by definition:
   rounding_float is a notation for Flocq's round with FLT_exp, and rndNE is Flocq's
   Znearest with the tie-break "not even". *)
Theorem gappa_rounding_is_flocq : forall x, rounding_float rndNE 53 (-1074) x = rnd x.
Proof. reflexivity. Qed.

(* A double (Flocq's generic_format) is its own rounding, so a script's `x = rnd(x_)`
   with x_ := x is the double x. *)
Lemma gappa_double : forall x, fmt x -> rounding_float rndNE 53 (-1074) x = x.
Proof. intros x F. rewrite gappa_rounding_is_flocq. apply round_generic; [apply valid_rnd_N | exact F]. Qed.

(* Rounding twice is rounding once (Gappa's `x rnd= ...` rounds an already rounded term again). *)
Lemma rnd_idem : forall x, rnd (rnd x) = rnd x.
Proof. intros x. apply round_generic; [apply valid_rnd_N | apply fmt_rnd]. Qed.

(* ---- (2) Each certificate in Flocq's vocabulary ---------------------------------------- *)

(* Normalise Gappa's intervals (Float2 m e) to real numerals and its rounding to rnd. *)
Ltac gnorm := unfold BND, float2R, F2R, Float1, rndNE in *;
  simpl Gappa_definitions.Fnum in *; simpl Gappa_definitions.Fexp in *;
  simpl Defs.Fnum in *; simpl Defs.Fexp in *; simpl bpow in *;
  unfold u, c, p77 in *;
  repeat match goal with
  | |- context [Z.pow_pos ?a ?b] =>
      let v := eval vm_compute in (Z.pow_pos a b) in change (Z.pow_pos a b) with v in *
  | H : context [Z.pow_pos ?a ?b] |- _ =>
      let v := eval vm_compute in (Z.pow_pos a b) in change (Z.pow_pos a b) with v in *
  end;
  rewrite ?Rmult_1_r in *.

(* Replace the rounding of every double variable by the variable. *)
Ltac gdoubles :=
  repeat match goal with F : fmt ?x |- _ =>
    let E := fresh "E" in pose proof (gappa_double x F) as E; unfold rndNE in E; clear F;
    try rewrite E in * end;
  rewrite ?rnd_idem in *.

(* Prove the certificate's hypothesis block from ours; its negated goal is ours negated. *)
Ltac glink_goal Hn :=
  match goal with
  | |- _ /\ _ => split; glink_goal Hn
  | |- BND _ _ => solve [gnorm; gdoubles; lra]
                  || fail 1 "a range of the script does not follow from this theorem's premises"
  | |- _ -> False => let Hp := fresh "Hp" in intro Hp; apply Hn; gnorm; gdoubles
  | |- _ \/ _ =>   (* a goal of two conjuncts: its negation is a disjunction *)
      let Hd := fresh "Hd" in let Ha := fresh "Ha" in let Hb := fresh "Hb" in
      apply NNPP; intro Hd; apply Hn; apply not_or_and in Hd; destruct Hd as [Ha Hb];
      apply NNPP in Ha; apply NNPP in Hb; gnorm; gdoubles
  | |- _ => hnf; glink_goal Hn
  end.

(* C: the certificate's l1 applied to the variables.  Classical: l1 refutes the negation. *)
Ltac glink C :=
  apply NNPP; let Hn := fresh "Hn" in intro Hn; apply C; glink_goal Hn;
  solve [repeat split; lra]
  || fail "the certificate's goal does not give this theorem's bound (a constant differs)".

(* E15 mean, new term B = w g (step_mean_new_term.g). *)
Theorem step_mean_new_term_certified : forall w g, fmt w -> fmt g ->
  bpow radix2 (-100) <= w <= 1 -> bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  Rabs ((rnd (w * g) - w * g) / (w * g)) <= u.
Proof. intros w g Fw Fg Hw Hg. glink (Cert_step_mean_new_term.l1 w g). Qed.

(* E15 mean, kept term A = keep m (step_mean_keep_term.g). *)
Theorem step_mean_keep_term_certified : forall w m, fmt w -> fmt m ->
  bpow radix2 (-100) <= w <= 1 - bpow radix2 (-53) ->
  bpow radix2 (-250) <= Rabs m <= bpow radix2 250 ->
  Rabs ((rnd (rnd (1 - w) * m) - (1 - w) * m) / ((1 - w) * m)) <= c 2 1.
Proof. intros w m Fw Fm Hw Hm. glink (Cert_step_mean_keep_term.l1 w m). Qed.

(* X15 mass c' = keep c + w (step_mass.g). *)
Theorem step_mass_certified : forall w cc, fmt w -> fmt cc ->
  bpow radix2 (-100) <= w <= 1 -> bpow radix2 (-100) <= cc <= 1 ->
  - c 3 1 <= (rnd (rnd (rnd (1 - w) * cc) + w) - ((1 - w) * cc + w)) / ((1 - w) * cc + w)
    <= c 3 1.
Proof. intros w cc Fw Fc Hw Hc. glink (Cert_step_mass.l1 w cc). Qed.

(* E16 second moment v' = keep v + w (g g) (step_second.g). *)
Theorem step_second_certified : forall w v g, fmt w -> fmt v -> fmt g ->
  bpow radix2 (-100) <= w <= 1 -> bpow radix2 (-500) <= v <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  - c 3 1 <= (rnd (rnd (rnd (1 - w) * v) + rnd (w * rnd (g * g))) - ((1 - w) * v + w * (g * g)))
             / ((1 - w) * v + w * (g * g)) <= c 3 1.
Proof. intros w v g Fw Fv Fg Hw Hv Hg. glink (Cert_step_second.l1 w v g). Qed.

(* E16/X11 variance, term c v (step_variance_cv_term.g). *)
Theorem step_variance_cv_term_certified : forall cc v, fmt cc -> fmt v ->
  bpow radix2 (-100) <= cc <= 1 -> bpow radix2 (-500) <= v <= bpow radix2 500 ->
  Rabs ((rnd (cc * v) - cc * v) / (cc * v)) <= u.
Proof. intros cc v Fc Fv Hc Hv. glink (Cert_step_variance_cv_term.l1 cc v). Qed.

(* E16/X11 variance, term m^2 (step_variance_m2_term.g). *)
Theorem step_variance_m2_term_certified : forall m, fmt m ->
  bpow radix2 (-250) <= Rabs m <= bpow radix2 250 ->
  Rabs ((rnd (m * m) - m * m) / (m * m)) <= u.
Proof. intros m Fm Hm. glink (Cert_step_variance_m2_term.l1 m). Qed.

(* E18/E20 rate (step_rate.g). *)
Theorem step_rate_certified : forall rf m Dd, fmt rf -> fmt m -> fmt Dd ->
  bpow radix2 (-60) <= rf <= bpow radix2 60 -> bpow radix2 (-250) <= Rabs m <= bpow radix2 250 ->
  bpow radix2 (-300) <= Dd <= bpow radix2 300 ->
  - c 4 1 <= (rnd (rnd (rf * rnd (m * m)) * rnd (1 / Dd)) - rf * (m * m) * (1 / Dd))
             / (rf * (m * m) * (1 / Dd)) <= c 4 1.
Proof. intros rf m Dd Fr Fm FD Hr Hm HD. glink (Cert_step_rate.l1 rf m Dd). Qed.

(* E17 + step 1 weight (step_weight.g). *)
Theorem step_weight_certified : forall wf m cc eps Dd,
  fmt wf -> fmt m -> fmt cc -> fmt eps -> fmt Dd ->
  bpow radix2 (-60) <= wf <= bpow radix2 60 -> bpow radix2 (-250) <= Rabs m <= bpow radix2 250 ->
  bpow radix2 (-100) <= cc <= 1 -> bpow radix2 (-200) <= eps <= bpow radix2 100 ->
  bpow radix2 (-300) <= Dd <= bpow radix2 300 ->
  - c 6 1 <= (rnd (rnd (wf * rnd (rnd (m * m) + rnd (eps * rnd (cc * cc)))) * rnd (1 / Dd))
              - wf * (m * m + eps * (cc * cc)) * (1 / Dd))
             / (wf * (m * m + eps * (cc * cc)) * (1 / Dd)) <= c 6 1.
Proof.
  intros wf m cc eps Dd Fw Fm Fc Fe FD Hw Hm Hc He HD.
  glink (Cert_step_weight.l1 wf m cc eps Dd).
Qed.

(* E20 parameter, term eta g (step_parameter_term.g). *)
Theorem step_parameter_term_certified : forall eta g, fmt eta -> fmt g ->
  bpow radix2 (-300) <= eta <= bpow radix2 300 -> bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  Rabs ((rnd (eta * g) - eta * g) / (eta * g)) <= u.
Proof. intros eta g Fe Fg He Hg. glink (Cert_step_parameter_term.l1 eta g). Qed.

(* E17 reported B* (step_batch_star.g). *)
Theorem step_batch_star_certified : forall bf D m cc eps,
  fmt bf -> fmt D -> fmt m -> fmt cc -> fmt eps ->
  bpow radix2 (-60) <= bf <= bpow radix2 60 -> bpow radix2 (-300) <= D <= bpow radix2 300 ->
  bpow radix2 (-250) <= Rabs m <= bpow radix2 250 -> bpow radix2 (-100) <= cc <= 1 ->
  bpow radix2 (-200) <= eps <= bpow radix2 100 ->
  - c 5 1 <= (rnd (rnd (bf * D) / rnd (rnd (m * m) + rnd (eps * rnd (cc * cc))))
              - bf * D / (m * m + eps * (cc * cc)))
             / (bf * D / (m * m + eps * (cc * cc))) <= c 5 1.
Proof.
  intros bf D m cc eps Fb FD Fm Fc Fe Hb HD Hm Hc He.
  glink (Cert_step_batch_star.l1 bf D m cc eps).
Qed.

(* running_mean, running_second_moment (accessor_mean.g). *)
Theorem accessor_mean_certified : forall x cc, fmt x -> fmt cc ->
  bpow radix2 (-500) <= Rabs x <= bpow radix2 500 -> bpow radix2 (-100) <= cc <= 1 ->
  Rabs ((rnd (x / cc) - x / cc) / (x / cc)) <= u.
Proof. intros x cc Fx Fc Hx Hc. glink (Cert_accessor_mean.l1 x cc). Qed.

(* running_variance (accessor_variance.g). *)
Theorem accessor_variance_certified : forall D cc, fmt D -> fmt cc ->
  bpow radix2 (-500) <= D <= bpow radix2 500 -> bpow radix2 (-100) <= cc <= 1 ->
  - c 2 1 <= (rnd (D / rnd (cc * cc)) - D / (cc * cc)) / (D / (cc * cc)) <= c 2 1.
Proof. intros D cc FD Fc HD Hc. glink (Cert_accessor_variance.l1 D cc). Qed.

(* The closed forms of theory.hpp. *)

(* E3 per_example_rate (theory_per_example_rate.g). *)
Theorem theory_per_example_rate_certified : forall a b, fmt a -> fmt b ->
  bpow radix2 (-500) <= Rabs a <= bpow radix2 500 -> bpow radix2 (-500) <= b <= bpow radix2 500 ->
  Rabs ((rnd (a / b) - a / b) / (a / b)) <= u.
Proof. intros a b Fa Fb Ha Hb. glink (Cert_theory_per_example_rate.l1 a b). Qed.

(* E4 scaled_rate (theory_scaled_rate.g). *)
Theorem theory_scaled_rate_certified : forall B s e, fmt B -> fmt s -> fmt e ->
  bpow radix2 (-300) <= B <= bpow radix2 300 -> bpow radix2 (-300) <= s <= bpow radix2 300 ->
  bpow radix2 (-300) <= Rabs e <= bpow radix2 300 ->
  Rabs ((rnd (rnd (B / s) * e) - B / s * e) / (B / s * e)) <= c 2 1.
Proof. intros B s e FB Fs Fe HB Hs He. glink (Cert_theory_scaled_rate.l1 B s e). Qed.

(* E5 gradient_confidence_radius (theory_gradient_confidence_radius.g). *)
Theorem theory_gradient_confidence_radius_certified : forall s B, fmt s -> fmt B ->
  bpow radix2 (-400) <= s <= bpow radix2 400 -> bpow radix2 (-400) <= B <= bpow radix2 400 ->
  - c 2 1 <= (rnd (rnd (2 * s) / rnd (sqrt B)) - 2 * s / sqrt B) / (2 * s / sqrt B) <= c 2 1.
Proof. intros s B Fs FB Hs HB. glink (Cert_theory_gradient_confidence_radius.l1 s B). Qed.

(* X4 vacuous_batch_threshold (theory_vacuous_batch_threshold.g). *)
Theorem theory_vacuous_batch_threshold_certified : forall s g, fmt s -> fmt g ->
  bpow radix2 (-250) <= s <= bpow radix2 250 -> bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  - c 3 1 <= (rnd (rnd (4 * rnd (s * s)) / rnd (g * g)) - 4 * (s * s) / (g * g))
             / (4 * (s * s) / (g * g)) <= c 3 1.
Proof. intros s g Fs Fg Hs Hg. glink (Cert_theory_vacuous_batch_threshold.l1 s g). Qed.

(* E12 optimal_batch (theory_optimal_batch.g). *)
Theorem theory_optimal_batch_certified : forall s g, fmt s -> fmt g ->
  bpow radix2 (-250) <= s <= bpow radix2 250 -> bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  - c 3 1 <= (rnd (rnd (16 * rnd (s * s)) / rnd (g * g)) - 16 * (s * s) / (g * g))
             / (16 * (s * s) / (g * g)) <= c 3 1.
Proof. intros s g Fs Fg Hs Hg. glink (Cert_theory_optimal_batch.l1 s g). Qed.

(* E12 optimal_rate (theory_optimal_rate.g). *)
Theorem theory_optimal_rate_certified : forall L, fmt L ->
  bpow radix2 (-500) <= L <= bpow radix2 500 ->
  - u <= (rnd (1 / rnd (2 * L)) - 1 / (2 * L)) / (1 / (2 * L)) <= u.
Proof. intros L FL HL. glink (Cert_theory_optimal_rate.l1 L). Qed.

(* E13 linear_scaled_rate (theory_linear_scaled_rate.g). *)
Theorem theory_linear_scaled_rate_certified : forall B g s L, fmt B -> fmt g -> fmt s -> fmt L ->
  bpow radix2 (-100) <= B <= bpow radix2 100 -> bpow radix2 (-200) <= Rabs g <= bpow radix2 200 ->
  bpow radix2 (-200) <= s <= bpow radix2 200 -> bpow radix2 (-100) <= L <= bpow radix2 100 ->
  - c 5 1 <= (rnd (rnd (B * rnd (g * g)) / rnd (rnd (32 * rnd (s * s)) * L))
              - B * (g * g) / (32 * (s * s) * L)) / (B * (g * g) / (32 * (s * s) * L)) <= c 5 1.
Proof. intros B g s L FB Fg Fs FL HB Hg Hs HL. glink (Cert_theory_linear_scaled_rate.l1 B g s L). Qed.

(* X10 lambda_eta_from_smoothness (theory_lambda_eta_from_smoothness.g). *)
Theorem theory_lambda_eta_from_smoothness_certified : forall B L, fmt B -> fmt L ->
  bpow radix2 (-400) <= B <= bpow radix2 400 -> bpow radix2 (-400) <= L <= bpow radix2 400 ->
  - u <= (rnd (B / rnd (32 * L)) - B / (32 * L)) / (B / (32 * L)) <= u.
Proof. intros B L FB FL HB HL. glink (Cert_theory_lambda_eta_from_smoothness.l1 B L). Qed.

(* E22 guaranteed_decrease (theory_guaranteed_decrease.g). *)
Theorem theory_guaranteed_decrease_certified : forall L e g, fmt L -> fmt e -> fmt g ->
  bpow radix2 (-100) <= L <= bpow radix2 100 -> bpow radix2 (-200) <= Rabs e <= bpow radix2 200 ->
  bpow radix2 (-200) <= Rabs g <= bpow radix2 200 ->
  - c 5 1 <= (rnd (rnd (rnd (L / 2) * rnd (e * e)) * rnd (g * g)) - L / 2 * (e * e) * (g * g))
             / (L / 2 * (e * e) * (g * g)) <= c 5 1.
Proof. intros L e g FL Fe Fg HL He Hg. glink (Cert_theory_guaranteed_decrease.l1 L e g). Qed.

(* E29 optimal_k (theory_optimal_k.g). *)
Theorem theory_optimal_k_certified : forall r n, fmt r -> fmt n ->
  bpow radix2 (-250) <= r <= bpow radix2 250 -> bpow radix2 (-250) <= n <= bpow radix2 250 ->
  - c 3 1 <= (rnd (rnd (rnd (2 * r) / n) * rnd (rnd (2 * r) / n)) - 2 * r / n * (2 * r / n))
             / (2 * r / n * (2 * r / n)) <= c 3 1.
Proof. intros r n Fr Fn Hr Hn. glink (Cert_theory_optimal_k.l1 r n). Qed.

(* E9/E10 descent_bound, its two terms (theory_descent_bound_terms.g; Gappa reads -g*D as
   -(g D), the same real as the C++ (-g) D). *)
Theorem theory_descent_bound_terms_certified : forall g D L, fmt g -> fmt D -> fmt L ->
  bpow radix2 (-200) <= Rabs g <= bpow radix2 200 -> bpow radix2 (-200) <= Rabs D <= bpow radix2 200 ->
  bpow radix2 (-100) <= L <= bpow radix2 100 ->
  Rabs ((rnd (- (g * D)) - - (g * D)) / - (g * D)) <= u /\
  - c 3 1 <= (rnd (rnd (L * rnd (D * D)) / 2) - L * (D * D) / 2) / (L * (D * D) / 2) <= c 3 1.
Proof. intros g D L Fg FD FL Hg HD HL. glink (Cert_theory_descent_bound_terms.l1 g D L). Qed.

(* E21 rate_at_batch, its term X = 2 sigma / (|g| sqrt B) (theory_rate_at_batch_term.g). *)
Theorem theory_rate_at_batch_term_certified : forall s g B, fmt s -> fmt g -> fmt B ->
  bpow radix2 (-200) <= s <= bpow radix2 200 -> bpow radix2 (-200) <= Rabs g <= bpow radix2 200 ->
  bpow radix2 (-200) <= B <= bpow radix2 200 ->
  - c 3 1 <= (rnd (rnd (2 * s) / rnd (Rabs g * rnd (sqrt B))) - 2 * s / (Rabs g * sqrt B))
             / (2 * s / (Rabs g * sqrt B)) <= c 3 1.
Proof. intros s g B Fs Fg FB Hs Hg HB. glink (Cert_theory_rate_at_batch_term.l1 s g B). Qed.

(* E28 vector_rate_at_batch, its term X = r / (n sqrt k) (theory_vector_rate_at_batch_term.g). *)
Theorem theory_vector_rate_at_batch_term_certified : forall r n k, fmt r -> fmt n -> fmt k ->
  bpow radix2 (-200) <= r <= bpow radix2 200 -> bpow radix2 (-200) <= n <= bpow radix2 200 ->
  bpow radix2 (-200) <= k <= bpow radix2 200 ->
  - c 3 1 <= (rnd (r / rnd (n * rnd (sqrt k))) - r / (n * sqrt k)) / (r / (n * sqrt k)) <= c 3 1.
Proof. intros r n k Fr Fn Fk Hr Hn Hk. glink (Cert_theory_vector_rate_at_batch_term.l1 r n k). Qed.

(* ---- (3) The glue's bounds with the certificates as their proofs ------------------------ *)

Lemma interval_to_abs : forall A a e, a <> 0 -> - e <= (A - a) / a <= e -> Rabs (A - a) <= e * Rabs a.
Proof. intros A a e Ha H. apply rel_to_abs; [exact Ha | apply Rabs_le; exact H]. Qed.

Lemma interval_to_abs_pos : forall A a e, 0 < a -> - e <= (A - a) / a <= e -> Rabs (A - a) <= e * a.
Proof.
  intros A a e Ha H. rewrite <- (Rabs_pos_eq a) at 2 by lra. apply interval_to_abs; [lra | exact H].
Qed.

Lemma range_pos : forall x lo hi, bpow radix2 lo <= x <= hi -> 0 < x.
Proof. intros x lo hi H. pose proof (bpow_gt_0 radix2 lo). lra. Qed.

Lemma range_nz : forall x lo hi, bpow radix2 lo <= Rabs x <= hi -> x <> 0.
Proof.
  intros x lo hi H Z. rewrite Z, Rabs_R0 in H. pose proof (bpow_gt_0 radix2 lo). lra.
Qed.

Lemma mult_nz : forall x y, x <> 0 -> y <> 0 -> x * y <> 0.
Proof. intros x y Hx Hy. apply Rmult_integral_contrapositive_currified; assumption. Qed.

Lemma bpow_m53_bounds : 0 < bpow radix2 (-53) <= 1.
Proof. split; [apply bpow_gt_0 | simpl; lra]. Qed.

(* A double below 1 is at most its predecessor 1 - 2^-53. *)
Lemma double_below_one : forall w, fmt w -> w < 1 -> w <= 1 - bpow radix2 (-53).
Proof.
  intros w Fw H.
  assert (F1 : fmt 1).
  { apply generic_format_FLT. exists (Float radix2 1 0); simpl; try lia. unfold F2R; simpl; ring. }
  pose proof (pred_ge_gt radix2 (FLT_exp (-1074) 53) w 1 Fw F1 H) as P.
  replace 1 with (bpow radix2 0) in P by reflexivity.
  rewrite pred_bpow in P. simpl in P. replace (bpow radix2 0) with 1 in P by reflexivity.
  exact P.
Qed.

(* E15 mean (certified_bounds.hpp mean_abs).  w = 1 (keep = 0, an exact zero term) is the
   one double of the weight range outside step_mean_keep_term.g's. *)
Theorem mean_certified : forall w m g, fmt w -> fmt m -> fmt g ->
  bpow radix2 (-100) <= w <= 1 ->
  bpow radix2 (-250) <= Rabs m <= bpow radix2 250 -> bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  Rabs (rnd (rnd (rnd (1 - w) * m) + rnd (w * g)) - ((1 - w) * m + w * g))
    <= c 3 2 * ((1 - w) * Rabs m + w * Rabs g).
Proof.
  intros w m g Fw Fm Fg Hw Hm Hg.
  pose proof bpow_m53_bounds. pose proof (range_pos _ _ _ Hw).
  apply mean_error; [lra | |].
  - destruct (Req_dec w 1) as [W | W].
    + subst w. replace (1 - 1) with 0 by ring.
      rewrite rnd_0, Rmult_0_l, rnd_0, Rminus_0_r, Rabs_R0. lra.
    + assert (Hw' : bpow radix2 (-100) <= w <= 1 - bpow radix2 (-53))
        by (split; [lra | apply double_below_one; [exact Fw | lra]]).
      apply rel_to_abs; [apply mult_nz; [lra | exact (range_nz _ _ _ Hm)]|].
      exact (step_mean_keep_term_certified w m Fw Fm Hw' Hm).
  - apply rel_to_abs; [apply mult_nz; [lra | exact (range_nz _ _ _ Hg)]|].
    apply step_mean_new_term_certified; auto.
Qed.

(* E16/X11 D = c v - m^2 and max(D, 0) (certified_bounds.hpp variance_abs). *)
Theorem variance_certified : forall cc v m, fmt cc -> fmt v -> fmt m ->
  bpow radix2 (-100) <= cc <= 1 -> bpow radix2 (-500) <= v <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs m <= bpow radix2 250 ->
  Rabs (rnd (rnd (cc * v) - rnd (m * m)) - (cc * v - m * m)) <= c 2 1 * (cc * v + m * m)
  /\ Rabs (Rmax (rnd (rnd (cc * v) - rnd (m * m))) 0 - Rmax (cc * v - m * m) 0)
       <= c 2 1 * (cc * v + m * m).
Proof.
  intros cc v m Fc Fv Fm Hc Hv Hm.
  pose proof (range_pos _ _ _ Hc). pose proof (range_pos _ _ _ Hv).
  apply variance_error; [lra | lra | |].
  - apply rel_to_abs; [apply mult_nz; lra|]. apply step_variance_cv_term_certified; auto.
  - apply rel_to_abs; [apply mult_nz; exact (range_nz _ _ _ Hm)|].
    apply step_variance_m2_term_certified; auto.
Qed.

(* E20 phi' = phi - eta g, any double phi (certified_bounds.hpp parameter_abs). *)
Theorem parameter_certified : forall phi eta g, fmt phi -> fmt eta -> fmt g ->
  bpow radix2 (-300) <= eta <= bpow radix2 300 -> bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  Rabs (rnd (phi - rnd (eta * g)) - (phi - eta * g)) <= c 2 1 * (Rabs phi + Rabs (eta * g)).
Proof.
  intros phi eta g Fp Fe Fg He Hg.
  pose proof (range_pos _ _ _ He).
  apply parameter_error; [exact Fp|].
  apply rel_to_abs; [apply mult_nz; [lra | exact (range_nz _ _ _ Hg)]|].
  apply step_parameter_term_certified; auto.
Qed.

(* E9/E10 descent_bound (certified_bounds.hpp descent_bound_abs). *)
Theorem descent_bound_certified : forall g D L, fmt g -> fmt D -> fmt L ->
  bpow radix2 (-200) <= Rabs g <= bpow radix2 200 -> bpow radix2 (-200) <= Rabs D <= bpow radix2 200 ->
  bpow radix2 (-100) <= L <= bpow radix2 100 ->
  Rabs (rnd (rnd (- g * D) + rnd (rnd (L * rnd (D * D)) / 2)) - (- g * D + L * (D * D) / 2))
    <= c 4 2 * (Rabs (g * D) + L * (D * D) / 2).
Proof.
  intros g D L Fg FD FL Hg HD HL.
  pose proof (range_pos _ _ _ HL). pose proof (range_nz _ _ _ Hg). pose proof (range_nz _ _ _ HD).
  destruct (theory_descent_bound_terms_certified g D L Fg FD FL Hg HD HL) as [Ta Tb].
  replace (- (g * D)) with (- g * D) in Ta by ring.
  apply descent_bound_error; [lra | |].
  - apply rel_to_abs; [|exact Ta].
    replace (- g * D) with (- (g * D)) by ring. apply Ropp_neq_0_compat, mult_nz; assumption.
  - apply interval_to_abs; [|exact Tb].
    unfold Rdiv. apply mult_nz; [apply mult_nz; [lra | apply mult_nz; assumption] | lra].
Qed.

(* E21 rate_at_batch = (1 - 2 sigma/(|g| sqrt B))/L (certified_bounds.hpp rate_at_batch_abs),
   when the result is not in the subnormal range. *)
Theorem rate_at_batch_certified : forall s g B L, fmt s -> fmt g -> fmt B ->
  bpow radix2 (-200) <= s <= bpow radix2 200 -> bpow radix2 (-200) <= Rabs g <= bpow radix2 200 ->
  bpow radix2 (-200) <= B <= bpow radix2 200 -> 0 < L ->
  let x := rnd (rnd (2 * s) / rnd (Rabs g * rnd (sqrt B))) in
  let X := 2 * s / (Rabs g * sqrt B) in
  (rnd (1 - x) / L = 0 \/ bpow radix2 (-1022) <= Rabs (rnd (1 - x) / L)) ->
  Rabs (rnd (rnd (1 - x) / L) - (1 - X) / L) <= c 5 3 * ((1 + X) / L).
Proof.
  intros s g B L Fs Fg FB Hs Hg HB HL x X Hn.
  pose proof (range_pos _ _ _ Hs). pose proof (range_pos _ _ _ HB).
  assert (G : 0 < Rabs g) by (apply Rabs_pos_lt; exact (range_nz _ _ _ Hg)).
  assert (SB : 0 < sqrt B) by (apply sqrt_lt_R0; lra).
  assert (PX : 0 < X) by (unfold X; apply Rdiv_lt_0_compat; [lra | apply Rmult_lt_0_compat; lra]).
  apply rate_at_batch_error; [exact PX | exact HL | apply fmt_rnd | | exact Hn].
  apply interval_to_abs_pos; [exact PX|].
  exact (theory_rate_at_batch_term_certified s g B Fs Fg FB Hs Hg HB).
Qed.

(* E28 vector_rate_at_batch = (1 - r/(n sqrt k))/L (certified_bounds.hpp rate_at_batch_abs). *)
Theorem vector_rate_at_batch_certified : forall r n k L, fmt r -> fmt n -> fmt k ->
  bpow radix2 (-200) <= r <= bpow radix2 200 -> bpow radix2 (-200) <= n <= bpow radix2 200 ->
  bpow radix2 (-200) <= k <= bpow radix2 200 -> 0 < L ->
  let x := rnd (r / rnd (n * rnd (sqrt k))) in
  let X := r / (n * sqrt k) in
  (rnd (1 - x) / L = 0 \/ bpow radix2 (-1022) <= Rabs (rnd (1 - x) / L)) ->
  Rabs (rnd (rnd (1 - x) / L) - (1 - X) / L) <= c 5 3 * ((1 + X) / L).
Proof.
  intros r n k L Fr Fn Fk Hr Hn' Hk HL x X Hn.
  pose proof (range_pos _ _ _ Hr). pose proof (range_pos _ _ _ Hn'). pose proof (range_pos _ _ _ Hk).
  assert (SK : 0 < sqrt k) by (apply sqrt_lt_R0; lra).
  assert (PX : 0 < X) by (unfold X; apply Rdiv_lt_0_compat; [lra | apply Rmult_lt_0_compat; lra]).
  apply rate_at_batch_error; [exact PX | exact HL | apply fmt_rnd | | exact Hn].
  apply interval_to_abs_pos; [exact PX|].
  exact (theory_vector_rate_at_batch_term_certified r n k Fr Fn Fk Hr Hn' Hk).
Qed.

(* ---- One step from exact inputs, composed ------------------------------------------------ *)

(* One step from exact inputs: the doubles w (the weight), cp, mp, vp (the state before the
   step) and g (the gradient), as quench::detail::update_coordinate evaluates it. *)
Definition mass_step w cp := rnd (rnd (rnd (1 - w) * cp) + w).
Definition mean_step w mp g := rnd (rnd (rnd (1 - w) * mp) + rnd (w * g)).
Definition second_step w vp g := rnd (rnd (rnd (1 - w) * vp) + rnd (w * rnd (g * g))).
Definition variance_formula c1 v1 m1 := rnd (rnd (c1 * v1) - rnd (m1 * m1)).

Lemma weighted_abs : forall w x y, 0 <= w <= 1 ->
  Rabs ((1 - w) * x + w * y) <= (1 - w) * Rabs x + w * Rabs y.
Proof.
  intros w x y Hw. eapply Rle_trans; [apply Rabs_triang|].
  rewrite !Rabs_mult, (Rabs_pos_eq w), (Rabs_pos_eq (1 - w)) by lra. lra.
Qed.

(* certified_bounds.hpp step_variance_abs: with C, V, M the exact step values and
   S_m = (1 - w)|m| + w|g|, |D' - (C V - M^2)| <= 8.0001 u (C V + S_m^2).  Premises: the
   ranges of the inputs and of the doubles c', v', m' that the D formula reads. *)
Theorem step_variance_certified : forall w cp mp vp g,
  fmt w -> fmt cp -> fmt mp -> fmt vp -> fmt g ->
  bpow radix2 (-100) <= w <= 1 -> bpow radix2 (-100) <= cp <= 1 ->
  bpow radix2 (-250) <= Rabs mp <= bpow radix2 250 -> bpow radix2 (-500) <= vp <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  bpow radix2 (-100) <= mass_step w cp <= 1 ->
  bpow radix2 (-500) <= second_step w vp g <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs (mean_step w mp g) <= bpow radix2 250 ->
  let C := (1 - w) * cp + w in let V := (1 - w) * vp + w * (g * g) in
  let M := (1 - w) * mp + w * g in let Sm := (1 - w) * Rabs mp + w * Rabs g in
  Rabs (variance_formula (mass_step w cp) (second_step w vp g) (mean_step w mp g) - (C * V - M * M))
    <= c 8 256 * (C * V + Sm * Sm).
Proof.
  intros w cp mp vp g Fw Fc Fm Fv Fg Hw Hc Hm Hv Hg Hc1 Hv1 Hm1 C V M Sm.
  pose proof bpow_m53_bounds. pose proof (range_pos _ _ _ Hw). pose proof (range_pos _ _ _ Hc).
  pose proof (range_pos _ _ _ Hv).
  assert (W1 : bpow radix2 (-100) <= w <= 1) by lra.
  assert (HC : 0 < C) by (unfold C; assert (0 <= (1 - w) * cp) by (apply Rmult_le_pos; lra); lra).
  assert (HV : 0 < V).
  { unfold V. assert (0 <= (1 - w) * vp) by (apply Rmult_le_pos; lra).
    assert (0 < g * g) by (apply Rsqr_pos_lt; exact (range_nz _ _ _ Hg)).
    assert (0 < w * (g * g)) by (apply Rmult_lt_0_compat; lra). lra. }
  apply step_variance_error with (c1 := mass_step w cp) (v1 := second_step w vp g)
                                 (m1 := mean_step w mp g); [lra | lra | | | | |].
  - unfold M, Sm. apply weighted_abs; lra.
  - apply interval_to_abs_pos; [exact HC|]. apply step_mass_certified; assumption.
  - apply interval_to_abs_pos; [exact HV|]. apply step_second_certified; assumption.
  - apply mean_certified; assumption.
  - unfold variance_formula.
    destruct (variance_certified _ _ _ (fmt_rnd _) (fmt_rnd _) (fmt_rnd _) Hc1 Hv1 Hm1) as [D _].
    exact D.
Qed.

(* certified_bounds.hpp step_numerator_rel: the weight's numerator m'^2 + eps c'^2 against
   M^2 + eps C^2, within 6.0001 u (S_m^2 + eps C^2). *)
Theorem step_numerator_certified : forall w cp mp g eps,
  fmt w -> fmt cp -> fmt mp -> fmt g ->
  bpow radix2 (-100) <= w <= 1 -> bpow radix2 (-100) <= cp <= 1 ->
  bpow radix2 (-250) <= Rabs mp <= bpow radix2 250 ->
  bpow radix2 (-250) <= Rabs g <= bpow radix2 250 -> 0 <= eps ->
  let C := (1 - w) * cp + w in
  let M := (1 - w) * mp + w * g in let Sm := (1 - w) * Rabs mp + w * Rabs g in
  Rabs ((mean_step w mp g * mean_step w mp g + eps * (mass_step w cp * mass_step w cp))
        - (M * M + eps * (C * C)))
    <= c 6 256 * (Sm * Sm + eps * (C * C)).
Proof.
  intros w cp mp g eps Fw Fc Fm Fg Hw Hc Hm Hg He C M Sm.
  pose proof bpow_m53_bounds. pose proof (range_pos _ _ _ Hw). pose proof (range_pos _ _ _ Hc).
  assert (W1 : bpow radix2 (-100) <= w <= 1) by lra.
  assert (HC : 0 < C) by (unfold C; assert (0 <= (1 - w) * cp) by (apply Rmult_le_pos; lra); lra).
  apply step_numerator_error; [lra | | exact He | |].
  - unfold M, Sm. apply weighted_abs; lra.
  - apply interval_to_abs_pos; [exact HC|]. apply step_mass_certified; assumption.
  - apply mean_certified; assumption.
Qed.

(* The divisor Dd = max(D', DBL_MIN) is D' itself in the divisor range. *)
Lemma divisor_is_D : forall D, bpow radix2 (-300) <= D -> Rmax D (bpow radix2 (-1022)) = D.
Proof.
  intros D H. apply Rmax_left.
  assert (bpow radix2 (-1022) <= bpow radix2 (-300)) by (apply bpow_le; lia). lra.
Qed.

(* One step, the rate before its cap (E18/E20; the cap is min_error's): with the computed
   rate eta' = (rate_factor m'^2) (1 / Dd), Dd = max(D', DBL_MIN), against
   eta* = rate_factor M^2 / D*, D* = C V - M^2 > 0, when 8.0001 u kappa_D < 1. *)
Theorem step_rate_composed_certified : forall w cp mp vp g rf,
  fmt w -> fmt cp -> fmt mp -> fmt vp -> fmt g -> fmt rf ->
  bpow radix2 (-100) <= w <= 1 -> bpow radix2 (-100) <= cp <= 1 ->
  bpow radix2 (-250) <= Rabs mp <= bpow radix2 250 -> bpow radix2 (-500) <= vp <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs g <= bpow radix2 250 -> bpow radix2 (-60) <= rf <= bpow radix2 60 ->
  bpow radix2 (-100) <= mass_step w cp <= 1 ->
  bpow radix2 (-500) <= second_step w vp g <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs (mean_step w mp g) <= bpow radix2 250 ->
  let D1 := variance_formula (mass_step w cp) (second_step w vp g) (mean_step w mp g) in
  bpow radix2 (-300) <= D1 <= bpow radix2 300 ->
  let m1 := mean_step w mp g in
  let eta1 := rnd (rnd (rf * rnd (m1 * m1)) * rnd (1 / Rmax D1 (bpow radix2 (-1022)))) in
  let C := (1 - w) * cp + w in let V := (1 - w) * vp + w * (g * g) in
  let M := (1 - w) * mp + w * g in let Sm := (1 - w) * Rabs mp + w * Rabs g in
  let Dstar := C * V - M * M in let S := C * V + Sm * Sm in
  M <> 0 -> 0 < Dstar -> c 8 256 * (S / Dstar) < 1 ->
  Rabs (eta1 / (rf * (M * M) / Dstar) - 1)
    <= (1 + c 4 1) * ((1 + c 3 2 * (Sm / Rabs M)) * (1 + c 3 2 * (Sm / Rabs M)))
       / (1 - c 8 256 * (S / Dstar)) - 1.
Proof.
  intros w cp mp vp g rf Fw Fc Fm Fv Fg Fr Hw Hc Hm Hv Hg Hr Hc1 Hv1 Hm1 D1 HD1 m1 eta1
         C V M Sm Dstar S HM HDs Hk.
  assert (Dd : Rmax D1 (bpow radix2 (-1022)) = D1) by (apply divisor_is_D; lra).
  unfold eta1. rewrite Dd.
  pose proof (range_pos _ _ _ Hr). pose proof (range_pos _ _ _ HD1).
  assert (Nm : m1 <> 0) by exact (range_nz _ _ _ Hm1).
  assert (Pm : 0 < m1 * m1) by (apply Rsqr_pos_lt; exact Nm).
  assert (E : rf * (m1 * m1) * (1 / D1) = rf * (m1 * m1) / D1) by (field; lra).
  assert (PE : 0 < rf * (m1 * m1) / D1) by (apply Rdiv_lt_0_compat; [nra | lra]).
  apply step_rate_error with (Sm := Sm) (S := S) (m1 := m1) (D1 := D1); try assumption; [ | |].
  - apply mean_certified; assumption.
  - apply step_variance_certified; assumption.
  - rewrite <- E. apply interval_to_abs_pos; [rewrite E; exact PE|].
    apply step_rate_certified; try apply fmt_rnd; assumption.
Qed.

(* One step, the weight before its limits (E17 + step 1; the limits are min_error's): with
   w' = (weight_factor (m'^2 + eps c'^2)) (1 / Dd) against w* = weight_factor N* / D*,
   N* = M^2 + eps C^2, when 6.0001 u kappa_N < 1 and 8.0001 u kappa_D < 1. *)
Theorem step_weight_composed_certified : forall w cp mp vp g wf eps,
  fmt w -> fmt cp -> fmt mp -> fmt vp -> fmt g -> fmt wf -> fmt eps ->
  bpow radix2 (-100) <= w <= 1 -> bpow radix2 (-100) <= cp <= 1 ->
  bpow radix2 (-250) <= Rabs mp <= bpow radix2 250 -> bpow radix2 (-500) <= vp <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs g <= bpow radix2 250 -> bpow radix2 (-60) <= wf <= bpow radix2 60 ->
  bpow radix2 (-200) <= eps <= bpow radix2 100 ->
  bpow radix2 (-100) <= mass_step w cp <= 1 ->
  bpow radix2 (-500) <= second_step w vp g <= bpow radix2 500 ->
  bpow radix2 (-250) <= Rabs (mean_step w mp g) <= bpow radix2 250 ->
  let D1 := variance_formula (mass_step w cp) (second_step w vp g) (mean_step w mp g) in
  bpow radix2 (-300) <= D1 <= bpow radix2 300 ->
  let m1 := mean_step w mp g in let c1 := mass_step w cp in
  let w1 := rnd (rnd (wf * rnd (rnd (m1 * m1) + rnd (eps * rnd (c1 * c1))))
                 * rnd (1 / Rmax D1 (bpow radix2 (-1022)))) in
  let C := (1 - w) * cp + w in let V := (1 - w) * vp + w * (g * g) in
  let M := (1 - w) * mp + w * g in let Sm := (1 - w) * Rabs mp + w * Rabs g in
  let Dstar := C * V - M * M in let S := C * V + Sm * Sm in
  let Nstar := M * M + eps * (C * C) in let SN := Sm * Sm + eps * (C * C) in
  0 < Dstar -> c 6 256 * (SN / Nstar) < 1 -> c 8 256 * (S / Dstar) < 1 ->
  Rabs (w1 / (wf * Nstar / Dstar) - 1)
    <= (1 + c 6 1) * (1 + c 6 256 * (SN / Nstar)) / (1 - c 8 256 * (S / Dstar)) - 1.
Proof.
  intros w cp mp vp g wf eps Fw Fc Fm Fv Fg Fwf Fe Hw Hc Hm Hv Hg Hwf He Hc1 Hv1 Hm1 D1 HD1
         m1 c1 w1 C V M Sm Dstar S Nstar SN HDs Hkn Hkd.
  assert (Dd : Rmax D1 (bpow radix2 (-1022)) = D1) by (apply divisor_is_D; lra).
  unfold w1. rewrite Dd.
  pose proof bpow_m53_bounds. pose proof (range_pos _ _ _ Hw). pose proof (range_pos _ _ _ Hc).
  pose proof (range_pos _ _ _ Hwf). pose proof (range_pos _ _ _ He). pose proof (range_pos _ _ _ HD1).
  pose proof (range_pos _ _ _ Hc1).
  assert (HC : 0 < C) by (unfold C; assert (0 <= (1 - w) * cp) by (apply Rmult_le_pos; lra); lra).
  assert (HN : 0 < Nstar) by (unfold Nstar; assert (0 <= M * M) by nra; assert (0 < C * C) by nra; nra).
  set (N1 := m1 * m1 + eps * (c1 * c1)).
  assert (Pc1 : 0 < c1) by (unfold c1; lra).
  assert (PN1 : 0 < N1).
  { unfold N1. pose proof (Rle_0_sqr m1). unfold Rsqr in *.
    assert (0 < c1 * c1) by (apply Rmult_lt_0_compat; lra). nra. }
  assert (E : wf * N1 * (1 / D1) = wf * N1 / D1) by (field; lra).
  assert (PE : 0 < wf * N1 / D1) by (apply Rdiv_lt_0_compat; [nra | lra]).
  apply step_weight_error with (SN := SN) (S := S) (N1 := N1) (D1 := D1); try assumption; [ | |].
  - apply step_numerator_certified; try assumption; lra.
  - apply step_variance_certified; assumption.
  - rewrite <- E. apply interval_to_abs_pos; [rewrite E; exact PE|].
    unfold N1. apply step_weight_certified; try apply fmt_rnd; assumption.
Qed.

(* One step, the parameter (E20): phi' = phi - eta' g with eta' within a relative delta of
   eta* (delta: step_rate_composed_certified's bound, or the capped rate's). *)
Theorem step_parameter_composed_certified : forall phi g eta1 etas delta,
  fmt phi -> fmt eta1 -> fmt g ->
  bpow radix2 (-300) <= eta1 <= bpow radix2 300 -> bpow radix2 (-250) <= Rabs g <= bpow radix2 250 ->
  0 < etas -> Rabs (eta1 / etas - 1) <= delta ->
  Rabs (rnd (phi - rnd (eta1 * g)) - (phi - etas * g))
    <= c 2 1 * (Rabs phi + Rabs (eta1 * g)) + Rabs g * etas * delta.
Proof.
  intros phi g eta1 etas delta Fp Fe Fg He Hg Hs Hd.
  apply step_parameter_error; [exact Hs | | exact Hd].
  apply parameter_certified; assumption.
Qed.
