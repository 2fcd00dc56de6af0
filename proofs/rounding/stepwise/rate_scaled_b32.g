# rate_scaled (binary32): E18 eta as the core evaluates it on m, D = c v - m^2: rf = lambda_eta / B; (rf * (m * m)) * (1 / D)
# model: ratio
# precision: binary32
@rnd = float<ieee_32, ne>;
le = rnd(le_);
B = rnd(B_);
m = rnd(m_);
D = rnd(D_);
eta = rnd(rnd(rnd(le / B) * rnd(m * m)) * rnd(1 / D));
E = le / B * (m * m) * (1 / D);
{ le in [0x1p-10, 0x1p10] /\ B in [0x1p-10, 0x1p10] /\ |m| in [0x1p-20, 0x1p20] /\ D in [0x1p-30, 0x1p30]
  -> (eta - E) / E in [-83886105b-48, 83886105b-48] }
