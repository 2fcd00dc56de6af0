# E28 quench::theory::vector_rate_at_batch: eta(k) = (1 - r / (||ghat|| sqrt(k))) / L, evaluated as
#   x = r / (n * sqrt(k));  y = 1 - x;  eta = y / L.
# As in E21, 1 - x cancels near k = r^2/||ghat||^2. This script certifies the term x;
# RoundingGlue.v (rate_at_batch_error) concludes
#   |eta' - (1 - X)/L| <= 5.000001 * 2^-53 * (1 + X) / L,   X = r / (n sqrt(k)).
# Hypotheses: r, n = ||ghat||, k in [2^-200, 2^200].
# Bound: |x' - X| <= 3.000001 * 2^-53 * X.
@rnd = float<ieee_64, ne>;
r = rnd(r_);
n = rnd(n_);
k = rnd(k_);
x = rnd(r / rnd(n * rnd(sqrt(k))));
X = r / (n * sqrt(k));
{ r in [0x1p-200, 0x1p200] /\ n in [0x1p-200, 0x1p200] /\ k in [0x1p-200, 0x1p200]
  -> (x - X) / X in [-0x3.000001p-53, 0x3.000001p-53] }
