# X4 quench::theory::vacuous_batch_threshold: 4 sigma^2 / ghat^2, evaluated as
# (4 * (sigma * sigma)) / (ghat * ghat). The same bound holds for E12 optimal_batch
# (16 instead of 4: multiplying by a power of two is exact in this range), see theory_optimal_batch.g.
# Hypotheses: sigma, |ghat| in [2^-250, 2^250].
# Bound: |r' - x| <= 3.000001 * 2^-53 * x, x = 4 sigma^2 / ghat^2.
@rnd = float<ieee_64, ne>;
s = rnd(s_);
g = rnd(g_);
r = rnd(rnd(4 * rnd(s * s)) / rnd(g * g));
x = 4 * (s * s) / (g * g);
{ s in [0x1p-250, 0x1p250] /\ |g| in [0x1p-250, 0x1p250] -> (r - x) / x in [-0x3.000001p-53, 0x3.000001p-53] }
