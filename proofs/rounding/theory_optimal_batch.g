# E12 quench::theory::optimal_batch: B* = 16 sigma^2 / g^2, evaluated as
# (16 * (sigma * sigma)) / (g * g).
# Hypotheses: sigma, |g| in [2^-250, 2^250].
# Bound: |B*' - x| <= 3.000001 * 2^-53 * x, x = 16 sigma^2 / g^2.
@rnd = float<ieee_64, ne>;
s = rnd(s_);
g = rnd(g_);
r = rnd(rnd(16 * rnd(s * s)) / rnd(g * g));
x = 16 * (s * s) / (g * g);
{ s in [0x1p-250, 0x1p250] /\ |g| in [0x1p-250, 0x1p250] -> (r - x) / x in [-0x3.000001p-53, 0x3.000001p-53] }
