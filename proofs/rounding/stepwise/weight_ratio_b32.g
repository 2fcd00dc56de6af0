# weight_ratio (binary32): E17 + E19 step 1, w = (B / (lambda_B B)) (gt^2 + eps) / var as wf = 1 / lambda_B; (wf * (gt * gt + eps)) / var
# model: ratio
# precision: binary32
@rnd = float<ieee_32, ne>;
lb = rnd(lb_);
gt = rnd(gt_);
var = rnd(var_);
eps = rnd(eps_);
w = rnd(rnd(rnd(1 / lb) * rnd(rnd(gt * gt) + eps)) / var);
E = (1 / lb) * (gt * gt + eps) / var;
{ lb in [0x1p-10, 0x1p10] /\ |gt| in [0x1p-20, 0x1p20] /\ var in [0x1p-30, 0x1p30] /\ eps in [0x1p-60, 0x1p10]
  -> (w - E) / E in [-83886105b-48, 83886105b-48] }
