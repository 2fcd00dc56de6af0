# X15 bias correction, docs/spec.md step 2: the mass of the zero-initialised averages,
#   c' = (1 - w) c + w,
# as quench::detail::update_coordinate evaluates it in double (no FMA: quench/no_contract.hpp):
#   keep = 1 - w;  c' = keep * c + w.
# Hypotheses: w in [2^-100, 1], c in [2^-100, 1] (c = 0, the first step, gives c' = w exactly).
# Bound: |c' - C| <= 3.000001 * 2^-53 * C, C = (1 - w) c + w the exact value on the same
# double inputs (no underflow can occur in these ranges).
@rnd = float<ieee_64, ne>;
w = rnd(w_);
c = rnd(c_);
keep = rnd(1 - w);
cn rnd= keep * c + w;
Cx = (1 - w) * c + w;
{ w in [0x1p-100, 1] /\ c in [0x1p-100, 1]
  -> (cn - Cx) / Cx in [-0x3.000001p-53, 0x3.000001p-53] }
