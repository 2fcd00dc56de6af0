# X10 quench::theory::lambda_eta_from_smoothness: B / (32 L) (32 L exact in this range).
# Hypotheses: B, L in [2^-400, 2^400].
# Bound: |r' - x| <= 2^-53 * x, x = B / (32 L).
@rnd = float<ieee_64, ne>;
B = rnd(B_);
L = rnd(L_);
r = rnd(B / rnd(32 * L));
x = B / (32 * L);
{ B in [0x1p-400, 0x1p400] /\ L in [0x1p-400, 0x1p400] -> (r - x) / x in [-0x1p-53, 0x1p-53] }
