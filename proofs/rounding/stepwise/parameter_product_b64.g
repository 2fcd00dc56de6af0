# parameter_product (binary64): E20 the term eta g of phi' = phi - eta g, with eta read as recorded
# model: parameter
# precision: binary64
@rnd = float<ieee_64, ne>;
eta = rnd(eta_);
g = rnd(g_);
p = rnd(eta * g);
{ eta in [0x1p-300, 0x1p300] /\ |g| in [0x1p-250, 0x1p250]
  -> (p - eta * g) / (eta * g) in [-9007199254740993b-106, 9007199254740993b-106] }
