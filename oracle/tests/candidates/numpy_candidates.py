#!/usr/bin/env python3
"""A suite of quenching-SGD implementations written in NumPy from the algorithm's description
(oracle/README.md, the trajectory table), not from the core, as an outside user would: some
correct in different expression orders and precisions, some subtly wrong. The oracle's
stepwise verdict must accept every correct one and reject every wrong one at the step where
it first goes wrong (run_suite.sh checks both, with no tolerance passed).

  numpy_candidates.py OUTDIR STEPS [--trace-only]

writes OUTDIR/trace.jsonl + grads.npy (a noisy quadratic in coordinates 0-2, a constant
gradient with exactly zero variance in coordinate 3), OUTDIR/constants.txt (the same
constants for cpp_candidates), one directory per candidate with gt/st/var/Bstar/eta/phi.npy
(not with --trace-only), and OUTDIR/manifest.tsv: name, expected verdict, and for a wrong
one the first wrong step and quantity (from the nature of the bug; see WRONG below).
"""
import json
import os
import sys

import numpy as np

B, K, L = 8, 10, 2.0
LAM_B, LAM_E, EPS, ETA_MAX, W_MAX = 16.0, B / (32 * L), 1e-4, 1 / (2 * L), 0.5
D = 4
PHI0 = [3.0, -2.0, 1.0, 0.5]
HESSIAN = np.array([2.0, 1.0, 0.5])


class Obvious:
    """Raw averages m, v and their mass c (bias correction), gt = m/c: the obvious form."""
    F = np.float64

    def __init__(self):
        F = self.F
        self.B, self.lb, self.le = F(B), F(self.lambda_b()), F(self.lambda_e())
        self.eps, self.eta_max, self.w_max = F(EPS), F(ETA_MAX), F(W_MAX)
        self.one = F(1)
        self.m = np.zeros(D, F)
        self.v = np.zeros(D, F)
        self.c = np.zeros(D, F)
        self.w = np.full(D, self.warm_weight(), F)
        self.phi = np.array(PHI0, F)
        self.eta_prev = np.zeros(D, F)

    def lambda_b(self):
        return LAM_B

    def lambda_e(self):
        return LAM_E

    def warm_weight(self):
        return min(self.B / self.F(K), self.one, self.w_max)

    def is_warm(self, t):
        return t <= K

    def limit(self, w):
        return np.minimum(np.minimum(w, self.one), self.w_max)

    def absorb(self, g):
        w, one = self.w, self.one
        self.c = (one - w) * self.c + w
        self.m = (one - w) * self.m + w * g
        self.v = (one - w) * self.v + w * g * g
        return self.m / self.c, self.v / self.c

    def rate_and_window(self, gt, st, var):
        with np.errstate(divide="ignore", invalid="ignore"):
            eta = np.minimum(self.le * gt * gt / (self.B * var), self.eta_max)
            bstar = self.lb * self.B * var / (gt * gt + self.eps)
            w = self.limit(self.B / bstar)
        return eta, bstar, w

    def step(self, t, g):
        g = g.astype(self.F)
        gt, st = self.absorb(g)
        var = np.maximum(st - gt * gt, self.F(0))
        if self.is_warm(t):
            eta = np.zeros(D, self.F)
            bstar = np.full(D, self.F(K))
            self.w = np.full(D, self.warm_weight(), self.F)
        else:
            eta, bstar, self.w = self.rate_and_window(gt, st, var)
        self.phi = self.phi - self.phi_rate(eta) * g
        self.eta_prev = eta
        return dict(gt=gt, st=st, var=var, Bstar=bstar, eta=eta, phi=self.phi)

    def phi_rate(self, eta):
        return eta


class Obvious32(Obvious):
    """The obvious form, everything in float32."""
    F = np.float32


class InPlace(Obvious):
    """gt, st kept bias-corrected, updated in place: gt += (w/c)(g - gt)."""

    def absorb(self, g):
        self.c = self.c + self.w * (self.one - self.c)
        rho = self.w / self.c
        self.m += rho * (g - self.m)  # m holds gt here
        self.v += rho * (g * g - self.v)
        return self.m.copy(), self.v.copy()


class InPlace32(InPlace):
    F = np.float32


class Welford(Obvious):
    """gt and the variance S kept (Welford's recurrence S' = (1-rho)(S + rho (g-gt)^2)); st = S + gt^2."""

    def __init__(self):
        super().__init__()
        self.S = np.zeros(D, self.F)

    def absorb(self, g):
        self.c = self.c + self.w * (self.one - self.c)
        rho = self.w / self.c
        delta = g - self.m
        self.m = self.m + rho * delta
        self.S = (self.one - rho) * (self.S + rho * delta * delta)
        return self.m.copy(), self.S + self.m * self.m

    def step(self, t, g):
        g = g.astype(self.F)
        gt, st = self.absorb(g)
        var = self.S.copy()
        if self.is_warm(t):
            eta, bstar = np.zeros(D, self.F), np.full(D, self.F(K))
            self.w = np.full(D, self.warm_weight(), self.F)
        else:
            eta, bstar, self.w = self.rate_and_window(gt, st, var)
        self.phi = self.phi - eta * g
        return dict(gt=gt, st=st, var=var, Bstar=bstar, eta=eta, phi=self.phi)


