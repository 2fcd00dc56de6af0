# E15, docs/spec.md step 2, second term B = w * g of the raw running mean (see step_mean_keep_term.g).
# Hypotheses: w in [2^-100, 1], |g| in [2^-250, 2^250] (g = 0 gives an exact 0 term).
# Bound: |B - w g| <= 2^-53 * |w g|.
@rnd = float<ieee_64, ne>;
w = rnd(w_);
g = rnd(g_);
B = rnd(w * g);
{ w in [0x1p-100, 1] /\ |g| in [0x1p-250, 0x1p250] -> |(B - w * g) / (w * g)| <= 0x1p-53 }
