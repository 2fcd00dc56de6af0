# E17: the reported Bstar = lambda_B s var / (gt^2 + eps) = batch_factor * D / (m^2 + eps c^2),
# as quench::detail::reported_batch_star (and quench::batch_star) evaluate it:
#   m2 = m * m;  c2 = c * c;  Bstar = (batch_factor * D) / (m2 + eps * c2).
# Here D is the double D' computed by the step (its own error: step_variance_*).
# Bound: |Bstar' - S| <= 5.000001 * 2^-53 * S, S = batch_factor D / (m^2 + eps c^2).
# Hypotheses: batch_factor in [2^-60, 2^60], D in [2^-300, 2^300] (D = 0 gives 0 exactly),
# |m| in [2^-250, 2^250], c in [2^-100, 1] (c = 1 without bias correction),
# eps in [2^-200, 2^100].
@rnd = float<ieee_64, ne>;
bf = rnd(bf_);
D = rnd(D_);
m = rnd(m_);
c = rnd(c_);
eps = rnd(eps_);
m2 = rnd(m * m);
c2 = rnd(c * c);
bs = rnd(rnd(bf * D) / rnd(m2 + rnd(eps * c2)));
S = (bf * D) / (m * m + eps * (c * c));
{ bf in [0x1p-60, 0x1p60] /\ D in [0x1p-300, 0x1p300] /\ |m| in [0x1p-250, 0x1p250]
  /\ c in [0x1p-100, 1] /\ eps in [0x1p-200, 0x1p100]
  -> (bs - S) / S in [-0x5.000001p-53, 0x5.000001p-53] }
