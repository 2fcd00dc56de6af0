# batch_star_ratio (binary64): E17 Bstar = lambda_B B var / (gt^2 + eps) as ((lambda_B * B) * var) / (gt * gt + eps)
# model: ratio
# precision: binary64
@rnd = float<ieee_64, ne>;
lb = rnd(lb_);
B = rnd(B_);
gt = rnd(gt_);
var = rnd(var_);
eps = rnd(eps_);
Bs = rnd(rnd(rnd(lb * B) * var) / rnd(rnd(gt * gt) + eps));
E = lb * B * var / (gt * gt + eps);
{ lb in [0x1p-60, 0x1p60] /\ B in [0x1p-60, 0x1p60] /\ |gt| in [0x1p-250, 0x1p250] /\ var in [0x1p-300, 0x1p300] /\ eps in [0x1p-200, 0x1p100]
  -> (Bs - E) / E in [-45035996273704985b-106, 45035996273704985b-106] }
