# rate_scaled (binary64): E18 eta as the core evaluates it on m, D = c v - m^2: rf = lambda_eta / B; (rf * (m * m)) * (1 / D)
# model: ratio
# precision: binary64
@rnd = float<ieee_64, ne>;
le = rnd(le_);
B = rnd(B_);
m = rnd(m_);
D = rnd(D_);
eta = rnd(rnd(rnd(le / B) * rnd(m * m)) * rnd(1 / D));
E = le / B * (m * m) * (1 / D);
{ le in [0x1p-60, 0x1p60] /\ B in [0x1p-60, 0x1p60] /\ |m| in [0x1p-250, 0x1p250] /\ D in [0x1p-300, 0x1p300]
  -> (eta - E) / E in [-45035996273704985b-106, 45035996273704985b-106] }
