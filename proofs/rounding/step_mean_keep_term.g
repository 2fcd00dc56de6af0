# E15, docs/spec.md step 2, first term of the raw running mean m' = (1 - w) m + w ghat, as
# quench::detail::update_coordinate evaluates it (no FMA: quench/no_contract.hpp):
#   keep = 1 - w;  A = keep * m;  B = w * g;  m' = A + B.
# m and g have any sign, so A + B can cancel and m' has no relative bound. This script and
# step_mean_new_term.g certify each term's relative error; RoundingGlue.v (mean_error) adds
# the rounding of the final sum (Flocq: any two doubles) and concludes
#   |m' - M| <= 3.000002 * 2^-53 * ((1 - w) |m| + w |g|),   M = (1 - w) m + w g.
# Hypotheses: w in [2^-100, 1 - 2^-53] (w = 1 gives keep = 0 and an exact 0 term),
# |m| in [2^-250, 2^250] (m = 0 gives an exact 0 term).
# Bound: |A - (1 - w) m| <= 2.000001 * 2^-53 * |(1 - w) m|.
@rnd = float<ieee_64, ne>;
w = rnd(w_);
m = rnd(m_);
keep = rnd(1 - w);
A = rnd(keep * m);
{ w in [0x1p-100, 0x1.fffffffffffffp-1] /\ |m| in [0x1p-250, 0x1p250]
  -> |(A - (1 - w) * m) / ((1 - w) * m)| <= 0x2.000001p-53 }
