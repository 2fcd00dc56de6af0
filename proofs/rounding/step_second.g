# E16, docs/spec.md step 2: the raw second moment v' = (1 - w) v + w ghat^2, as
# quench::detail::update_coordinate evaluates it in double (no FMA: quench/no_contract.hpp):
#   keep = 1 - w;  v' = keep * v + w * (g * g).
# Hypotheses: w in [2^-100, 1], v in [2^-500, 2^500], |g| in [2^-250, 2^250]
# (v = 0 or g = 0 make a term exactly 0; the bound then follows from the other term's).
# Bound: |v' - V| <= 3.000001 * 2^-53 * V, V = (1 - w) v + w g^2 (all terms >= 0: relative).
@rnd = float<ieee_64, ne>;
w = rnd(w_);
v = rnd(v_);
g = rnd(g_);
keep = rnd(1 - w);
vn rnd= keep * v + w * rnd(g * g);
Vx = (1 - w) * v + w * (g * g);
{ w in [0x1p-100, 1] /\ v in [0x1p-500, 0x1p500] /\ |g| in [0x1p-250, 0x1p250]
  -> (vn - Vx) / Vx in [-0x3.000001p-53, 0x3.000001p-53] }
