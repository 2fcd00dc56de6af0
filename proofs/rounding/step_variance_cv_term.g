# E16/X11, docs/spec.md step 3: the scaled variance D = c v - m^2 = c^2 var (bias correction on;
# without it c = 1, c v = v exactly), as quench::detail::update_coordinate evaluates it:
#   m2 = m * m;  D = c * v - m2;  then max(D, 0) (X11), which cannot increase the error.
# D cancels when c v ~ m^2, so its relative error is unbounded there. This script and
# step_variance_m2_term.g certify each term; RoundingGlue.v (variance_error) concludes
#   |D' - D| <= 2.000001 * 2^-53 * (c v + m^2),   D = c v - m^2 on the double inputs,
# i.e. relative error <= 2.000001 * 2^-53 * kappa_D with kappa_D = (c v + m^2) / |D|.
# Hypotheses: c in [2^-100, 1], v in [2^-500, 2^500] (v = 0: exact 0 term).
# Bound: |P - c v| <= 2^-53 * c v.
@rnd = float<ieee_64, ne>;
c = rnd(c_);
v = rnd(v_);
P = rnd(c * v);
{ c in [0x1p-100, 1] /\ v in [0x1p-500, 0x1p500] -> |(P - c * v) / (c * v)| <= 0x1p-53 }
