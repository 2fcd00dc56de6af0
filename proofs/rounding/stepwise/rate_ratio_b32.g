# rate_ratio (binary32): E18 eta = (lambda_eta / B) gt^2 / var as rf = lambda_eta / B; (rf * (gt * gt)) / var
# model: ratio
# precision: binary32
@rnd = float<ieee_32, ne>;
le = rnd(le_);
B = rnd(B_);
gt = rnd(gt_);
var = rnd(var_);
eta = rnd(rnd(rnd(le / B) * rnd(gt * gt)) / var);
E = le / B * (gt * gt) / var;
{ le in [0x1p-10, 0x1p10] /\ B in [0x1p-10, 0x1p10] /\ |gt| in [0x1p-20, 0x1p20] /\ var in [0x1p-30, 0x1p30]
  -> (eta - E) / E in [-83886105b-48, 83886105b-48] }
