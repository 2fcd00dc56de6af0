# E22 quench::theory::guaranteed_decrease: L / 2 * eta^2 * ghat^2, evaluated left to right as
# ((L / 2) * (eta * eta)) * (ghat * ghat) (Gappa does not use the exactness of L / 2: one rounding is counted for it).
# Hypotheses: L in [2^-100, 2^100], |eta|, |ghat| in [2^-200, 2^200].
# Bound: |r' - x| <= 5.000001 * 2^-53 * x, x = L eta^2 ghat^2 / 2.
@rnd = float<ieee_64, ne>;
L = rnd(L_);
e = rnd(e_);
g = rnd(g_);
r = rnd(rnd(rnd(L / 2) * rnd(e * e)) * rnd(g * g));
x = L / 2 * (e * e) * (g * g);
{ L in [0x1p-100, 0x1p100] /\ |e| in [0x1p-200, 0x1p200] /\ |g| in [0x1p-200, 0x1p200]
  -> (r - x) / x in [-0x5.000001p-53, 0x5.000001p-53] }
