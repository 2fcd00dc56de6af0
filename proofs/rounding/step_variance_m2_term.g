# E16, docs/spec.md step 3: the term m2 = m * m of D = c v - m^2 (see step_variance_cv_term.g).
# The same m2 feeds eta (step_rate.g) and the weight (step_weight.g).
# Hypotheses: |m| in [2^-250, 2^250] (m = 0: exact).
# Bound: |m2 - m^2| <= 2^-53 * m^2.
@rnd = float<ieee_64, ne>;
m = rnd(m_);
m2 = rnd(m * m);
{ |m| in [0x1p-250, 0x1p250] -> |(m2 - m * m) / (m * m)| <= 0x1p-53 }
