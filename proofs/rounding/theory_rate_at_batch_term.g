# E21 quench::theory::rate_at_batch: eta*(B) = (1 - 2 sigma / (|ghat| sqrt(B))) / L, evaluated as
#   x = (2 * sigma) / (|ghat| * sqrt(B));  y = 1 - x;  r = y / L.
# 1 - x cancels near B = 4 sigma^2/ghat^2 (X4, where eta*(B) = 0): no relative bound there.
# This script certifies the term x; RoundingGlue.v (rate_at_batch_error) concludes
#   |r' - (1 - X)/L| <= 5.000001 * 2^-53 * (1 + X) / L,   X = 2 sigma / (|ghat| sqrt(B)).
# Hypotheses: sigma, |ghat|, B in [2^-200, 2^200].
# Bound: |x' - X| <= 3.000001 * 2^-53 * X.
@rnd = float<ieee_64, ne>;
s = rnd(s_);
g = rnd(g_);
B = rnd(B_);
x = rnd(rnd(2 * s) / rnd(|g| * rnd(sqrt(B))));
X = 2 * s / (|g| * sqrt(B));
{ s in [0x1p-200, 0x1p200] /\ |g| in [0x1p-200, 0x1p200] /\ B in [0x1p-200, 0x1p200]
  -> (x - X) / X in [-0x3.000001p-53, 0x3.000001p-53] }
