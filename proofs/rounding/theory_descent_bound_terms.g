# E9/E10 quench::theory::descent_bound: -g D + L D^2 / 2, evaluated as
#   a = (-g) * D;  b = (L * (D * D)) / 2;  r = a + b.
# a and b have opposite signs when g D > 0 (the useful case): no relative bound. This script
# certifies each term; RoundingGlue.v (descent_bound_error) concludes
#   |r' - x| <= 4.000001 * 2^-53 * (|g D| + L D^2 / 2),   x = -g D + L D^2 / 2.
# Hypotheses: |g|, |D| in [2^-200, 2^200], L in [2^-100, 2^100].
# Bounds: |a' - a| <= 2^-53 |a|,  |b' - b| <= 3.000001 * 2^-53 * b (Gappa does not use the exactness of / 2).
@rnd = float<ieee_64, ne>;
g = rnd(g_);
D = rnd(D_);
L = rnd(L_);
a = rnd(-g * D);
b = rnd(rnd(L * rnd(D * D)) / 2);
{ |g| in [0x1p-200, 0x1p200] /\ |D| in [0x1p-200, 0x1p200] /\ L in [0x1p-100, 0x1p100]
  -> |(a - (-g * D)) / (-g * D)| <= 0x1p-53 /\ (b - L * (D * D) / 2) / (L * (D * D) / 2) in [-0x3.000001p-53, 0x3.000001p-53] }
