# E29 quench::theory::optimal_k: k* = (2 r / ||ghat||)^2, evaluated as q = (2 * r) / n; q * q.
# Hypotheses: r, n = ||ghat|| in [2^-250, 2^250].
# Bound: |k*' - x| <= 3.000001 * 2^-53 * x, x = (2 r / n)^2.
@rnd = float<ieee_64, ne>;
r = rnd(r_);
n = rnd(n_);
q = rnd(rnd(2 * r) / n);
k = rnd(q * q);
x = (2 * r / n) * (2 * r / n);
{ r in [0x1p-250, 0x1p250] /\ n in [0x1p-250, 0x1p250] -> (k - x) / x in [-0x3.000001p-53, 0x3.000001p-53] }
