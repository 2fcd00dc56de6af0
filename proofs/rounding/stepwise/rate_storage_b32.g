# rate_storage (binary32): the recorded eta = fl32(eta64) of a float64 rate, against it,
# relative to the record (float64 candidates store what they computed: exact).
# model: recorded_rate
# precision: binary32
@r64 = float<ieee_64, ne>;
@r32 = float<ieee_32, ne>;
eta = r64(eta_);
r = r32(eta);
{ eta in [0x1p-100, 0x1p100]
  -> (r - eta) / eta in [-0x1p-24, 0x1p-24] }
