#!/usr/bin/env python3
"""The stepwise verdict across the option space: random traces (batch size, warm-up, lambdas,
eps, every option of the trace header, the literal slides, gradient scales from 1e-3 to
1e3, coordinates with zero variance and exactly zero gradients), each judged on candidates
written here from docs/spec.md section 4 alone (one generic implementation that reads every
option, not the core and not numpy_candidates.py).

  option_sweep.py ORACLE WORKDIR [--configs N] [--seed S] [--steps T]

For every configuration:
- each correct variant (three expression orders in float64 and float32, and float32
  storage with float64 arithmetic) must get AGREE, also with only eta and phi recorded
  (the hidden-state check), or NO VERDICT (exit 3) only when the
  configuration leaves a region unbounded (no eta_max, or no weight limit) and the run met a
  zero variance after warm-up. A run the algorithm leaves undefined there (a non-finite
  value: the core's zero_variance_error) is skipped and counted.
- each bug that applies to the configuration (a missing cap, clamp or floor, the noise
  statistic swapped, bias correction flipped, warm-up off by one, a stale weight, ...) is run
  beside the same correct variant. Let t0 be the first step whose records differ at all; the
  two runs started t0 from identical records. When the bug moves some record at t0 by more
  than VISIBLE (relative to that value's own scale) the verdict must be DISAGREE at step
  t0 exactly, unless a region of the run is unbounded (then any rate is admissible, and the
  phi it moves); otherwise the verdict may be either, but a DISAGREE must not name a step
  before t0 (that would blame a step the bug had not touched).

Exit 0 when every assertion holds; prints the counts.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

np.seterr(all="ignore")  # the literal slides overflow and divide by zero by design: checked by value below

QUANTITIES = ("gt", "st", "var", "Bstar", "eta", "phi")
# A bug's first deviation counts as visible when it exceeds this fraction of the value's
# scale: about 10^10 float64 and 10^5 float32 unit roundoffs, far beyond every region of
# the model (k <= 7 roundings, the rebuilt mass's O(u/w) band for w >= 1e-3 below).
VISIBLE = {np.float64: 1e-6, np.float32: 1e-2}


class Impl:
    """Quenching SGD per docs/spec.md section 4, every option read from `cfg`.

    order: "convex" ((1-w) m + w g on raw averages and their mass), "inplace" (gt += (w/c)(g - gt)
    on the bias-corrected averages), "product" (the mass as 1 - prod(1-w), m += w (g - m)),
    "storage32" (float32 state, float64 arithmetic). bug: None or a name from BUGS."""

    def __init__(self, cfg, F, order, bug=None):
        self.cfg, self.order, self.bug = cfg, order, bug
        self.F = np.float32 if order == "storage32" else F
        self.A = np.float64 if order == "storage32" else self.F  # the arithmetic type
        A, d = self.A, cfg["d"]
        self.m = np.zeros(d, self.F)
        self.v = np.zeros(d, self.F)
        self.c = np.zeros(d, self.F)
        self.p = np.ones(d, self.F)
        self.phi = np.array(cfg["phi0"], dtype=np.float64).astype(self.F)
        self.bstar = [np.full(d, A(cfg["K"])), np.full(d, A(cfg["K"]))]  # B*(t-1), B*(t-2)
        self.w_prev = None
        self.eta_prev = np.zeros(d, self.F)

    def const(self, name):
        x = self.cfg[name]
        # every constant is rounded once to the candidate's type (float32 candidates round the
        # decimal's double)
        return None if x is None else self.F(x).astype(self.A)

    def weight(self):
        cfg, A = self.cfg, self.A
        bstar = self.bstar[1] if self.bug == "stale_weight" else self.bstar[0]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            w = self.const("B") / bstar
        if cfg["clamp_weight"] and self.bug != "no_unit_clamp":
            w = np.minimum(w, A(1))
        if cfg["max_weight"] is not None and self.bug != "no_max_weight":
            w = np.minimum(w, self.const("max_weight"))
        if cfg["min_weight"] is not None and self.bug != "no_weight_floor":
            w = np.maximum(w, self.const("min_weight"))
        return w.astype(self.A)

    def absorb(self, w, g):
        A, one = self.A, self.A(1)
        m, v, c, p = (x.astype(A) for x in (self.m, self.v, self.c, self.p))
        square = g * np.abs(g) if self.bug == "signed_square" else g * g
        bias = self.cfg["bias_correction"] != (self.bug == "bias_flipped")
        wc = self.w_prev if self.bug == "stale_mass" and self.w_prev is not None else w
        if self.order == "inplace" and bias:
            c = c + wc * (one - c)
            rho = w / c
            m = m + rho * (g - m)  # m, v hold gt, st here
            v = v + rho * (square - v)
            gt, st = m, v
        else:
            if self.order == "product":
                p = p * (one - wc)
                c = one - p
                m = m + w * (g - m)
                v = v + w * (square - v)
            elif self.order == "inplace":
                c = c + wc * (one - c)
                m = m + w * (g - m)
                v = v + w * (square - v)
            else:
                c = (one - wc) * c + wc
                m = (one - w) * m + w * g
                v = (one - w) * v + w * square
            gt, st = (m / c, v / c) if bias else (m, v)
        self.m, self.v, self.c, self.p = (x.astype(self.F) for x in (m, v, c, p))
        return gt, st

    def step(self, t, g):
        cfg, A = self.cfg, self.A
        g = g.astype(self.F).astype(A)
        w = self.weight()
        gt, st = self.absorb(w, g)
        var = st - gt * gt
        if cfg["clamp_variance"]:
            var = np.maximum(var, A(0))
        K = cfg["K"]
        warm = {"warmup_long": t <= K + 1, "warmup_short": t <= K - 1}.get(self.bug, t <= K)
        per_example = (cfg["noise"] == "per_example") != (self.bug == "swapped_noise")
        s = self.const("B") if per_example else A(1)
        lb, le, eps = self.const("lambda_b"), self.const("lambda_e"), self.const("eps")
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if warm:
                eta, bstar = np.zeros_like(gt), np.full_like(gt, A(K))
            else:
                den = np.maximum(var, np.finfo(A).tiny) if cfg["clamp_variance"] else var
                eta = (le / s) * (gt * gt) / den
                if cfg["eta_max"] is not None and self.bug != "no_eta_cap":
                    eta = np.minimum(eta, self.const("eta_max"))
                if cfg["eta_min"] is not None and self.bug != "no_eta_floor":
                    eta = np.maximum(eta, self.const("eta_min"))
                if self.bug == "eps_in_variance":
                    bstar = (lb * s) * (var + eps) / (gt * gt)
                else:
                    bstar = (lb * s) * var / (gt * gt + eps)
            rate = self.eta_prev.astype(A) if self.bug == "phi_previous_rate" else eta
            phi = self.phi.astype(A) - rate * g
        self.bstar = [bstar, self.bstar[0]]
        self.w_prev = w
        self.phi = phi.astype(self.F)
        self.eta_prev = eta.astype(self.F)
        rec = dict(gt=gt, st=st, var=var, Bstar=bstar, eta=eta, phi=phi)
        return {q: np.array(x, dtype=A).astype(self.F) for q, x in rec.items()}


def applies(bug, cfg):
    return {"no_max_weight": cfg["max_weight"] is not None,
            "no_unit_clamp": cfg["clamp_weight"] and cfg["max_weight"] is None,
            "no_eta_cap": cfg["eta_max"] is not None,
            "no_eta_floor": cfg["eta_min"] is not None,
            "no_weight_floor": cfg["min_weight"] is not None,
            "stale_mass": cfg["bias_correction"],
            "warmup_short": cfg["K"] >= 2}.get(bug, True)


BUGS = ("stale_weight", "no_max_weight", "no_unit_clamp", "no_eta_cap", "no_eta_floor", "no_weight_floor",
        "swapped_noise", "bias_flipped", "eps_in_variance", "warmup_long", "warmup_short", "stale_mass",
        "phi_previous_rate", "signed_square")
CORRECT = [(np.float64, "convex"), (np.float64, "inplace"), (np.float64, "product"),
           (np.float32, "convex"), (np.float32, "inplace"), (np.float32, "product"), (np.float32, "storage32")]


def draw_config(rng, index, steps):
    literal = rng.random() < 0.1
    B = int(rng.choice([1, 3, 8, 32, 100]))
    K = int(rng.choice([1, 2, 5, 10]))
    L = float(rng.choice([0.5, 2.0, 10.0]))
    cfg = dict(index=index, steps=steps, d=8, B=float(B), K=K, lambda_b=float(rng.choice([16.0, 4.0, 10.0])),
               lambda_e=B / (32 * L), eps=float(rng.choice([1e-12, 1e-4, 0.01])), literal=literal)
    if literal:
        cfg.update(clamp_weight=False, max_weight=None, clamp_variance=False, eta_max=None, bias_correction=False,
                   noise="minibatch", eta_min=None, min_weight=None)
    else:
        cfg.update(clamp_weight=bool(rng.random() < 0.85), clamp_variance=bool(rng.random() < 0.85),
                   bias_correction=bool(rng.random() < 0.8),
                   noise="per_example" if rng.random() < 0.75 else "minibatch",
                   max_weight=[None, 0.5, 0.9][int(rng.integers(0, 3))],
                   eta_max=1 / (2 * L) if rng.random() < 0.8 else None)
        cfg["eta_min"] = 0.05 * cfg["eta_max"] if cfg["eta_max"] is not None and rng.random() < 0.25 else None
        top = cfg["max_weight"] if cfg["max_weight"] is not None else 1.0
        cfg["min_weight"] = 0.1 * top if rng.random() < 0.25 else None
    cfg["scales"] = [float(x) for x in 10.0 ** rng.uniform(-3, 3, 4)]
    cfg["noise_level"] = [float(x) for x in 10.0 ** rng.uniform(-2, 1, 4)]
    cfg["phi0"] = [float(np.float32(x)) for x in rng.uniform(-3, 3, 8)]  # exact in float32
    cfg["grad_dtype"] = "<f4" if rng.random() < 0.3 else "<f8"
    return cfg


def gradients(cfg, rng):
    """A noisy quadratic in coordinates 0-3 (scales 1e-3..1e3), then a constant gradient (zero
    variance), an exactly zero one, one alternating +-a (mean 0), and one that stops after 20
    steps (gt then decays to 0 through the subnormals of float32): driven by a correct run."""
    live = Impl(cfg, np.float64, "convex")
    T, d = cfg["steps"], cfg["d"]
    out = np.empty((T, d))
    hess = np.array([2.0, 1.0, 0.5, 0.1])
    for t in range(1, T + 1):
        g = np.empty(d)
        sc = np.array(cfg["scales"])
        with np.errstate(all="ignore"):
            x = np.nan_to_num(live.phi[:4].astype(np.float64), nan=1.0, posinf=1.0, neginf=-1.0)
        x = np.clip(x, -1e3, 1e3)
        g[:4] = sc * (hess * x + np.array(cfg["noise_level"]) * rng.standard_normal(4))
        g[4] = 0.375 * sc[0]
        g[5] = 0.0
        g[6] = (1 if t % 2 else -1) * 0.75 * sc[1]
        g[7] = g[0] if t <= 20 else 0.0
        lo = 2.0 ** -500
        g[(np.abs(g) < lo) & (g != 0)] = lo
        if cfg["grad_dtype"] == "<f4":
            g = g.astype(np.float32).astype(np.float64)
            g[(np.abs(g) < 1e-30) & (g != 0)] = 1e-30
        out[t - 1] = g
        live.step(t, g)
    return out


def write_trace(cfg, grads, where):
    os.makedirs(where, exist_ok=True)
    np.save(os.path.join(where, "g.npy"), grads.astype(cfg["grad_dtype"]))
    hyper = {"batch_size": cfg["B"], "warmup": cfg["K"], "lambda_rate": cfg["lambda_e"],
             "lambda_batch": cfg["lambda_b"], "epsilon": cfg["eps"]}
    if cfg["literal"]:
        options = {"literal": True}
    else:
        options = {k: cfg[k] for k in ("clamp_weight", "clamp_variance", "bias_correction", "noise", "max_weight")}
        for k in ("eta_max", "eta_min", "min_weight"):
            if cfg[k] is not None:
                options[k] = cfg[k]
    header = {"format": "quench-trace", "version": 1, "hyperparameters": hyper, "options": options,
              "phi0": cfg["phi0"], "gradients": "g.npy", "steps": cfg["steps"]}
    with open(os.path.join(where, "trace.jsonl"), "w") as f:
        f.write(json.dumps(header) + "\n")


def run(impl, grads):
    recs = {q: [] for q in QUANTITIES}
    for t in range(1, len(grads) + 1):
        for q, x in impl.step(t, grads[t - 1]).items():
            recs[q].append(x)
    return {q: np.array(rows) for q, rows in recs.items()}


def save(recs, where):
    os.makedirs(where, exist_ok=True)
    for q, x in recs.items():
        np.save(os.path.join(where, q + ".npy"), x)
    return ",".join(f"{q}={where}/{q}.npy" for q in QUANTITIES)


def compare(oracle, trace, npy):
    p = subprocess.run([oracle, "compare", trace, "--candidate-npy", npy], capture_output=True, text=True)
    m = re.search(r"^verdict: DISAGREE \(first outside: (\w+) at step (\d+)", p.stdout, re.M)
    return p.returncode, (int(m.group(2)) if m else None), p.stdout + p.stderr


def first_deviation(ok, bad, F):
    """(t0, relative size at t0) of the first step whose records differ; None if none."""
    T = len(ok["phi"])
    for t in range(T):
        diff, differs = 0.0, False
        for q in QUANTITIES:
            a, b = ok[q][t].astype(np.float64), bad[q][t].astype(np.float64)
            if np.array_equal(a, b):
                continue
            differs = True
            # scale: the value itself; for the rate and window the variance's cancellation
            # (st + gt^2)/var makes their regions wide, so it scales them too
            scale = np.maximum(np.abs(a), np.abs(b))
            if q in ("eta", "Bstar", "var"):
                st, gt, var = (ok[k][t].astype(np.float64) for k in ("st", "gt", "var"))
                cancel = (np.abs(st) + gt * gt) / np.abs(var)
                cancel = np.where((var == 0) & (np.abs(st) + gt * gt == 0), 1.0, cancel)  # gt = st = 0: no cancellation
                scale = scale * np.where(np.isfinite(cancel), np.maximum(cancel, 1.0), np.inf)
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.where(a == b, 0.0, np.abs(a - b) / scale)
            rel = np.where(np.isnan(rel), np.inf, rel)
            diff = max(diff, float(rel.max()))
        if differs:
            return t + 1, diff
    return None


def zero_variance_after_warmup(recs, K):
    return bool(np.any(recs["var"][K:] <= 0))


def main():
    oracle, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    n, seed, steps = int(args.get("--configs", 40)), int(args.get("--seed", 31230)), int(args.get("--steps", 200))
    rng = np.random.default_rng(seed)
    counts = dict(configs=0, agree=0, no_verdict=0, undefined=0, bug_undefined=0, bug_caught=0, bug_invisible=0, subtle_caught=0,
                  subtle_missed=0)
    failures = []
    for i in range(n):
        cfg = draw_config(rng, i, steps)
        grads = gradients(cfg, rng)
        where = os.path.join(work, f"config{i}")
        write_trace(cfg, grads, where)
        trace = os.path.join(where, "trace.jsonl")
        counts["configs"] += 1
        unbounded = cfg["eta_max"] is None or (not cfg["clamp_weight"] and cfg["max_weight"] is None)
        brief = {k: cfg[k] for k in cfg if k not in ("phi0", "scales", "noise_level", "index", "steps", "d")}
        for F, order in CORRECT:
            name = f"{np.dtype(F).name}_{order}"
            recs = run(Impl(cfg, F, order), grads)
            if not all(np.all(np.isfinite(x)) for x in recs.values()):
                counts["undefined"] += 1
                continue
            npy = save(recs, os.path.join(where, name))
            rc, step, text = compare(oracle, trace, npy)
            if rc == 0:
                counts["agree"] += 1
            elif rc == 3 and unbounded and zero_variance_after_warmup(recs, cfg["K"]):
                counts["no_verdict"] += 1
            else:
                failures.append(f"config {i} {brief}: correct {name}: exit {rc}\n{text}")
                continue
            # only eta and phi recorded: the hidden-state check must accept it as well
            hidden = ",".join(x for x in npy.split(",") if x.startswith(("eta=", "phi=")))
            rc_hidden, _, text = compare(oracle, trace, hidden)
            if not (rc_hidden in (0, rc) or (rc_hidden == 3 and unbounded)):  # the enclosure may widen to no bound
                failures.append(f"config {i} {brief}: correct {name} with only eta and phi: exit {rc_hidden}\n{text}")
            # each bug that applies, beside this correct variant (every other variant, to keep the
            # run short: the bugs are the same, the precisions and orders alternate)
            if CORRECT.index((F, order)) % 2:
                continue
            for bug in BUGS:
                if not applies(bug, cfg):
                    continue
                bad = run(Impl(cfg, F, order, bug), grads)
                if not all(np.all(np.isfinite(x)) for x in bad.values()):
                    counts["bug_undefined"] += 1
                    continue
                dev = first_deviation(recs, bad, F)
                if dev is None:
                    counts["bug_invisible"] += 1
                    continue
                t0, size = dev
                rc, step, text = compare(oracle, trace, save(bad, os.path.join(where, f"{name}_{bug}")))
                label = f"config {i} {brief}: {name} with {bug} (first deviation at step {t0}, {size:.3g} of scale)"
                # where a region is unbounded (a zero variance the options leave uncapped), a rate
                # of any size is admissible, and so is the phi it moves: no step is asserted there
                judged = not (unbounded and (zero_variance_after_warmup(recs, cfg["K"]) or
                                             zero_variance_after_warmup(bad, cfg["K"])))
                if size > VISIBLE[F] and judged:
                    if rc == 1 and step == t0:
                        counts["bug_caught"] += 1
                    else:
                        failures.append(f"{label}: expected DISAGREE at step {t0}, exit {rc} step {step}\n{text}")
                elif rc == 1 and step is not None and step < t0:
                    failures.append(f"{label}: DISAGREE names step {step}, before the bug acted\n{text}")
                elif rc in (0, 1, 3):
                    counts["subtle_caught" if rc == 1 else "subtle_missed"] += 1
                    if rc != 1 and os.environ.get("SWEEP_VERBOSE"):
                        print(f"subtle, not caught: {label}")
                else:
                    failures.append(f"{label}: exit {rc}\n{text}")
    for f in failures:
        print("FAIL:", f)
    print("option sweep:", ", ".join(f"{k} {v}" for k, v in counts.items()), f", failures {len(failures)}")
    return 1 if failures or counts["agree"] == 0 or counts["bug_caught"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
