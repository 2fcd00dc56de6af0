(* RoundingGlue.v - the Coq glue of the certified rounding-error bounds of the double path.

   The Gappa scripts of this folder certify the relative error of every *term* of a
   formula (a chain of products and quotients of doubles, whose sign is fixed).  Where a
   formula adds terms that can cancel (E15 mean, E16 variance, E20 parameter update, E9
   descent bound, E21/E28 rates), no relative bound exists; this file proves, with Flocq's
   model of binary64 round-to-nearest-even (FLT_exp (-1074) 53, subnormals included), the
   bound of the rounded sum relative to the sum of the terms' magnitudes, and instantiates it
   with the constants that the Gappa scripts certify.  The per-term hypotheses of every
   theorem below are, word for word, the goals of the Gappa script named next to it.

   u = 2^-53 is the unit roundoff of binary64.  Every constant c below is written
   (k * 2^24 + j) / 2^77, i.e. (k + j * 2^-24) * 2^-53: "k.00000j * 2^-53" in the README. *)

From Coq Require Import Reals Lra Lia Psatz.
From Flocq Require Import Core Plus_error Relative.
Open Scope R_scope.

Notation fmt := (generic_format radix2 (FLT_exp (-1074) 53)).
Notation rnd := (round radix2 (FLT_exp (-1074) 53) ZnearestE).

Global Instance prec_53 : Prec_gt_0 53.
Proof. unfold Prec_gt_0. lia. Qed.

Definition u : R := / 9007199254740992.            (* 2^-53 *)
Definition p77 : R := 151115727451828646838272.   (* 2^77 *)
(* c k j = (k + j 2^-24) 2^-53 *)
Definition c (k j : R) : R := (k * 16777216 + j) / p77.

Lemma u_eq : u = c 1 0.
Proof. unfold u, c, p77. field. Qed.

Lemma u_pos : 0 < u.
Proof. unfold u. lra. Qed.

Lemma c_nonneg : forall k j, 0 <= k -> 0 <= j -> 0 <= c k j.
Proof. intros k j Hk Hj. unfold c, p77, Rdiv. apply Rmult_le_pos; [lra | apply Rlt_le, Rinv_0_lt_compat; lra]. Qed.

(* ---- One rounding of a sum of two doubles (Flocq, underflow included) ------------- *)

Lemma u_ro_53 : u_ro radix2 53 = u.
Proof.
  unfold u_ro, u. simpl. unfold Z.pow_pos. simpl. lra.
Qed.

Lemma plus_rel : forall A B, fmt A -> fmt B ->
  Rabs (rnd (A + B) - (A + B)) <= u * Rabs (A + B).
Proof.
  intros A B FA FB.
  assert (P : Prec_gt_0 53) by (unfold Prec_gt_0; lia).
  destruct (FLT_plus_error_N_ex radix2 (-1074) 53 (fun x => negb (Z.even x)) A B FA FB)
    as [eps [Heps E]].
  rewrite E.
  replace ((A + B) * (1 + eps) - (A + B)) with ((A + B) * eps) by ring.
  rewrite Rabs_mult, Rmult_comm.
  apply Rmult_le_compat_r; [apply Rabs_pos|].
  eapply Rle_trans; [exact Heps|].
  rewrite <- u_ro_53. apply u_rod1pu_ro_le_u_ro.
Qed.

Lemma rnd_0 : rnd 0 = 0.
Proof. apply round_0. auto with typeclass_instances. Qed.

(* One rounding of any real whose result is not in the subnormal range: relative error <= u. *)
Lemma rnd_rel_normal : forall x, x = 0 \/ bpow radix2 (-1022) <= Rabs x ->
  Rabs (rnd x - x) <= u * Rabs x.
Proof.
  intros x [Z | N].
  - rewrite Z, rnd_0, Rminus_0_r, Rabs_R0. lra.
  - assert (P : Prec_gt_0 53) by (unfold Prec_gt_0; lia).
    rewrite <- u_ro_53. unfold u_ro.
    apply relative_error_N_FLT; auto with typeclass_instances.
Qed.

(* ---- Composition lemmas (real arithmetic) ------------------------------------------ *)

(* From a relative bound (the form of a Gappa goal) to an absolute one. *)
Lemma rel_to_abs : forall A a e, a <> 0 -> Rabs ((A - a) / a) <= e -> Rabs (A - a) <= e * Rabs a.
Proof.
  intros A a e Ha H.
  replace (A - a) with ((A - a) / a * a) by (field; exact Ha).
  rewrite Rabs_mult. apply Rmult_le_compat_r; [apply Rabs_pos | exact H].
Qed.

(* A rounded sum of two perturbed terms: if |A - a| <= ea Sa, |B - b| <= eb Sb with
   |a| <= Sa, |b| <= Sb and ea, eb <= e, then |S - (a + b)| <= (e (1 + u) + u)(Sa + Sb). *)
Lemma sum_error : forall A B a b Sa Sb ea eb e S,
  Rabs (A - a) <= ea * Sa -> Rabs (B - b) <= eb * Sb ->
  Rabs a <= Sa -> Rabs b <= Sb -> 0 <= ea <= e -> 0 <= eb <= e ->
  Rabs (S - (A + B)) <= u * Rabs (A + B) ->
  Rabs (S - (a + b)) <= (e * (1 + u) + u) * (Sa + Sb).
Proof.
  intros A B a b Sa Sb ea eb e S HA HB Ha Hb Hea Heb HS.
  assert (Sa0 : 0 <= Sa) by (eapply Rle_trans; [apply Rabs_pos | exact Ha]).
  assert (Sb0 : 0 <= Sb) by (eapply Rle_trans; [apply Rabs_pos | exact Hb]).
  assert (T1 : Rabs (S - (a + b)) <= Rabs (S - (A + B)) + Rabs (A - a) + Rabs (B - b)).
  { replace (S - (a + b)) with ((S - (A + B)) + (A - a) + (B - b)) by ring.
    eapply Rle_trans; [apply Rabs_triang|].
    apply Rplus_le_compat_r. apply Rabs_triang. }
  assert (T2 : Rabs (A + B) <= Rabs a + Rabs b + Rabs (A - a) + Rabs (B - b)).
  { replace (A + B) with (a + b + (A - a) + (B - b)) by ring.
    eapply Rle_trans; [apply Rabs_triang|].
    apply Rplus_le_compat_r. eapply Rle_trans; [apply Rabs_triang|].
    apply Rplus_le_compat_r. apply Rabs_triang. }
  assert (E1 : ea * Sa <= e * Sa) by (apply Rmult_le_compat_r; lra).
  assert (E2 : eb * Sb <= e * Sb) by (apply Rmult_le_compat_r; lra).
  assert (U : 0 < u) by exact u_pos.
  assert (T3 : u * Rabs (A + B) <= u * (Sa + Sb + e * Sa + e * Sb)).
  { apply Rmult_le_compat_l; lra. }
  nra.
