# E20, docs/spec.md step 5: the parameter update phi' = phi - eta * ghat, as quench::detail::update_and_store
# evaluates it (no FMA: quench/no_contract.hpp):  p = eta * g;  phi' = phi - p.
# phi and eta g have any sign (cancellation): this script certifies the product term and
# RoundingGlue.v (parameter_error) adds the final subtraction (Flocq: any two doubles):
#   |phi' - (phi - eta g)| <= 2.000001 * 2^-53 * (|phi| + eta |g|).
# Hypotheses: eta in [2^-300, 2^300], |g| in [2^-250, 2^250] (eta = 0, during warm-up,
# or g = 0 give phi' = phi exactly).
# Bound: |p - eta g| <= 2^-53 * |eta g|.
@rnd = float<ieee_64, ne>;
eta = rnd(eta_);
g = rnd(g_);
p = rnd(eta * g);
{ eta in [0x1p-300, 0x1p300] /\ |g| in [0x1p-250, 0x1p250] -> |(p - eta * g) / (eta * g)| <= 0x1p-53 }
