"""A STAND-IN for quench.torch.QuenchSGD, used only by the study's pipeline test while the
real package is not installed: it lets the test drive the study's quenching SGD path (the
adapter's argument mapping, the eta / B* diagnostics, the tempering argument, the report's
plots). It is not the project's implementation and no result of the study may come from it
(the study records the optimizer's module in every run).

A plain tensor version of the core's default algorithm (quench/quench_sgd.hpp: per-example
statistic X13, bias correction X15, weight clamp X8, max_weight 1/2 X14, eta cap X9), and the
tempering options of examples/fashion_mnist/README.md: min_weight (w = max(w, min_weight))
and eta_min (eta = max(eta, eta_min) after warm-up).
"""

from __future__ import annotations

import torch


class QuenchSGD(torch.optim.Optimizer):
    def __init__(self, params, batch_size, warmup, lambda_batch, lambda_rate, eta_max,
                 epsilon=1e-12, max_weight=0.5, min_weight=None, eta_min=None):
        defaults = dict(batch_size=batch_size, warmup=warmup, lambda_batch=lambda_batch,
                        lambda_rate=lambda_rate, eta_max=eta_max, epsilon=epsilon,
                        max_weight=max_weight, min_weight=min_weight, eta_min=eta_min)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            B, K = group["batch_size"], group["warmup"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                st = self.state[p]
                if not st:
                    st["t"] = 0
                    st["mean"] = torch.zeros_like(p)
                    st["second"] = torch.zeros_like(p)
                    st["mass"] = torch.zeros_like(p)
                    st["weight"] = torch.full_like(p, min(B / K, 1.0, group["max_weight"]))
                st["t"] += 1
                w = st["weight"]
                st["mean"].mul_(1 - w).add_(w * g)
                st["second"].mul_(1 - w).add_(w * g * g)
                st["mass"].mul_(1 - w).add_(w)
                gt = st["mean"] / st["mass"]
                var = (st["second"] / st["mass"] - gt * gt).clamp_min(torch.finfo(p.dtype).tiny)
                if st["t"] <= K:
                    eta = torch.zeros_like(p)
                    bstar = torch.full_like(p, float(K))
                else:
                    eta = (group["lambda_rate"] / B * gt * gt / var).clamp_max(group["eta_max"])
                    if group["eta_min"] is not None:
                        eta = eta.clamp_min(group["eta_min"])
                    bstar = group["lambda_batch"] * B * var / (gt * gt + group["epsilon"])
                p.sub_(eta * g)
                new_w = (B / bstar).clamp_max(1.0).clamp_max(group["max_weight"])
                if group["min_weight"] is not None:
                    new_w = new_w.clamp_min(group["min_weight"])
                st["weight"] = new_w
                st["eta"], st["batch_star"] = eta, bstar
        return None
