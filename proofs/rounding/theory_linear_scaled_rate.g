# E13 quench::theory::linear_scaled_rate: B g^2 / (32 sigma^2 L), evaluated as
# (B * (g * g)) / ((32 * (sigma * sigma)) * L). capped_scaled_rate (E13 + X9) is
# min(this, optimal_rate): a min of two values with relative errors <= 5.000001 * 2^-53
# and <= 2^-53 has relative error <= 5.000001 * 2^-53 (RoundingGlue.v, min_error).
# Hypotheses: B, L in [2^-100, 2^100], |g|, sigma in [2^-200, 2^200].
# Bound: |r' - x| <= 5.000001 * 2^-53 * x, x = B g^2 / (32 sigma^2 L).
@rnd = float<ieee_64, ne>;
B = rnd(B_);
g = rnd(g_);
s = rnd(s_);
L = rnd(L_);
r = rnd(rnd(B * rnd(g * g)) / rnd(rnd(32 * rnd(s * s)) * L));
x = (B * (g * g)) / ((32 * (s * s)) * L);
{ B in [0x1p-100, 0x1p100] /\ |g| in [0x1p-200, 0x1p200] /\ s in [0x1p-200, 0x1p200] /\ L in [0x1p-100, 0x1p100]
  -> (r - x) / x in [-0x5.000001p-53, 0x5.000001p-53] }
