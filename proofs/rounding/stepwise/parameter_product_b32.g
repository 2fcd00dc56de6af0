# parameter_product (binary32): E20 the term eta g of phi' = phi - eta g, with eta read as recorded
# model: parameter
# precision: binary32
@rnd = float<ieee_32, ne>;
eta = rnd(eta_);
g = rnd(g_);
p = rnd(eta * g);
{ eta in [0x1p-30, 0x1p30] /\ |g| in [0x1p-20, 0x1p20]
  -> (p - eta * g) / (eta * g) in [-16777217b-48, 16777217b-48] }
