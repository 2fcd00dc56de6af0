# state_storage (binary32): the recorded gt = fl32(fl64(m/c)) (float64 arithmetic, float32
# storage) against the internal m/c, relative to the record.
# model: recorded_state
# precision: binary32
@r64 = float<ieee_64, ne>;
@r32 = float<ieee_32, ne>;
m = r64(m_);
c = r64(c_);
gt = r32(r64(m / c));
{ |m| in [0x1p-30, 0x1p30] /\ c in [0x1p-20, 1]
  -> (gt - m / c) / (m / c) in [-536870913b-53, 536870913b-53] }
