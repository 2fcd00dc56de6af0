# rate_storage (binary64): a float64 candidate records the rate it computed: the record is
# the internal value (the model still allows one rounding, gamma_1).
# model: recorded_rate
# precision: binary64
# relative to: exact value; the model is relative to the record
@rnd = float<ieee_64, ne>;
eta = rnd(eta_);
r = rnd(eta);
{ eta in [0x1p-1000, 0x1p1000]
  -> r - eta in [0, 0] }
