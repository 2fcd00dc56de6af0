# mass_inplace (binary32): X15 c' = c + w (1 - c), in place
# model: mass
# precision: binary32
@rnd = float<ieee_32, ne>;
w = rnd(w_);
c = rnd(c_);
c1 = rnd(c + rnd(w * rnd(1 - c)));
{ w in [0x1p-20, 1] /\ c in [0, 1]
  -> |c1 - (c + w * (1 - c))| <= 33554438b-48 }
