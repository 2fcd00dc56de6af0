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
    # the package's argument names (K, lambda_eta, lambda_B, eps, diagnostics), so that the
    # test goes through the adapter's aliases
    def __init__(self, params, *, batch_size, K, lambda_eta, eta_max, lambda_B=16.0, eps=1e-12,
                 max_weight=0.5, diagnostics=False, min_weight=None, eta_min=None):
        defaults = dict(batch_size=batch_size, warmup=K, lambda_batch=lambda_B, lambda_rate=lambda_eta,
                        eta_max=eta_max, epsilon=eps, max_weight=max_weight, diagnostics=diagnostics,
                        min_weight=min_weight, eta_min=eta_min)
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
                if group["diagnostics"]:
                    st["eta"], st["Bstar"] = eta, bstar
        return None
