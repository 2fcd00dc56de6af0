# E18/E20 (per-example statistic X13: rate_factor = lambda_eta / B), docs/spec.md step 4, as
# quench::detail::update_coordinate evaluates it after the warm-up:
#   m2 = m * m;  inverse = 1 / Dd;  eta = (rate_factor * m2) * inverse;  min(eta, eta_max)
# where Dd = max(D, DBL_MIN) is the divisor. The min (X9) cannot increase a relative error.
# Bound: |eta' - E| <= 4.000001 * 2^-53 * E, E = rate_factor * m^2 / Dd on the double inputs.
# Hypotheses: rate_factor in [2^-60, 2^60], |m| in [2^-250, 2^250], Dd in [2^-300, 2^300].
@rnd = float<ieee_64, ne>;
rf = rnd(rf_);
m = rnd(m_);
Dd = rnd(Dd_);
m2 = rnd(m * m);
inverse = rnd(1 / Dd);
eta = rnd(rnd(rf * m2) * inverse);
E = rf * (m * m) * (1 / Dd);
{ rf in [0x1p-60, 0x1p60] /\ |m| in [0x1p-250, 0x1p250] /\ Dd in [0x1p-300, 0x1p300]
  -> (eta - E) / E in [-0x4.000001p-53, 0x4.000001p-53] }
