# weight_ratio (binary64): E17 + E19 step 1, w = (B / (lambda_B B)) (gt^2 + eps) / var as wf = 1 / lambda_B; (wf * (gt * gt + eps)) / var
# model: ratio
# precision: binary64
@rnd = float<ieee_64, ne>;
lb = rnd(lb_);
gt = rnd(gt_);
var = rnd(var_);
eps = rnd(eps_);
w = rnd(rnd(rnd(1 / lb) * rnd(rnd(gt * gt) + eps)) / var);
E = (1 / lb) * (gt * gt + eps) / var;
{ lb in [0x1p-60, 0x1p60] /\ |gt| in [0x1p-250, 0x1p250] /\ var in [0x1p-300, 0x1p300] /\ eps in [0x1p-200, 0x1p100]
  -> (w - E) / E in [-45035996273704985b-106, 45035996273704985b-106] }