class Storage32(Obvious):
    """float32 state, float64 arithmetic (loaded, computed, stored back)."""
    F = np.float32

    def step(self, t, g):
        s = self
        m, v, c, w, phi = (x.astype(np.float64) for x in (s.m, s.v, s.c, s.w, s.phi))
        g64 = g.astype(np.float32).astype(np.float64)
        c = (1 - w) * c + w
        m = (1 - w) * m + w * g64
        v = (1 - w) * v + w * g64 * g64
        gt, st = m / c, v / c
        var = np.maximum(st - gt * gt, 0.0)
        if t <= K:
            eta, bstar, w = np.zeros(D), np.full(D, float(K)), np.full(D, min(B / K, 1.0, W_MAX))
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                eta = np.minimum(LAM_E * gt * gt / (B * var), ETA_MAX)
                bstar = LAM_B * B * var / (gt * gt + EPS)
                w = np.minimum(np.minimum(B / bstar, 1.0), W_MAX)
        phi = phi - eta * g64
        f = np.float32
        s.m, s.v, s.c, s.w, s.phi = m.astype(f), v.astype(f), c.astype(f), w.astype(f), phi.astype(f)
        return dict(gt=gt.astype(f), st=st.astype(f), var=var.astype(f), Bstar=bstar.astype(f),
                    eta=eta.astype(f), phi=s.phi)


class ProductMass(Obvious):
    """The mass as Adam writes it: c = 1 - p with p = prod(1 - w)."""

    def __init__(self):
        super().__init__()
        self.p = np.ones(D, self.F)

    def absorb(self, g):
        w, one = self.w, self.one
        self.p = self.p * (one - w)
        self.c = one - self.p
        self.m = self.m + w * (g - self.m)
        self.v = self.v + w * (g * g - self.v)
        return self.m / self.c, self.v / self.c


class ScaledVariance(Obvious):
    """The rate and window from D = c v - m^2 without forming gt, st first (one division)."""

    def step(self, t, g):
        g = g.astype(self.F)
        self.absorb(g)
        m, v, c = self.m, self.v, self.c
        Dv = np.maximum(c * v - m * m, 0.0)
        gt, st = m / c, v / c
        var = Dv / (c * c)
        if t <= K:
            eta, bstar, self.w = np.zeros(D), np.full(D, float(K)), np.full(D, self.warm_weight())
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                inv = 1.0 / Dv
                eta = np.minimum((self.le / self.B) * m * m * inv, self.eta_max)
                scale = m * m + self.eps * c * c
                bstar = self.lb * self.B * Dv / scale
                self.w = self.limit((1.0 / self.lb) * scale * inv)
        self.phi = self.phi - eta * g
        return dict(gt=gt, st=st, var=var, Bstar=bstar, eta=eta, phi=self.phi)


# ---- wrong ones: (class, first wrong step, quantity seen first) --------------------------

class WarmupOffByOne(Obvious):
    def is_warm(self, t):
        return t < K


class WrongLambdaB(Obvious):
    def lambda_b(self):
        return 15.0


class WrongLambdaEta(Obvious):
    def lambda_e(self):
        return LAM_E * 15 / 16


class NoBiasCorrection(Obvious):
    def absorb(self, g):
        super().absorb(g)
        return self.m.copy(), self.v.copy()


class HalfBiasCorrection(Obvious):
    def absorb(self, g):
        gt, _ = super().absorb(g)
        return gt, self.v.copy()


class NoMaxWeight(Obvious):
    def limit(self, w):
        return np.minimum(w, self.one)


class UnlimitedWarmupWeight(Obvious):
    def warm_weight(self):
        return self.B / self.F(K)


class EpsilonInVariance(Obvious):
    def rate_and_window(self, gt, st, var):
        eta, _, _ = super().rate_and_window(gt, st, var)
        bstar = self.lb * self.B * (var + self.eps) / (gt * gt)
        return eta, bstar, self.limit(self.B / bstar)


