# E5 quench::theory::gradient_confidence_radius: 2 sigma / sqrt(B) (std::sqrt is correctly
# rounded in IEEE 754; 2 * sigma is exact in this range).
# Hypotheses: sigma, B in [2^-400, 2^400].
# Bound: |r' - x| <= 2.000001 * 2^-53 * x, x = 2 sigma / sqrt(B).
@rnd = float<ieee_64, ne>;
s = rnd(s_);
B = rnd(B_);
r = rnd(rnd(2 * s) / rnd(sqrt(B)));
x = 2 * s / sqrt(B);
{ s in [0x1p-400, 0x1p400] /\ B in [0x1p-400, 0x1p400] -> (r - x) / x in [-0x2.000001p-53, 0x2.000001p-53] }
