# E16/X11: var = D / c^2, as quench::running_variance evaluates it after D = max(c v - m m, 0)
# (D's own error: step_variance_*; running_variance computes D exactly as the step does).
#   var = D / (c * c)
# Hypotheses: D in [2^-500, 2^500] (D = 0 gives 0 exactly), c in [2^-100, 1].
# Bound: |var' - D/c^2| <= 2.000001 * 2^-53 * D/c^2.
@rnd = float<ieee_64, ne>;
D = rnd(D_);
c = rnd(c_);
var = rnd(D / rnd(c * c));
{ D in [0x1p-500, 0x1p500] /\ c in [0x1p-100, 1]
  -> (var - D / (c * c)) / (D / (c * c)) in [-0x2.000001p-53, 0x2.000001p-53] }
