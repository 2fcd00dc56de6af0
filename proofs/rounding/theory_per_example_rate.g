# E3 quench::theory::per_example_rate: eta_1 = eta_star / batch_star (one division).
# Hypotheses: |eta_star|, batch_star in [2^-500, 2^500].
# Bound: |eta_1' - eta_star/batch_star| <= 2^-53 * |eta_star/batch_star|.
@rnd = float<ieee_64, ne>;
a = rnd(a_);
b = rnd(b_);
q = rnd(a / b);
{ |a| in [0x1p-500, 0x1p500] /\ b in [0x1p-500, 0x1p500] -> |(q - a / b) / (a / b)| <= 0x1p-53 }
