# batch_star_ratio (binary32): E17 Bstar = lambda_B B var / (gt^2 + eps) as ((lambda_B * B) * var) / (gt * gt + eps)
# model: ratio
# precision: binary32
@rnd = float<ieee_32, ne>;
lb = rnd(lb_);
B = rnd(B_);
gt = rnd(gt_);
var = rnd(var_);
eps = rnd(eps_);
Bs = rnd(rnd(rnd(lb * B) * var) / rnd(rnd(gt * gt) + eps));
E = lb * B * var / (gt * gt + eps);
{ lb in [0x1p-10, 0x1p10] /\ B in [0x1p-10, 0x1p10] /\ |gt| in [0x1p-20, 0x1p20] /\ var in [0x1p-30, 0x1p30] /\ eps in [0x1p-60, 0x1p10]
  -> (Bs - E) / E in [-83886105b-48, 83886105b-48] }
