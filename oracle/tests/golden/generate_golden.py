#!/usr/bin/env python3
"""Exact rational reference for the golden traces (independent of the C++ core).

Implements docs/spec.md steps 1-6 (E15-E20) with the options X8, X9, X11, X13, X14, X15 in
Python's exact Fraction arithmetic, and writes the trajectory in the quench-trajectory
JSON Lines schema, each value rounded once to the nearest double (float(Fraction) is
correctly rounded). So every written value lies within half a double ulp of the exact
value, which is why the golden tests compare with `--ulps 0.5`.

  generate_golden.py TRACE.jsonl > TRACE.expected.jsonl
  generate_golden.py --check TRACE.jsonl TRACE.expected.jsonl   (exit 1 when they differ)

Decimal inputs are exact decimals (Fraction("0.1") is 1/10), .npy gradients exact binary
values, as in quench-oracle's exact enclosures. Needs numpy only for .npy gradients.
"""
import json
import os
import sys
from fractions import Fraction as F


def exact(x):
    return F(str(x)) if not isinstance(x, F) else x


def load_trace(path):
    with open(path) as f:
        lines = [l for l in f if l.strip()]
    header = json.loads(lines[0], parse_float=F, parse_int=F)
    if "gradients" in header:
        import numpy as np
        arr = np.load(os.path.join(os.path.dirname(path), header["gradients"]))
        grads = [[F(float(v)) for v in row] for row in arr]  # exact binary values
    else:
        grads = [[exact(v) for v in json.loads(l, parse_float=F, parse_int=F)["g"]] for l in lines[1:]]
    return header, grads


def run(header, grads):
    h = header["hyperparameters"]
    o = header.get("options", {})
    lit = o.get("literal", False)
    B, K = exact(h["batch_size"]), int(h["warmup"])
    lam_b = exact(h.get("lambda_batch", 16))
    lam_e = exact(h["lambda_rate"])
    eps = exact(h["epsilon"]) if "epsilon" in h else F(1e-12)  # the core's T(1e-12): a double
    clamp_w = o.get("clamp_weight", not lit)
    max_w = exact(o["max_weight"]) if o.get("max_weight") is not None else (None if lit or "max_weight" in o else F(1, 2))
    clamp_v = o.get("clamp_variance", not lit)
    eta_max = exact(o["eta_max"]) if o.get("eta_max") is not None else None
    bias = o.get("bias_correction", not lit)
    noise = o.get("noise", "minibatch" if lit else "per_example")
    s = B if noise == "per_example" else F(1)  # X13

    def limit(w):  # X8, X14
        if clamp_w: w = min(w, F(1))
        if max_w is not None: w = min(w, max_w)
        return w

    phi = [exact(v) for v in header["phi0"]]
    d = len(phi)
    m, v, c = [F(0)] * d, [F(0)] * d, [F(0)] * d
    w = [limit(B / K)] * d  # Bstar = K before the first step (E17)
    out = []
    for t, g in enumerate(grads, start=1):
        rec = {q: [] for q in ("gt", "st", "var", "Bstar", "eta", "phi")}
        for i in range(d):
            keep = 1 - w[i]
            c[i] = keep * c[i] + w[i] if bias else F(1)           # X15 mass
            m[i] = keep * m[i] + w[i] * g[i]                       # E15
            v[i] = keep * v[i] + w[i] * g[i] * g[i]                # E16
            D = c[i] * v[i] - m[i] ** 2                            # c^2 var
            if clamp_v: D = max(D, F(0))                           # X11
            gt, st, var = m[i] / c[i], v[i] / c[i], D / c[i] ** 2
            if t <= K:                                             # warm-up (E17, E18)
                eta, bstar, w[i] = F(0), F(K), limit(B / K)
            else:
                denom = m[i] ** 2 + eps * c[i] ** 2
                bstar = lam_b * s * D / denom                      # E17
                if D == 0:
                    if eta_max is None:
                        raise SystemExit(f"step {t}, coordinate {i}: var = 0 and no eta_max")
                    eta, w[i] = eta_max, limit(F(10) ** 400)       # 1/0: capped (X9), limited
                else:
                    eta = lam_e / s * m[i] ** 2 / D                # E18/E20
                    if eta_max is not None: eta = min(eta, eta_max)
                    w[i] = limit(B / (lam_b * s) * denom / D)      # step 1 of the next step
            phi[i] = phi[i] - eta * g[i]                           # E20
            for q, x in zip(("gt", "st", "var", "Bstar", "eta", "phi"), (gt, st, var, bstar, eta, phi[i])):
                rec[q].append(x)
        out.append(rec)
    return out


def hand_checks(name, traj):
    """The first steps of golden_small, computed by hand in README.md."""
    if name != "golden_small.jsonl":
        return
    s1, s2, s3 = traj[0], traj[1], traj[2]
    assert (s1["gt"][1], s1["st"][1], s1["var"][1]) == (2, 4, 0)
    assert (s2["gt"][1], s2["st"][1], s2["var"][1]) == (F(2, 3), F(4, 3), F(8, 9))
    assert (s3["gt"][1], s3["st"][1], s3["var"][1]) == (F(6, 7), F(8, 7), F(20, 49))
    assert s3["eta"] == [F(1, 2), F(9, 40)]
    assert s3["phi"] == [F(1, 2), F(-49, 40)]
    assert s3["Bstar"][0] == 0 and s3["Bstar"][1] == 16 * F(20, 49) / (F(36, 49) + F(1, 2 ** 20))


def render(header, traj):
    lines = [json.dumps({"format": "quench-trajectory", "version": 1, "dimension": len(header["phi0"]),
                         "producer": "generate_golden.py (exact rationals, rounded to nearest double)"})]
    for t, rec in enumerate(traj, start=1):
        r = {"t": t}
        r.update({q: [float(x) for x in xs] for q, xs in rec.items()})
        lines.append(json.dumps(r, separators=(",", ":")))
    return "\n".join(lines) + "\n"


def main(argv):
    check = argv[1:2] == ["--check"]
    trace = argv[2] if check else argv[1]
    header, grads = load_trace(trace)
    traj = run(header, grads)
    hand_checks(os.path.basename(trace), traj)
    text = render(header, traj)
    if check:
        with open(argv[3]) as f:
            if f.read() != text:
                print(f"{argv[3]} differs from the exact computation of {trace}", file=sys.stderr)
                return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
