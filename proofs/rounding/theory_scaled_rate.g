# E4 quench::theory::scaled_rate: eta_B = B / batch_star * eta_star, evaluated left to right.
# Hypotheses: B, batch_star, |eta_star| in [2^-300, 2^300].
# Bound: |eta_B' - x| <= 2.000001 * 2^-53 * |x|, x = B eta_star / batch_star.
@rnd = float<ieee_64, ne>;
B = rnd(B_);
s = rnd(s_);
e = rnd(e_);
r = rnd(rnd(B / s) * e);
x = B / s * e;
{ B in [0x1p-300, 0x1p300] /\ s in [0x1p-300, 0x1p300] /\ |e| in [0x1p-300, 0x1p300]
  -> |(r - x) / x| <= 0x2.000001p-53 }
