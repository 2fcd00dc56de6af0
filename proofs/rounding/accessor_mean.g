# E15/X15: gt = m / c and st = v / c, as quench::running_mean and
# quench::running_second_moment evaluate them with bias correction (one division each).
# Hypotheses: |x| in [2^-500, 2^500] (x = m or v; 0 is exact), c in [2^-100, 1].
# Bound: |x' - x/c| <= 2^-53 * |x/c|.
@rnd = float<ieee_64, ne>;
x = rnd(x_);
c = rnd(c_);
q = rnd(x / c);
{ |x| in [0x1p-500, 0x1p500] /\ c in [0x1p-100, 1] -> |(q - x / c) / (x / c)| <= 0x1p-53 }
