# weight_core (binary32): E17 + E19 step 1 as the core evaluates it (step_weight.g): (wf * (m * m + eps * (c * c))) * (1 / D)
# Six roundings on a path: proved within gamma_6, which is why the model's count for
# Bstar, eta and w (ratio) is 6, not the 5 that the candidates' simpler orders need.
# model: ratio
# precision: binary32
@rnd = float<ieee_32, ne>;
wf = rnd(wf_);
m = rnd(m_);
c = rnd(c_);
eps = rnd(eps_);
D = rnd(D_);
w = rnd(rnd(wf * rnd(rnd(m * m) + rnd(eps * rnd(c * c)))) * rnd(1 / D));
E = wf * (m * m + eps * (c * c)) * (1 / D);
{ wf in [0x1p-10, 0x1p10] /\ |m| in [0x1p-20, 0x1p20] /\ c in [0x1p-20, 1] /\ eps in [0x1p-60, 0x1p10] /\ D in [0x1p-30, 0x1p30]
  -> (w - E) / E in [-100663332b-48, 100663332b-48] }
