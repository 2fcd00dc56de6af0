# state_division (binary32): the recorded gt = fl(m/c) against the internal m/c, relative to the record
# model: recorded_state
# precision: binary32
# relative to: exact value; the model is relative to the record
@rnd = float<ieee_32, ne>;
m = rnd(m_);
c = rnd(c_);
gt = rnd(m / c);
{ |m| in [0x1p-20, 0x1p20] /\ c in [0x1p-20, 1]
  -> (gt - m / c) / (m / c) in [-16777217b-48, 16777217b-48] }
