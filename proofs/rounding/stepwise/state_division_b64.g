# state_division (binary64): the recorded gt = fl(m/c) against the internal m/c, relative to the record
# model: recorded_state
# precision: binary64
# relative to: exact value; the model is relative to the record
@rnd = float<ieee_64, ne>;
m = rnd(m_);
c = rnd(c_);
gt = rnd(m / c);
{ |m| in [0x1p-250, 0x1p250] /\ c in [0x1p-100, 1]
  -> (gt - m / c) / (m / c) in [-9007199254740993b-106, 9007199254740993b-106] }
