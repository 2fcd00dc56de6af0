# mass_keep (binary64): X15 c' = (1 - w) c + w as keep = 1 - w; keep * c + w
# model: mass
# precision: binary64
@rnd = float<ieee_64, ne>;
w = rnd(w_);
c = rnd(c_);
c1 = rnd(rnd(rnd(1 - w) * c) + w);
{ w in [0x1p-100, 1] /\ c in [0, 1]
  -> |c1 - ((1 - w) * c + w)| <= 18014398509481990b-106 }