Qed.

(* A perturbed value times an exact factor k, rounded once: the error grows by one u. *)
Lemma scale_error : forall Y y S k e R,
  Rabs (Y - y) <= e * S -> Rabs y <= S -> 0 <= e ->
  Rabs (R - Y * k) <= u * Rabs (Y * k) ->
  Rabs (R - y * k) <= (e + u * (1 + e)) * S * Rabs k.
Proof.
  intros Y y S k e R HY Hy He HR.
  assert (S0 : 0 <= S) by (eapply Rle_trans; [apply Rabs_pos | exact Hy]).
  assert (K0 := Rabs_pos k).
  assert (U : 0 < u) by exact u_pos.
  assert (T1 : Rabs (R - y * k) <= Rabs (R - Y * k) + Rabs (Y - y) * Rabs k).
  { replace (R - y * k) with ((R - Y * k) + (Y - y) * k) by ring.
    rewrite <- Rabs_mult. apply Rabs_triang. }
  assert (T2 : Rabs Y <= S + e * S).
  { replace Y with (y + (Y - y)) by ring.
    eapply Rle_trans; [apply Rabs_triang|]. lra. }
  rewrite Rabs_mult in HR.
  assert (T3 : u * (Rabs Y * Rabs k) <= u * ((S + e * S) * Rabs k)).
  { apply Rmult_le_compat_l; [lra|]. apply Rmult_le_compat_r; lra. }
  assert (T4 : Rabs (Y - y) * Rabs k <= e * S * Rabs k) by (apply Rmult_le_compat_r; lra).
  nra.
Qed.

(* min (X9 cap, X8 clamp, X14 limit) cannot increase a relative error: for x, y > 0 and
   relative errors at most e on both, min has relative error at most e. *)
Lemma min_error : forall X Y x y e,
  0 < x -> 0 < y -> 0 <= e <= 1 -> Rabs (X - x) <= e * x -> Rabs (Y - y) <= e * y ->
  Rabs (Rmin X Y - Rmin x y) <= e * Rmin x y.
Proof.
  intros X Y x y e Hx Hy He HX HY.
  apply Rabs_le_inv in HX. apply Rabs_le_inv in HY.
  unfold Rmin. destruct (Rle_dec X Y); destruct (Rle_dec x y); apply Rabs_le; split; nra.
Qed.

(* max(D, 0) (X11) is 1-Lipschitz: the clamp cannot increase an absolute error. *)
Lemma max0_error : forall D d, Rabs (Rmax D 0 - Rmax d 0) <= Rabs (D - d).
Proof.
  intros D d. unfold Rmax.
  destruct (Rle_dec D 0); destruct (Rle_dec d 0); apply Rabs_le;
    unfold Rabs; destruct (Rcase_abs (D - d)); split; lra.
Qed.

(* ---- The formulas ------------------------------------------------------------------- *)

Lemma fmt_rnd : forall x, fmt (rnd x).
Proof. intros x. apply generic_format_round; auto with typeclass_instances. Qed.

