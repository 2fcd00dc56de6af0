# E12 quench::theory::optimal_rate: eta* = 1 / (2 L) (2 L is exact in this range).
# Hypotheses: L in [2^-500, 2^500].
# Bound: |eta*' - 1/(2L)| <= 2^-53 / (2L).
@rnd = float<ieee_64, ne>;
L = rnd(L_);
r = rnd(1 / rnd(2 * L));
x = 1 / (2 * L);
{ L in [0x1p-500, 0x1p500] -> (r - x) / x in [-0x1p-53, 0x1p-53] }
