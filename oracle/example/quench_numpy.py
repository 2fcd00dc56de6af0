#!/usr/bin/env python3
"""The README's worked example: quenching SGD written directly in NumPy (float64), on a
noisy 4-dimensional quadratic, dumping what quench-oracle needs with numpy.save.

  python3 quench_numpy.py OUTDIR [--wrong]   writes OUTDIR/trace.jsonl, grads.npy and
                                             gt.npy, st.npy, eta.npy, phi.npy
  quench-oracle compare OUTDIR/trace.jsonl \
      --candidate-npy gt=OUTDIR/gt.npy,st=OUTDIR/st.npy,eta=OUTDIR/eta.npy,phi=OUTDIR/phi.npy

The update is docs/spec.md steps 1-6 with the default options (X8 clamp, X14 max_weight 1/2,
X11 variance clamp, X15 bias correction, X13 per-example statistic) and eta_max = 1/(2L).
It is written the obvious way (gt, st kept bias-corrected), not in the core's expression
order, so its rounding errors differ from the core's: the stepwise verdict allows for that.
--wrong forms the rate from the averages *before* they absorb the step's gradient, a
plausible slip that the oracle catches at the first step after warm-up.
"""
import json
import os
import sys

import numpy as np

args = [a for a in sys.argv[1:] if a != "--wrong"]
wrong = "--wrong" in sys.argv[1:]
out = args[0] if args else "."
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(2017)
d, T, B, K, L = 4, 300, 8, 10, 2.0
H = np.diag([2.0, 1.0, 0.5, 0.1])                # loss = phi^T H phi / 2: smoothness L = 2
lam_b, lam_e, eps, eta_max, w_max = 16.0, B / (32 * L), 1e-12, 1 / (2 * L), 0.5

phi = np.array([1.0, -2.0, 3.0, 0.5])
header = {"format": "quench-trace", "version": 1,
          "hyperparameters": {"batch_size": B, "warmup": K, "lambda_rate": lam_e},
          "options": {"eta_max": eta_max}, "phi0": phi.tolist(), "gradients": "grads.npy"}

m = np.zeros(d); v = np.zeros(d); c = np.zeros(d)  # raw averages and their mass (X15)
w = np.full(d, min(B / K, 1.0, w_max))            # weight of the next gradient: B/Bstar, Bstar = K
grads, phis, etas, gts, sts = [], [], [], [], []
gt_old, var_old = np.zeros(d), np.zeros(d)
for t in range(1, T + 1):
    g = H @ phi + rng.standard_normal(d) / np.sqrt(B)   # a minibatch gradient
    c = (1 - w) * c + w
    m = (1 - w) * m + w * g
    v = (1 - w) * v + w * g * g
    gt, st = m / c, v / c
    var = np.maximum(st - gt * gt, 0.0)                  # X11
    if t <= K:
        eta = np.zeros(d); w = np.full(d, min(B / K, 1.0, w_max))
    else:
        with np.errstate(divide="ignore"):
            eta = np.minimum(lam_e * gt * gt / (B * var), eta_max)     # E18/E20, X13, X9
            if wrong:                                                  # the slip: old averages
                eta = np.minimum(lam_e * gt_old * gt_old / (B * var_old), eta_max)
            bstar = lam_b * B * var / (gt * gt + eps)                  # E17
            w = np.minimum(np.minimum(B / bstar, 1.0), w_max)          # X8, X14
    phi = phi - eta * g
    gt_old, var_old = gt, var
    grads.append(g); phis.append(phi); etas.append(eta); gts.append(gt); sts.append(st)

np.save(os.path.join(out, "grads.npy"), np.array(grads))
np.save(os.path.join(out, "phi.npy"), np.array(phis))
np.save(os.path.join(out, "eta.npy"), np.array(etas))
np.save(os.path.join(out, "gt.npy"), np.array(gts))
np.save(os.path.join(out, "st.npy"), np.array(sts))
with open(os.path.join(out, "trace.jsonl"), "w") as f:
    f.write(json.dumps(header) + "\n")
print(f"wrote {out}/trace.jsonl, grads.npy, gt.npy, st.npy, eta.npy, phi.npy ({T} steps, d = {d})")