(* E15 (docs/spec.md step 2), step_mean_keep_term.g + step_mean_new_term.g:
   |m' - M| <= 3.000002 * 2^-53 * ((1 - w)|m| + w|g|). *)
Theorem mean_error : forall w m g,
  0 <= w <= 1 ->
  Rabs (rnd (rnd (1 - w) * m) - (1 - w) * m) <= c 2 1 * Rabs ((1 - w) * m) ->
  Rabs (rnd (w * g) - w * g) <= u * Rabs (w * g) ->
  Rabs (rnd (rnd (rnd (1 - w) * m) + rnd (w * g)) - ((1 - w) * m + w * g))
    <= c 3 2 * ((1 - w) * Rabs m + w * Rabs g).
Proof.
  intros w m g Hw HA HB.
  assert (Ea : (1 - w) * Rabs m = Rabs ((1 - w) * m))
    by (rewrite Rabs_mult, (Rabs_pos_eq (1 - w)) by lra; reflexivity).
  assert (Eb : w * Rabs g = Rabs (w * g))
    by (rewrite Rabs_mult, (Rabs_pos_eq w) by lra; reflexivity).
  rewrite Ea, Eb.
  assert (U := u_pos).
  assert (C2 : 0 <= u <= c 2 1) by (split; [lra | rewrite u_eq; unfold c, p77; lra]).
  assert (C1 : 0 <= c 2 1 <= c 2 1) by (split; [apply c_nonneg; lra | lra]).
  assert (HS := plus_rel _ _ (fmt_rnd (rnd (1 - w) * m)) (fmt_rnd (w * g))).
  assert (H := sum_error _ _ _ _ _ _ _ _ (c 2 1) _ HA HB (Rle_refl _) (Rle_refl _) C1 C2 HS).
  eapply Rle_trans; [exact H|].
  apply Rmult_le_compat_r.
  - apply Rplus_le_le_0_compat; apply Rabs_pos.
  - rewrite u_eq. unfold c, p77. lra.
Qed.

(* E16/X11 (docs/spec.md step 3), step_variance_cv_term.g + step_variance_m2_term.g:
   |D' - D| <= 2.000001 * 2^-53 * (c v + m^2) for D = c v - m^2 (c, v >= 0), and the same
   for the clamped values max(D', 0), max(D, 0). *)
Theorem variance_error : forall cc v m,
  0 <= cc -> 0 <= v ->
  Rabs (rnd (cc * v) - cc * v) <= u * Rabs (cc * v) ->
  Rabs (rnd (m * m) - m * m) <= u * Rabs (m * m) ->
  Rabs (rnd (rnd (cc * v) - rnd (m * m)) - (cc * v - m * m)) <= c 2 1 * (cc * v + m * m)
  /\ Rabs (Rmax (rnd (rnd (cc * v) - rnd (m * m))) 0 - Rmax (cc * v - m * m) 0)
       <= c 2 1 * (cc * v + m * m).
Proof.
  intros cc v m Hc Hv HP HQ.
  assert (Ecv : Rabs (cc * v) = cc * v) by (apply Rabs_pos_eq; nra).
  assert (Em : Rabs (m * m) = m * m) by (apply Rabs_pos_eq; nra).
  assert (HQ' : Rabs (- rnd (m * m) - - (m * m)) <= u * Rabs (m * m)).
  { replace (- rnd (m * m) - - (m * m)) with (- (rnd (m * m) - m * m)) by ring.
    rewrite Rabs_Ropp. exact HQ. }
  assert (Hb : Rabs (- (m * m)) <= Rabs (m * m)) by (rewrite Rabs_Ropp; lra).
  assert (U := u_pos).
  assert (Cu : 0 <= u <= u) by lra.
  assert (F : fmt (- rnd (m * m))) by (apply generic_format_opp; apply fmt_rnd).
  assert (HS := plus_rel _ _ (fmt_rnd (cc * v)) F).
  assert (H := sum_error _ _ _ _ _ _ _ _ u _ HP HQ' (Rle_refl _) Hb Cu Cu HS).
  assert (Main : Rabs (rnd (rnd (cc * v) - rnd (m * m)) - (cc * v - m * m))
                 <= c 2 1 * (cc * v + m * m)).
  { replace (cc * v - m * m) with (cc * v + - (m * m)) by ring.
    unfold Rminus at 1. eapply Rle_trans; [exact H|].
    rewrite Ecv, Em. apply Rmult_le_compat_r; [nra|].
    rewrite u_eq. unfold c, p77. lra. }
  split; [exact Main|].
  eapply Rle_trans; [apply max0_error | exact Main].
Qed.

(* E20 (docs/spec.md step 5), step_parameter_term.g:
   |phi' - (phi - eta g)| <= 2.000001 * 2^-53 * (|phi| + |eta g|) for any double phi. *)
Theorem parameter_error : forall phi eta g, fmt phi ->
  Rabs (rnd (eta * g) - eta * g) <= u * Rabs (eta * g) ->
  Rabs (rnd (phi - rnd (eta * g)) - (phi - eta * g)) <= c 2 1 * (Rabs phi + Rabs (eta * g)).
Proof.
  intros phi eta g Fphi Hp.
  assert (U := u_pos).
  assert (H0 : Rabs (phi - phi) <= 0 * Rabs phi) by (rewrite Rminus_diag_eq, Rabs_R0; lra).
  assert (Hp' : Rabs (- rnd (eta * g) - - (eta * g)) <= u * Rabs (eta * g)).
  { replace (- rnd (eta * g) - - (eta * g)) with (- (rnd (eta * g) - eta * g)) by ring.
    rewrite Rabs_Ropp. exact Hp. }
  assert (Hb : Rabs (- (eta * g)) <= Rabs (eta * g)) by (rewrite Rabs_Ropp; lra).
  assert (C0 : 0 <= 0 <= u) by lra.
  assert (Cu : 0 <= u <= u) by lra.
  assert (HS := plus_rel _ _ Fphi (generic_format_opp _ _ _ (fmt_rnd (eta * g)))).
  assert (H := sum_error _ _ _ _ _ _ _ _ u _ H0 Hp' (Rle_refl _) Hb C0 Cu HS).
  replace (phi - eta * g) with (phi + - (eta * g)) by ring.
  unfold Rminus at 1. eapply Rle_trans; [exact H|].
  apply Rmult_le_compat_r; [apply Rplus_le_le_0_compat; apply Rabs_pos|].
  rewrite u_eq. unfold c, p77. lra.
Qed.

(* E9/E10 quench::theory::descent_bound, theory_descent_bound_terms.g:
   |r' - x| <= 4.000002 * 2^-53 * (|g D| + L D^2/2),  x = -g D + L D^2 / 2. *)
Theorem descent_bound_error : forall g D L, 0 <= L ->
  Rabs (rnd (- g * D) - - g * D) <= u * Rabs (- g * D) ->
  Rabs (rnd (rnd (L * rnd (D * D)) / 2) - L * (D * D) / 2) <= c 3 1 * Rabs (L * (D * D) / 2) ->
  Rabs (rnd (rnd (- g * D) + rnd (rnd (L * rnd (D * D)) / 2)) - (- g * D + L * (D * D) / 2))
    <= c 4 2 * (Rabs (g * D) + L * (D * D) / 2).
Proof.
  intros g D L HL Ha Hb.
  assert (U := u_pos).
  assert (Eb : Rabs (L * (D * D) / 2) = L * (D * D) / 2) by (apply Rabs_pos_eq; nra).
  assert (Ea : Rabs (- g * D) = Rabs (g * D))
    by (replace (- g * D) with (- (g * D)) by ring; apply Rabs_Ropp).
  assert (C1 : 0 <= u <= c 3 1) by (split; [lra | rewrite u_eq; unfold c, p77; lra]).
  assert (C3 : 0 <= c 3 1 <= c 3 1) by (split; [apply c_nonneg; lra | lra]).
  assert (HS := plus_rel _ _ (fmt_rnd (- g * D)) (fmt_rnd (rnd (L * rnd (D * D)) / 2))).
  assert (H := sum_error _ _ _ _ _ _ _ _ (c 3 1) _ Ha Hb (Rle_refl _) (Rle_refl _) C1 C3 HS).
  rewrite Ea, Eb in H.
  eapply Rle_trans; [exact H|].
  apply Rmult_le_compat_r; [apply Rplus_le_le_0_compat; [apply Rabs_pos | nra]|].
  rewrite u_eq. unfold c, p77. lra.
Qed.

(* E21 rate_at_batch and E28 vector_rate_at_batch, theory_rate_at_batch_term.g and
   theory_vector_rate_at_batch_term.g: with x' the computed term (relative error
   <= 3.000001 2^-53 on X > 0),
   |rnd (rnd (1 - x') / L) - (1 - X) / L| <= 5.000003 * 2^-53 * (1 + X) / L. *)
Theorem rate_at_batch_error : forall x X L, 0 < X -> 0 < L -> fmt x ->
  Rabs (x - X) <= c 3 1 * X ->
  (rnd (1 - x) / L = 0 \/ bpow radix2 (-1022) <= Rabs (rnd (1 - x) / L)) ->
  Rabs (rnd (rnd (1 - x) / L) - (1 - X) / L) <= c 5 3 * ((1 + X) / L).
Proof.
  intros x X L HX HL Fx Hx Hn.
  assert (U := u_pos).
  assert (F1 : fmt 1).
  { apply generic_format_FLT. exists (Float radix2 1 0); simpl; try lia.
    unfold F2R; simpl; ring. }
  assert (H1 : Rabs (1 - 1) <= 0 * 1) by (rewrite Rminus_diag_eq, Rabs_R0; lra).
  assert (Hx' : Rabs (- x - - X) <= c 3 1 * X).
  { replace (- x - - X) with (- (x - X)) by ring. rewrite Rabs_Ropp. exact Hx. }
  assert (Hb : Rabs (- X) <= X) by (rewrite Rabs_Ropp, Rabs_pos_eq; lra).
  assert (H1a : Rabs 1 <= 1) by (rewrite Rabs_R1; lra).
  assert (C0 : 0 <= 0 <= c 3 1) by (split; [lra | apply c_nonneg; lra]).
  assert (C3 : 0 <= c 3 1 <= c 3 1) by (split; [apply c_nonneg; lra | lra]).
  assert (HS := plus_rel _ _ F1 (generic_format_opp _ _ _ Fx)).
  assert (Y := sum_error _ _ _ _ _ _ _ _ (c 3 1) _ H1 Hx' H1a Hb C0 C3 HS).
  assert (Y' : Rabs (rnd (1 - x) - (1 - X)) <= (c 3 1 * (1 + u) + u) * (1 + X)).
  { replace (1 - X) with (1 + - X) by ring. unfold Rminus at 1. exact Y. }
  assert (Sy : Rabs (1 - X) <= 1 + X) by (apply Rabs_le; lra).
  assert (Ey : 0 <= c 3 1 * (1 + u) + u).
  { assert (0 <= c 3 1) by (apply c_nonneg; lra). nra. }
  assert (Hd : Rabs (rnd (rnd (1 - x) * / L) - rnd (1 - x) * / L)
               <= u * Rabs (rnd (1 - x) * / L)) by (apply rnd_rel_normal; exact Hn).
  assert (R := scale_error _ _ _ (/ L) _ (rnd (rnd (1 - x) * / L)) Y' Sy Ey Hd).
  assert (IL : 0 < / L) by (apply Rinv_0_lt_compat; exact HL).
  rewrite (Rabs_pos_eq (/ L)) in R by lra.
  unfold Rdiv. eapply Rle_trans; [exact R|].
  rewrite Rmult_assoc. apply Rmult_le_compat_r; [nra|].
  rewrite u_eq. unfold c, p77. nra.
Qed.


(* ---- One step from exact inputs: the composed bound on D ---------------------------- *)

(* A product of two perturbed values. *)
Lemma prod_error : forall X x Y y ex ey Sx Sy,
  Rabs (X - x) <= ex * Sx -> Rabs (Y - y) <= ey * Sy -> Rabs x <= Sx -> Rabs y <= Sy ->
  0 <= ex -> 0 <= ey ->
  Rabs (X * Y - x * y) <= (ex + ey + ex * ey) * (Sx * Sy).
Proof.
  intros X x Y y ex ey Sx Sy HX HY Hx Hy Ex Ey.
  assert (Sx0 : 0 <= Sx) by (eapply Rle_trans; [apply Rabs_pos | exact Hx]).
  assert (Sy0 : 0 <= Sy) by (eapply Rle_trans; [apply Rabs_pos | exact Hy]).
  replace (X * Y - x * y) with ((X - x) * (Y - y) + (X - x) * y + x * (Y - y)) by ring.
  eapply Rle_trans; [apply Rabs_triang|].
  eapply Rle_trans; [apply Rplus_le_compat_r, Rabs_triang|].
  rewrite !Rabs_mult.
  assert (A1 : Rabs (X - x) * Rabs (Y - y) <= (ex * Sx) * (ey * Sy))
    by (apply Rmult_le_compat; auto using Rabs_pos).
  assert (A2 : Rabs (X - x) * Rabs y <= (ex * Sx) * Sy)
    by (apply Rmult_le_compat; auto using Rabs_pos).
  assert (A3 : Rabs x * Rabs (Y - y) <= Sx * (ey * Sy))
    by (apply Rmult_le_compat; auto using Rabs_pos).
  nra.
Qed.

(* A perturbed value is at most (1 + e) times the magnitude bound. *)
Lemma perturbed_le : forall X x e S, Rabs (X - x) <= e * S -> Rabs x <= S -> Rabs X <= (1 + e) * S.
Proof.
  intros X x e S H Hx. replace X with (x + (X - x)) by ring.
  eapply Rle_trans; [apply Rabs_triang|]. lra.
Qed.

(* One step from exact inputs (w, c, m, v, g): with C, V, M the exact new mass, second moment
   and mean, S_m = (1 - w)|m| + w|g| >= |M|, and the computed c', v', m' within the certified
   bounds (step_mass.g, step_second.g: 3.000001 u relative; mean_error: 3.000002 u S_m), the
   computed D' (variance_error: 2.000001 u (c'v' + m'^2)) satisfies
   |D' - (C V - M^2)| <= 8.0001 u (C V + S_m^2)   (certified_bounds.hpp step_variance_abs).
   Without bias correction c' = C = 1 and the first hypothesis holds trivially. *)
Theorem step_variance_error : forall C V M Sm c1 v1 m1 D1,
  0 <= C -> 0 <= V -> Rabs M <= Sm ->
  Rabs (c1 - C) <= c 3 1 * C -> Rabs (v1 - V) <= c 3 1 * V -> Rabs (m1 - M) <= c 3 2 * Sm ->
  Rabs (D1 - (c1 * v1 - m1 * m1)) <= c 2 1 * (c1 * v1 + m1 * m1) ->
  Rabs (D1 - (C * V - M * M)) <= c 8 256 * (C * V + Sm * Sm).
Proof.
  intros C V M Sm c1 v1 m1 D1 HC HV HM Hc Hv Hm HD.
  assert (S0 : 0 <= Sm) by (eapply Rle_trans; [apply Rabs_pos | exact HM]).
  assert (E3 : 0 <= c 3 1) by (unfold c, p77; lra).
  assert (Em : 0 <= c 3 2) by (unfold c, p77; lra).
  assert (E2 : 0 <= c 2 1) by (unfold c, p77; lra).
  assert (RC : Rabs C <= C) by (rewrite Rabs_pos_eq; lra).
  assert (RV : Rabs V <= V) by (rewrite Rabs_pos_eq; lra).
  assert (P := prod_error _ _ _ _ _ _ _ _ Hc Hv RC RV E3 E3).
  assert (Q := prod_error _ _ _ _ _ _ _ _ Hm Hm HM HM Em Em).
  assert (Pc := perturbed_le _ _ _ _ Hc RC).
  assert (Pv := perturbed_le _ _ _ _ Hv RV).
  assert (Pm := perturbed_le _ _ _ _ Hm HM).
  assert (T1 : Rabs (D1 - (C * V - M * M)) <= Rabs (D1 - (c1 * v1 - m1 * m1))
                 + Rabs (c1 * v1 - C * V) + Rabs (m1 * m1 - M * M)).
  { replace (D1 - (C * V - M * M)) with
      ((D1 - (c1 * v1 - m1 * m1)) + (c1 * v1 - C * V) - (m1 * m1 - M * M)) by ring.
    unfold Rminus at 1. eapply Rle_trans; [apply Rabs_triang|].
    rewrite Rabs_Ropp. apply Rplus_le_compat_r. apply Rabs_triang. }
  assert (T2 : c1 * v1 + m1 * m1 <= ((1 + c 3 1) * C) * ((1 + c 3 1) * V) + ((1 + c 3 2) * Sm) * ((1 + c 3 2) * Sm)).
  { assert (c1 * v1 <= Rabs c1 * Rabs v1) by (rewrite <- Rabs_mult; apply RRle_abs).
    assert (m1 * m1 <= Rabs m1 * Rabs m1) by (rewrite <- Rabs_mult; apply RRle_abs).
    assert (Rabs c1 * Rabs v1 <= ((1 + c 3 1) * C) * ((1 + c 3 1) * V))
      by (apply Rmult_le_compat; auto using Rabs_pos).
    assert (Rabs m1 * Rabs m1 <= ((1 + c 3 2) * Sm) * ((1 + c 3 2) * Sm))
      by (apply Rmult_le_compat; auto using Rabs_pos).
    lra. }
  assert (T3 : c 2 1 * (c1 * v1 + m1 * m1) <= c 2 1 * (((1 + c 3 1) * C) * ((1 + c 3 1) * V) + ((1 + c 3 2) * Sm) * ((1 + c 3 2) * Sm)))
    by (apply Rmult_le_compat_l; lra).
  assert (CV : 0 <= C * V) by nra.
  assert (SS : 0 <= Sm * Sm) by nra.
  assert (K1 : c 2 1 * ((1 + c 3 1) * (1 + c 3 1)) + (c 3 1 + c 3 1 + c 3 1 * c 3 1) <= c 8 256)
    by (unfold c, p77; lra).
  assert (K2 : c 2 1 * ((1 + c 3 2) * (1 + c 3 2)) + (c 3 2 + c 3 2 + c 3 2 * c 3 2) <= c 8 256)
    by (unfold c, p77; lra).
  assert (F1 : (c 2 1 * ((1 + c 3 1) * (1 + c 3 1)) + (c 3 1 + c 3 1 + c 3 1 * c 3 1)) * (C * V) <= c 8 256 * (C * V))
    by (apply Rmult_le_compat_r; lra).
  assert (F2 : (c 2 1 * ((1 + c 3 2) * (1 + c 3 2)) + (c 3 2 + c 3 2 + c 3 2 * c 3 2)) * (Sm * Sm) <= c 8 256 * (Sm * Sm))
    by (apply Rmult_le_compat_r; lra).
  assert (R : Rabs (m1 * m1 - M * M) <= (c 3 2 + c 3 2 + c 3 2 * c 3 2) * (Sm * Sm)) by exact Q.
  assert (R' : Rabs (c1 * v1 - C * V) <= (c 3 1 + c 3 1 + c 3 1 * c 3 1) * (C * V)) by exact P.
  nra.
Qed.

(* One step from exact inputs, the numerator of the weight (E17 + step 1): with the
   computed c', m' within the certified bounds (step_mass.g: 3.000001 u relative;
   mean_error: 3.000002 u S_m) and eps >= 0,
   |m'^2 + eps c'^2 - (M^2 + eps C^2)| <= 6.0001 u (S_m^2 + eps C^2)
   (certified_bounds.hpp step_numerator_rel; the rounding of the formula itself is
   step_weight.g's, on the double inputs). *)
Theorem step_numerator_error : forall C M Sm c1 m1 eps,
  0 <= C -> Rabs M <= Sm -> 0 <= eps ->
  Rabs (c1 - C) <= c 3 1 * C -> Rabs (m1 - M) <= c 3 2 * Sm ->
  Rabs ((m1 * m1 + eps * (c1 * c1)) - (M * M + eps * (C * C)))
    <= c 6 256 * (Sm * Sm + eps * (C * C)).
Proof.
  intros C M Sm c1 m1 eps HC HM He Hc Hm.
  assert (E3 : 0 <= c 3 1) by (unfold c, p77; lra).
  assert (Em : 0 <= c 3 2) by (unfold c, p77; lra).
  assert (RC : Rabs C <= C) by (rewrite Rabs_pos_eq; lra).
  assert (P := prod_error _ _ _ _ _ _ _ _ Hc Hc RC RC E3 E3).
  assert (Q := prod_error _ _ _ _ _ _ _ _ Hm Hm HM HM Em Em).
  assert (T : Rabs ((m1 * m1 + eps * (c1 * c1)) - (M * M + eps * (C * C)))
              <= Rabs (m1 * m1 - M * M) + eps * Rabs (c1 * c1 - C * C)).
  { replace ((m1 * m1 + eps * (c1 * c1)) - (M * M + eps * (C * C)))
      with ((m1 * m1 - M * M) + eps * (c1 * c1 - C * C)) by ring.
    eapply Rle_trans; [apply Rabs_triang|]. rewrite Rabs_mult, (Rabs_pos_eq eps) by lra. lra. }
  assert (CC : 0 <= C * C) by nra.
  assert (SS : 0 <= Sm * Sm) by nra.
  assert (K1 : c 3 2 + c 3 2 + c 3 2 * c 3 2 <= c 6 256) by (unfold c, p77; lra).
  assert (K2 : c 3 1 + c 3 1 + c 3 1 * c 3 1 <= c 6 256) by (unfold c, p77; lra).
  assert (F1 : (c 3 2 + c 3 2 + c 3 2 * c 3 2) * (Sm * Sm) <= c 6 256 * (Sm * Sm))
    by (apply Rmult_le_compat_r; lra).
  assert (F2 : eps * ((c 3 1 + c 3 1 + c 3 1 * c 3 1) * (C * C)) <= eps * (c 6 256 * (C * C))).
  { apply Rmult_le_compat_l; [lra|]. apply Rmult_le_compat_r; lra. }
  assert (G : eps * Rabs (c1 * c1 - C * C) <= eps * ((c 3 1 + c 3 1 + c 3 1 * c 3 1) * (C * C)))
    by (apply Rmult_le_compat_l; lra).
  nra.
Qed.

(* A product of perturbed ratios: |a - 1| <= r, |b - 1| <= x, |d - 1| <= y < 1 give
   |a b^2 / d - 1| <= (1 + r)(1 + x)^2 / (1 - y) - 1. *)
Lemma abs_between : forall z e, Rabs z <= e -> - e <= z <= e.
Proof.
  intros z e H. pose proof (Rle_abs z). pose proof (Rle_abs (- z)). rewrite Rabs_Ropp in *. lra.
Qed.

Lemma ratio_error : forall a b d r x y,
  0 <= r <= 1 -> 0 <= x -> 0 <= y < 1 ->
  Rabs (a - 1) <= r -> Rabs (b - 1) <= x -> Rabs (d - 1) <= y ->
  Rabs (a * (b * b) / d - 1) <= (1 + r) * ((1 + x) * (1 + x)) / (1 - y) - 1.
Proof.
  intros a b d r x y Hr Hx Hy Ha Hb Hd.
  apply abs_between in Ha. apply abs_between in Hb. apply abs_between in Hd.
  assert (Hd0 : 0 < d) by lra.
  assert (Hb2 : b * b <= (1 + x) * (1 + x)) by nra.
  assert (Hb0 : 0 <= b * b) by nra.
  assert (Ha0 : 0 <= a) by lra.
  set (U := (1 + r) * ((1 + x) * (1 + x)) / (1 - y)).
  assert (HU : a * (b * b) / d <= U).
  { unfold U. apply Rle_trans with ((1 + r) * ((1 + x) * (1 + x)) / d).
    - unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra|].
      apply Rmult_le_compat; lra.
    - unfold Rdiv. apply Rmult_le_compat_l; [nra|]. apply Rinv_le_contravar; lra. }
  assert (HR0 : 0 <= a * (b * b) / d).
  { unfold Rdiv. apply Rmult_le_pos; [nra | left; apply Rinv_0_lt_compat; lra]. }
  apply Rabs_le. split; [|lra].
  (* the lower side: a b^2 / d >= 2 - U *)
  destruct (Rle_dec 1 x) as [Hx1|Hx1].
  - assert (U >= 4).
    { unfold U. assert (4 <= (1 + x) * (1 + x)) by nra.
      assert (1 <= 1 / (1 - y)).
      { apply (Rmult_le_reg_r (1 - y)); [lra|].
        replace (1 / (1 - y) * (1 - y)) with 1 by (field; lra). lra. }
      replace ((1 + r) * ((1 + x) * (1 + x)) / (1 - y)) with ((1 + r) * ((1 + x) * (1 + x)) * (1 / (1 - y))) by (field; lra).
      assert (4 <= (1 + r) * ((1 + x) * (1 + x))) by nra. nra. }
    lra.
  - assert (Hbl : (1 - x) * (1 - x) <= b * b) by nra.
    assert (HL : (1 - r) * ((1 - x) * (1 - x)) / (1 + y) <= a * (b * b) / d).
    { assert (HP : 0 <= (1 - r) * ((1 - x) * (1 - x))) by (apply Rmult_le_pos; nra).
      apply Rle_trans with ((1 - r) * ((1 - x) * (1 - x)) / d).
      - unfold Rdiv. apply Rmult_le_compat_l; [exact HP|]. apply Rinv_le_contravar; lra.
      - unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra|].
        apply Rmult_le_compat; nra. }
    assert (Key : 2 <= (1 - r) * ((1 - x) * (1 - x)) / (1 + y) + U).
    { unfold U.
      assert (E : (1 - r) * ((1 - x) * (1 - x)) / (1 + y) + (1 + r) * ((1 + x) * (1 + x)) / (1 - y)
                  = ((1 - r) * ((1 - x) * (1 - x)) * (1 - y) + (1 + r) * ((1 + x) * (1 + x)) * (1 + y))
                    / ((1 + y) * (1 - y))) by (field; lra).
      rewrite E. apply (Rmult_le_reg_r ((1 + y) * (1 - y))); [nra|].
      unfold Rdiv. rewrite Rmult_assoc, Rinv_l by nra. rewrite Rmult_1_r.
      assert (0 <= r * y) by nra. assert (0 <= x * x) by nra.
      assert (0 <= (r + y) * (4 * x)) by nra. nra. }
    lra.
Qed.

(* One step from exact inputs, the rate (E18/E20, before the cap, which cannot increase the
   error: min_error): with the exact step values M (mean, M <> 0) and D* = C V - M^2 > 0,
   the computed m' (mean_error: 3.000002 u S_m) and D' (step_variance_error: 8.0001 u S,
   S = C V + S_m^2) and the computed eta' within step_rate.g's 4.000001 u of
   E = rate_factor m'^2 / D' (its value on the double inputs),
   |eta'/eta* - 1| <= (1 + 4.000001 u)(1 + 3.000002 u kappa_M)^2 / (1 - 8.0001 u kappa_D) - 1,
   eta* = rate_factor M^2 / D*, kappa_M = S_m/|M|, kappa_D = S/D*, when 8.0001 u kappa_D < 1
   (certified_bounds.hpp, "One step, composed"). *)
Theorem step_rate_error : forall rf M Dstar Sm S m1 D1 eta1,
  0 < rf -> M <> 0 -> 0 < Dstar -> m1 <> 0 ->
  c 8 256 * (S / Dstar) < 1 ->
  Rabs (m1 - M) <= c 3 2 * Sm ->
  Rabs (D1 - Dstar) <= c 8 256 * S ->
  Rabs (eta1 - rf * (m1 * m1) / D1) <= c 4 1 * (rf * (m1 * m1) / D1) ->
  Rabs (eta1 / (rf * (M * M) / Dstar) - 1)
    <= (1 + c 4 1) * ((1 + c 3 2 * (Sm / Rabs M)) * (1 + c 3 2 * (Sm / Rabs M)))
       / (1 - c 8 256 * (S / Dstar)) - 1.
Proof.
  intros rf M Dstar Sm S m1 D1 eta1 Hrf HM HD Hm1 Hk Hm HDe He.
  assert (HaM : 0 < Rabs M) by (apply Rabs_pos_lt; exact HM).
  assert (E3 : 0 <= c 3 2) by (unfold c, p77; lra).
  assert (E8 : 0 <= c 8 256) by (unfold c, p77; lra).
  assert (Hy : Rabs (D1 / Dstar - 1) <= c 8 256 * (S / Dstar)).
  { replace (D1 / Dstar - 1) with ((D1 - Dstar) / Dstar) by (field; lra).
    unfold Rdiv. rewrite Rabs_mult, (Rabs_pos_eq (/ Dstar)) by (left; apply Rinv_0_lt_compat; lra).
    rewrite <- Rmult_assoc. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra | exact HDe]. }
  assert (Hy0 : 0 <= c 8 256 * (S / Dstar)) by (eapply Rle_trans; [apply Rabs_pos | exact Hy]).
  assert (HD1 : 0 < D1).
  { pose proof (abs_between _ _ Hy) as [H1 H2].
    assert (0 < D1 / Dstar) by lra.
    replace D1 with ((D1 / Dstar) * Dstar) by (field; lra). apply Rmult_lt_0_compat; lra. }
  assert (HE : 0 < rf * (m1 * m1) / D1).
  { apply Rdiv_lt_0_compat; [|exact HD1]. apply Rmult_lt_0_compat; [exact Hrf|].
    assert (0 < m1 * m1) by (apply Rsqr_pos_lt; exact Hm1). exact H. }
  assert (Ha : Rabs (eta1 / (rf * (m1 * m1) / D1) - 1) <= c 4 1).
  { replace (eta1 / (rf * (m1 * m1) / D1) - 1) with ((eta1 - rf * (m1 * m1) / D1) / (rf * (m1 * m1) / D1))
      by (field; repeat split; lra || (intro; apply Hm1; nra)).
    unfold Rdiv at 1. rewrite Rabs_mult, (Rabs_pos_eq (/ _)) by (left; apply Rinv_0_lt_compat; lra).
    apply (Rmult_le_reg_r (rf * (m1 * m1) / D1)); [exact HE|].
    rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra. exact He. }
  assert (Hx : Rabs (m1 / M - 1) <= c 3 2 * (Sm / Rabs M)).
  { replace (m1 / M - 1) with ((m1 - M) / M) by (field; exact HM).
    unfold Rdiv. rewrite Rabs_mult, Rabs_inv.
    rewrite <- Rmult_assoc. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; exact HaM | exact Hm]. }
  assert (Hx0 : 0 <= c 3 2 * (Sm / Rabs M)) by (eapply Rle_trans; [apply Rabs_pos | exact Hx]).
  assert (Hr : 0 <= c 4 1 <= 1) by (unfold c, p77; lra).
  pose proof (ratio_error _ _ _ _ _ _ Hr Hx0 (conj Hy0 Hk) Ha Hx Hy) as R.
  replace (eta1 / (rf * (M * M) / Dstar))
    with (eta1 / (rf * (m1 * m1) / D1) * (m1 / M * (m1 / M)) / (D1 / Dstar)).
  - exact R.
  - field. repeat split; try lra. all: intro; apply Hm1 || apply HM; nra.
Qed.

(* The same with a linear middle factor: |a n / d - 1| <= (1 + r)(1 + x)/(1 - y) - 1. *)
Lemma ratio_error_linear : forall a n d r x y,
  0 <= r <= 1 -> 0 <= x <= 1 -> 0 <= y < 1 ->
  Rabs (a - 1) <= r -> Rabs (n - 1) <= x -> Rabs (d - 1) <= y ->
  Rabs (a * n / d - 1) <= (1 + r) * (1 + x) / (1 - y) - 1.
Proof.
  intros a n d r x y Hr Hx Hy Ha Hn Hd.
  apply abs_between in Ha. apply abs_between in Hn. apply abs_between in Hd.
  assert (Hd0 : 0 < d) by lra.
  assert (Ha0 : 0 <= a) by lra. assert (Hn0 : 0 <= n) by lra.
  set (U := (1 + r) * (1 + x) / (1 - y)).
  assert (HU : a * n / d <= U).
  { unfold U. apply Rle_trans with ((1 + r) * (1 + x) / d).
    - unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra|].
      apply Rmult_le_compat; lra.
    - unfold Rdiv. apply Rmult_le_compat_l; [nra|]. apply Rinv_le_contravar; lra. }
  apply Rabs_le. split; [|lra].
  assert (HP : 0 <= (1 - r) * (1 - x)) by (apply Rmult_le_pos; lra).
  assert (HL : (1 - r) * (1 - x) / (1 + y) <= a * n / d).
  { apply Rle_trans with ((1 - r) * (1 - x) / d).
    - unfold Rdiv. apply Rmult_le_compat_l; [exact HP|]. apply Rinv_le_contravar; lra.
    - unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra|].
      apply Rmult_le_compat; lra. }
  assert (Key : 2 <= (1 - r) * (1 - x) / (1 + y) + U).
  { unfold U.
    assert (E : (1 - r) * (1 - x) / (1 + y) + (1 + r) * (1 + x) / (1 - y)
                = ((1 - r) * (1 - x) * (1 - y) + (1 + r) * (1 + x) * (1 + y))
                  / ((1 + y) * (1 - y))) by (field; lra).
    rewrite E. apply (Rmult_le_reg_r ((1 + y) * (1 - y))); [nra|].
    unfold Rdiv. rewrite Rmult_assoc, Rinv_l by nra. rewrite Rmult_1_r.
    assert (0 <= r * x) by nra. assert (0 <= r * y) by nra. assert (0 <= x * y) by nra.
    assert (0 <= r * x * y) by nra. nra. }
  lra.
Qed.

(* One step from exact inputs, the weight (E17 + step 1, before its limits, which cannot
   increase the error: min_error): with N* = M^2 + eps C^2 > 0, S_N = S_m^2 + eps C^2,
   the computed numerator N' = m'^2 + eps c'^2 (step_numerator_error: 6.0001 u S_N), D'
   (step_variance_error: 8.0001 u S) and w' within step_weight.g's 6.000001 u of
   weight_factor N'/D',
   |w'/w* - 1| <= (1 + 6.000001 u)(1 + 6.0001 u kappa_N)/(1 - 8.0001 u kappa_D) - 1,
   w* = weight_factor N*/D*, kappa_N = S_N/N*, kappa_D = S/D*, when 6.0001 u kappa_N < 1 and
   8.0001 u kappa_D < 1 (certified_bounds.hpp, "One step, composed"). *)
Theorem step_weight_error : forall wf Nstar Dstar SN S N1 D1 w1,
  0 < wf -> 0 < Nstar -> 0 < Dstar ->
  c 6 256 * (SN / Nstar) < 1 -> c 8 256 * (S / Dstar) < 1 ->
  Rabs (N1 - Nstar) <= c 6 256 * SN ->
  Rabs (D1 - Dstar) <= c 8 256 * S ->
  Rabs (w1 - wf * N1 / D1) <= c 6 1 * (wf * N1 / D1) ->
  Rabs (w1 / (wf * Nstar / Dstar) - 1)
    <= (1 + c 6 1) * (1 + c 6 256 * (SN / Nstar)) / (1 - c 8 256 * (S / Dstar)) - 1.
Proof.
  intros wf Nstar Dstar SN S N1 D1 w1 Hwf HN HD Hkn Hkd HNe HDe Hw.
  assert (rel : forall X Y e, 0 < Y -> Rabs (X - Y) <= e -> Rabs (X / Y - 1) <= e / Y).
  { intros X Y e HY H. replace (X / Y - 1) with ((X - Y) / Y) by (field; lra).
    unfold Rdiv. rewrite Rabs_mult, (Rabs_pos_eq (/ Y)) by (left; apply Rinv_0_lt_compat; lra).
    apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra | exact H]. }
  assert (Hy : Rabs (D1 / Dstar - 1) <= c 8 256 * (S / Dstar)).
  { replace (c 8 256 * (S / Dstar)) with (c 8 256 * S / Dstar) by (field; lra). apply rel; assumption. }
  assert (Hx : Rabs (N1 / Nstar - 1) <= c 6 256 * (SN / Nstar)).
  { replace (c 6 256 * (SN / Nstar)) with (c 6 256 * SN / Nstar) by (field; lra). apply rel; assumption. }
  assert (Hy0 : 0 <= c 8 256 * (S / Dstar)) by (eapply Rle_trans; [apply Rabs_pos | exact Hy]).
  assert (Hx0 : 0 <= c 6 256 * (SN / Nstar)) by (eapply Rle_trans; [apply Rabs_pos | exact Hx]).
  pose proof (abs_between _ _ Hy) as [Hy1 _]. pose proof (abs_between _ _ Hx) as [Hx1 _].
  assert (HD1 : 0 < D1).
  { assert (0 < D1 / Dstar) by lra. replace D1 with ((D1 / Dstar) * Dstar) by (field; lra).
    apply Rmult_lt_0_compat; lra. }
  assert (HN1 : 0 < N1).
  { assert (0 < N1 / Nstar) by lra. replace N1 with ((N1 / Nstar) * Nstar) by (field; lra).
    apply Rmult_lt_0_compat; lra. }
  assert (HE : 0 < wf * N1 / D1) by (apply Rdiv_lt_0_compat; [apply Rmult_lt_0_compat|]; lra).
  assert (Ha : Rabs (w1 / (wf * N1 / D1) - 1) <= c 6 1).
  { eapply Rle_trans; [apply rel; [exact HE | exact Hw]|].
    replace (c 6 1 * (wf * N1 / D1) / (wf * N1 / D1)) with (c 6 1) by (field; lra). lra. }
  assert (Hr : 0 <= c 6 1 <= 1) by (unfold c, p77; lra).
  pose proof (ratio_error_linear _ _ _ _ _ _ Hr (conj Hx0 (Rlt_le _ _ Hkn)) (conj Hy0 Hkd) Ha Hx Hy) as R.
  replace (w1 / (wf * Nstar / Dstar)) with (w1 / (wf * N1 / D1) * (N1 / Nstar) / (D1 / Dstar)).
  - exact R.
  - field. repeat split; lra.
Qed.

(* One step from exact inputs, the parameter (E20): with phi' within parameter_error's
   2.000001 u (|phi| + |eta' g|) of phi - eta' g and eta' within a relative delta of eta*,
   |phi' - (phi - eta* g)| <= 2.000001 u (|phi| + |eta' g|) + |g| eta* delta. *)
Theorem step_parameter_error : forall phi g eta1 etas delta phi1,
  0 < etas ->
  Rabs (phi1 - (phi - eta1 * g)) <= c 2 1 * (Rabs phi + Rabs (eta1 * g)) ->
  Rabs (eta1 / etas - 1) <= delta ->
  Rabs (phi1 - (phi - etas * g)) <= c 2 1 * (Rabs phi + Rabs (eta1 * g)) + Rabs g * etas * delta.
Proof.
  intros phi g eta1 etas delta phi1 He Hp Hd.
  assert (Ee : Rabs (eta1 - etas) <= etas * delta).
  { replace (eta1 - etas) with (etas * (eta1 / etas - 1)) by (field; lra).
    rewrite Rabs_mult, (Rabs_pos_eq etas) by lra. apply Rmult_le_compat_l; lra. }
  replace (phi1 - (phi - etas * g)) with ((phi1 - (phi - eta1 * g)) - (eta1 - etas) * g) by ring.
  unfold Rminus at 1. eapply Rle_trans; [apply Rabs_triang|]. rewrite Rabs_Ropp, Rabs_mult.
  assert (Rabs (eta1 - etas) * Rabs g <= etas * delta * Rabs g)
    by (apply Rmult_le_compat_r; [apply Rabs_pos | exact Ee]).
  lra.
Qed.

(* ---- Over t steps: the running averages (E15, E16, X15) ---------------------------- *)

(* One step of a running average x' = (1 - w) x + w y, computed from the computed previous
   value xc (error <= E against the exact previous value xe) with the per-step certified
   bound e * S (mean_error, step_second.g, step_mass.g): the new error is at most
   (1 - w) E + e S. Old errors are contracted by 1 - w: they never grow. *)
Theorem average_propagation : forall w y xc xe x' e S E,
  0 <= w <= 1 -> Rabs (xc - xe) <= E ->
  Rabs (x' - ((1 - w) * xc + w * y)) <= e * S ->
  Rabs (x' - ((1 - w) * xe + w * y)) <= (1 - w) * E + e * S.
Proof.
  intros w y xc xe x' e S E Hw HE H.
  replace (x' - ((1 - w) * xe + w * y)) with ((x' - ((1 - w) * xc + w * y)) + (1 - w) * (xc - xe))
    by ring.
  eapply Rle_trans; [apply Rabs_triang|].
  rewrite Rabs_mult, (Rabs_pos_eq (1 - w)) by lra.
  assert ((1 - w) * Rabs (xc - xe) <= (1 - w) * E) by (apply Rmult_le_compat_l; lra).
  lra.
Qed.

(* Unrolled: if E_0 = 0, E_{t+1} <= (1 - w_{t+1}) E_t + b_{t+1} with 0 <= b_t <= bmax and
   w_t >= wmin > 0, then E_t <= bmax / wmin for every t: the error of the averages stays
   bounded however long the run (e.g. mean: bmax = 3.000002 u G with |ghat|, |m| <= G). *)
Theorem average_error_bounded : forall (E b w : nat -> R) wmin bmax,
  0 < wmin -> (forall t, wmin <= w t <= 1) -> (forall t, 0 <= b t <= bmax) -> E O = 0 ->
  (forall t, E (S t) <= (1 - w (S t)) * E t + b (S t)) ->
  forall t, E t <= bmax / wmin.
Proof.
  intros E b w wmin bmax Hm Hw Hb H0 Hs t.
  assert (Bq : 0 <= bmax / wmin).
  { unfold Rdiv. apply Rmult_le_pos; [destruct (Hb O); lra | apply Rlt_le, Rinv_0_lt_compat; lra]. }
  induction t as [|t IH].
  - rewrite H0. exact Bq.
  - specialize (Hs t). destruct (Hw (S t)) as [W1 W2]. destruct (Hb (S t)) as [B1 B2].
    assert (A : (1 - w (S t)) * E t <= (1 - w (S t)) * (bmax / wmin))
      by (apply Rmult_le_compat_l; lra).
    assert (C : (1 - w (S t)) * (bmax / wmin) <= (1 - wmin) * (bmax / wmin))
      by (apply Rmult_le_compat_r; lra).
    assert (D : (1 - wmin) * (bmax / wmin) + bmax = bmax / wmin) by (field; lra).
    lra.
Qed.

(* Without a lower bound on the weights: E_t <= t bmax (linear growth at worst). *)
Theorem average_error_linear : forall (E b w : nat -> R) bmax,
  (forall t, 0 <= w t <= 1) -> (forall t, 0 <= b t <= bmax) -> E O = 0 ->
  (forall t, 0 <= E t) ->
  (forall t, E (S t) <= (1 - w (S t)) * E t + b (S t)) ->
  forall t, E t <= INR t * bmax.
Proof.
  intros E b w bmax Hw Hb H0 Hp Hs t.
  induction t as [|t IH].
  - rewrite H0. simpl. lra.
  - specialize (Hs t). destruct (Hw (S t)). destruct (Hb (S t)).
    assert ((1 - w (S t)) * E t <= E t) by (specialize (Hp t); nra).
    rewrite S_INR. lra.
Qed.
