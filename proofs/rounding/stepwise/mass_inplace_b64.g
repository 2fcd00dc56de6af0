# mass_inplace (binary64): X15 c' = c + w (1 - c), in place
# model: mass
# precision: binary64
@rnd = float<ieee_64, ne>;
w = rnd(w_);
c = rnd(c_);
c1 = rnd(c + rnd(w * rnd(1 - c)));
{ w in [0x1p-100, 1] /\ c in [0, 1]
  -> |c1 - (c + w * (1 - c))| <= 18014398509481990b-106 }
