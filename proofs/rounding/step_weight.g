# E17 then docs/spec.md step 1: the weight of the next gradient w = B/Bstar
#   = weight_factor * (m^2 + eps c^2) / D   (weight_factor = 1/lambda_B with X13),
# as quench::detail::update_coordinate evaluates it (bias correction on):
#   m2 = m * m;  c2 = c * c;  inverse = 1 / Dd;
#   w = (weight_factor * (m2 + eps * c2)) * inverse;  then min(w, 1) (X8), min(w, max_weight) (X14)
# The mins cannot increase a relative error. Without bias correction c2 = 1 (eps * 1 exact).
# Bound: |w' - W| <= 6.000001 * 2^-53 * W, W = weight_factor (m^2 + eps c^2) / Dd.
# Hypotheses: weight_factor in [2^-60, 2^60], |m| in [2^-250, 2^250], c in [2^-100, 1],
# eps in [2^-200, 2^100], Dd in [2^-300, 2^300].
@rnd = float<ieee_64, ne>;
wf = rnd(wf_);
m = rnd(m_);
c = rnd(c_);
eps = rnd(eps_);
Dd = rnd(Dd_);
m2 = rnd(m * m);
c2 = rnd(c * c);
inverse = rnd(1 / Dd);
wn = rnd(rnd(wf * rnd(m2 + rnd(eps * c2))) * inverse);
W = wf * (m * m + eps * (c * c)) * (1 / Dd);
{ wf in [0x1p-60, 0x1p60] /\ |m| in [0x1p-250, 0x1p250] /\ c in [0x1p-100, 1]
  /\ eps in [0x1p-200, 0x1p100] /\ Dd in [0x1p-300, 0x1p300]
  -> (wn - W) / W in [-0x6.000001p-53, 0x6.000001p-53] }