class RateBeforeAbsorbing(Obvious):
    def step(self, t, g):
        old_gt = np.divide(self.m, self.c, out=np.zeros(D), where=self.c > 0)
        old_st = np.divide(self.v, self.c, out=np.zeros(D), where=self.c > 0)
        rec = super().step(t, g)
        if not self.is_warm(t):
            old_var = np.maximum(old_st - old_gt * old_gt, 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                eta = np.minimum(self.le * old_gt * old_gt / (self.B * old_var), self.eta_max)
            self.phi = rec["phi"] + rec["eta"] * g - eta * g
            rec.update(eta=eta, phi=self.phi)
        return rec


class MinibatchStatistic(Obvious):
    def rate_and_window(self, gt, st, var):
        with np.errstate(divide="ignore", invalid="ignore"):
            eta = np.minimum(self.le * gt * gt / var, self.eta_max)
            bstar = self.lb * var / (gt * gt + self.eps)
        return eta, bstar, self.limit(self.B / bstar)


class ZeroVarianceBug(Obvious):
    def rate_and_window(self, gt, st, var):
        eta, bstar, w = super().rate_and_window(gt, st, var)
        return np.where(var == 0, 0.0, eta), bstar, w


class Float32Accumulator(Obvious):
    def absorb(self, g):
        gt, st = super().absorb(g)
        self.m, self.v = self.m.astype(np.float32).astype(np.float64), self.v.astype(np.float32).astype(np.float64)
        return self.m / self.c, self.v / self.c


class StaleRateInPhi(Obvious):
    def phi_rate(self, eta):
        return self.eta_prev


CORRECT = [("obvious64", Obvious), ("obvious32", Obvious32), ("inplace64", InPlace), ("inplace32", InPlace32),
           ("welford64", Welford), ("storage32_arith64", Storage32), ("product_mass64", ProductMass),
           ("scaled_variance64", ScaledVariance)]
# First wrong step and the quantity seen first there (None: found by first_unlimited_step).
WRONG = [("warmup_off_by_one", WarmupOffByOne, K, "Bstar"),      # Bstar = K, eta = 0 are due at t = K
         ("wrong_lambda_b", WrongLambdaB, K + 1, "Bstar"),
         ("wrong_lambda_eta", WrongLambdaEta, K + 1, "eta"),
         ("no_bias_correction", NoBiasCorrection, 1, "gt"),      # gt = w g at step 1
         ("half_bias_correction", HalfBiasCorrection, 1, "st"),
         ("no_max_weight", NoMaxWeight, None, "gt"),             # X14: seen once B/Bstar > 1/2
         ("unlimited_warmup_weight", UnlimitedWarmupWeight, 2, "gt"),  # step 1 gives gt = g for any w
         ("epsilon_in_variance", EpsilonInVariance, K + 1, "Bstar"),
         ("rate_before_absorbing", RateBeforeAbsorbing, K + 1, "eta"),
         ("minibatch_statistic", MinibatchStatistic, K + 1, "Bstar"),
         ("zero_variance_bug", ZeroVarianceBug, K + 1, "eta"),   # coordinate 3: var = 0 exactly
         ("float32_accumulator", Float32Accumulator, 1, "gt"),
         ("stale_rate_in_phi", StaleRateInPhi, K + 1, "phi")]


def first_unlimited_step(records):
    """The first step whose weight exceeded max_weight in NoMaxWeight's own run (coordinates
    0-2; coordinate 3's gradient is constant, where the weight changes nothing visible)."""
    for t in range(K + 1, len(records["Bstar"])):
        with np.errstate(divide="ignore"):
            if np.any(B / records["Bstar"][t - 1][:3] > W_MAX):
                return t + 1
    return None


def main():
    out, steps = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2017)
    live = Obvious()  # generates the trace: g = H phi + noise, constant 0.5 in coordinate 3
    grads = np.empty((steps, D))
    for t in range(1, steps + 1):
        g = np.empty(D)
        g[:3] = HESSIAN * live.phi[:3] + rng.standard_normal(3) / np.sqrt(B)
        g[3] = 0.5
        grads[t - 1] = g
        live.step(t, g)
    np.save(os.path.join(out, "grads.npy"), grads)
    header = {"format": "quench-trace", "version": 1,
              "hyperparameters": {"batch_size": B, "warmup": K, "lambda_rate": LAM_E, "epsilon": EPS},
              "options": {"eta_max": ETA_MAX}, "phi0": PHI0, "gradients": "grads.npy", "steps": steps}
    with open(os.path.join(out, "trace.jsonl"), "w") as f:
        f.write(json.dumps(header) + "\n")
    with open(os.path.join(out, "constants.txt"), "w") as f:
        f.write(f"B {B!r}\nK {K!r}\nlambda_b {LAM_B!r}\nlambda_e {LAM_E!r}\neps {EPS!r}\n"
                f"eta_max {ETA_MAX!r}\nw_max {W_MAX!r}\nphi0 {' '.join(map(repr, PHI0))}\n")
    manifest = []
    if "--trace-only" in sys.argv[3:]:
        open(os.path.join(out, "manifest.tsv"), "w").close()
        return
    for name, cls, *expected in [(n, c) for n, c in CORRECT] + WRONG:
        cand = cls()
        recs = {q: [] for q in ("gt", "st", "var", "Bstar", "eta", "phi")}
        for t in range(1, steps + 1):
            for q, x in cand.step(t, grads[t - 1]).items():
                recs[q].append(np.array(x, dtype=cand.F, copy=True))
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for q, rows in recs.items():
            np.save(os.path.join(out, name, q + ".npy"), np.array(rows, dtype=cand.F))
        if not expected:
            manifest.append(f"{name}\tagree\t-\t-")
            continue
        step, quantity = expected
        if step is None:
            step = first_unlimited_step(recs)
            if step is None:
                sys.exit(f"{name}: the weight never exceeds max_weight on this trace; the bug is invisible here")
        manifest.append(f"{name}\tdisagree\t{step}\t{quantity}")
    with open(os.path.join(out, "manifest.tsv"), "w") as f:
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
