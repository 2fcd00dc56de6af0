# mass_product (binary64): X15 as Adam's 1 - prod(1 - w): the candidate keeps p = prod(1 - w) and divides by c = 1 - p
# The oracle carries the mass the candidate divides by, c = fl(1 - p); the bound is on
# c' against the recursion (1 - w) c + w from that c.
# model: mass
# precision: binary64
@rnd = float<ieee_64, ne>;
w = rnd(w_);
p = rnd(p_);
c = rnd(1 - p);
p1 = rnd(p * rnd(1 - w));
c1 = rnd(1 - p1);
{ w in [0x1p-100, 1] /\ p in [0, 1]
  -> |c1 - (c + w * (1 - c))| <= 18014398509481990b-106 }
# Hints: the error splits into the two roundings of the candidate's recursion and the
# rounding of c = fl(1 - p) carried by the term (1 - w) (1 - p - c).
c1 - (c + w * (1 - c)) -> (c1 - (1 - p1)) + ((1 - w) * p - p1) + (1 - w) * ((1 - p) - c);
(1 - w) * p - p1 -> p * ((1 - w) - rnd(1 - w)) + (p * rnd(1 - w) - p1);
