# rate_ratio (binary64): E18 eta = (lambda_eta / B) gt^2 / var as rf = lambda_eta / B; (rf * (gt * gt)) / var
# model: ratio
# precision: binary64
@rnd = float<ieee_64, ne>;
le = rnd(le_);
B = rnd(B_);
gt = rnd(gt_);
var = rnd(var_);
eta = rnd(rnd(rnd(le / B) * rnd(gt * gt)) / var);
E = le / B * (gt * gt) / var;
{ le in [0x1p-60, 0x1p60] /\ B in [0x1p-60, 0x1p60] /\ |gt| in [0x1p-250, 0x1p250] /\ var in [0x1p-300, 0x1p300]
  -> (eta - E) / E in [-45035996273704985b-106, 45035996273704985b-106] }
