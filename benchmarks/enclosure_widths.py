#!/usr/bin/python3
"""How long the exact enclosures of `quench-oracle run --enclose` stay narrower than one double
ulp: writes benchmarks/results/enclosure_widths.md.

For each trace (noisy gradients g = 1 + 0.5 N(0, 1), independent per coordinate and step,
d = 16, 10^4 steps, fixed seeds) and each option set (the defaults, B = 8; the literal slides,
B = 1, where the weight B/Bstar is about 1/4 and stays below 1) it runs
    quench-oracle run TRACE --precision P --enclose --enclosure M --widths
for both enclosure methods M (interval: the core's step in plain MPFI arithmetic; centred:
centred forms recentred per window, oracle/src/centred_run.hpp) and tabulates, per quantity,
the first step at which some coordinate's enclosure is wider than one double ulp of its
midpoint, and the widest enclosure at the last step, as the oracle reports them.

Usage: benchmarks/enclosure_widths.py [--oracle build/oracle/quench-oracle] [--steps 10000]
         [--dimension 16] [--precision 50] [--out benchmarks/results/enclosure_widths.md]
Needs numpy (Debian's python3-numpy) for the gradients file.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime, timezone

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

OPTION_SETS = [
    ("defaults", {"batch_size": 8, "warmup": 10, "lambda_rate": 0.125}, {}),
    ("literal", {"batch_size": 1, "warmup": 10, "lambda_rate": 0.125, "lambda_batch": 128}, {"literal": True}),
]
METHODS = ["interval", "centred"]


def make_trace(directory, name, hyper, options, steps, dimension, seed):
    """A noisy trace: gradients 1 + 0.5 N(0, 1), phi0 = 1."""
    rng = np.random.default_rng(seed)
    grads = 1.0 + 0.5 * rng.standard_normal((steps, dimension))
    np.save(os.path.join(directory, name + ".npy"), grads)
    header = {"format": "quench-trace", "version": 1, "hyperparameters": hyper, "options": options,
              "phi0": [1.0] * dimension, "gradients": name + ".npy", "steps": steps}
    path = os.path.join(directory, name + ".jsonl")
    with open(path, "w") as f:
        f.write(json.dumps(header) + "\n")
    return path


def run_widths(oracle, trace, precision, method):
    cmd = [oracle, "run", trace, "--precision", str(precision), "--enclose", "--enclosure", method, "--widths"]
    print("running:", " ".join(cmd), file=sys.stderr, flush=True)
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    rows = {}
    for line in done.stdout.splitlines():
        m = re.match(r"^(gt|st|var|Bstar|eta|phi)\s+(never|step \d+, coord \d+)\s+(\S+) \((\d+), (\d+)\)\s+(\S+)$", line)
        if m:
            first = "never" if m.group(2) == "never" else m.group(2).split(",")[0].replace("step ", "")
            rows[m.group(1)] = {"first": first, "widest": m.group(3), "widest_step": m.group(4), "last": m.group(6)}
    stopped = re.search(r"^stopped at step (\d+)", done.stdout, re.M)
    if len(rows) != 6:
        sys.exit("enclosure_widths: cannot read the report of %s:\n%s%s" % (" ".join(cmd), done.stdout, done.stderr))
    if done.returncode != 0 and not stopped:
        sys.exit("enclosure_widths: %s failed:\n%s" % (" ".join(cmd), done.stderr))
    error = done.stderr.strip().splitlines()[-1] if stopped else None
    return {"rows": rows, "seconds": seconds, "stopped": stopped.group(1) if stopped else None, "error": error}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--oracle", default=os.path.join(ROOT, "build", "oracle", "quench-oracle"))
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--dimension", type=int, default=16)
    ap.add_argument("--precision", type=int, default=50)
    ap.add_argument("--work", default="/tmp/quench-enclosure-widths")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "enclosure_widths.md"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    results = []
    for k, (name, hyper, options) in enumerate(OPTION_SETS):
        trace = make_trace(a.work, name, hyper, options, a.steps, a.dimension, 20170101 + k)
        for method in METHODS:
            results.append((name, hyper, options, method, run_widths(a.oracle, trace, a.precision, method)))

    qs = ["gt", "st", "var", "Bstar", "eta", "phi"]
    out = ["# Exact enclosures against the number of steps", "",
           "Written by `benchmarks/enclosure_widths.py`; do not edit by hand.", "",
           "- date: %s" % datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "- machine: %s, %d cores" % (platform.processor() or platform.machine(), os.cpu_count() or 0),
           "- traces: d = %d, %d steps, gradients 1 + 0.5 N(0, 1) (independent per coordinate and step), "
           "phi0 = 1; `quench-oracle run --precision %d --enclose --enclosure METHOD --widths`"
           % (a.dimension, a.steps, a.precision), "",
           "Per quantity: the first step at which some coordinate's enclosure is wider than one double ulp "
           "of its midpoint (`never`: not in the steps run), then the widest enclosure at the last step "
           "computed, in double ulps of its midpoint (0: an enclosure of 0 narrower than 2^(32-p), how "
           "exact zeros are enclosed). A run stops when an enclosure of the variance reaches 0 (the "
           "reference is then undefined for the options), so its first-wider step is at most that step.", ""]
    out.append("| options | method | run | seconds | " + " | ".join(qs) + " |")
    out.append("|---|---|---|---|" + "---|" * len(qs))
    for name, hyper, options, method, r in results:
        label = "%s (B = %s, K = %s, lambda_eta = %s)" % (name, hyper["batch_size"], hyper["warmup"], hyper["lambda_rate"])
        cells = []
        for q in qs:
            row = r["rows"][q]
            cells.append("%s; %s" % (row["first"], row["last"]))
        end = "stopped at step %s" % r["stopped"] if r["stopped"] else "all %d steps" % a.steps
        out.append("| %s | %s | %s | %.0f | %s |" % (label, method, end, r["seconds"], " | ".join(cells)))
    notes = [(name, method, r["error"]) for name, _, _, method, r in results if r["error"]]
    if notes:
        out += ["", "Why a run stopped (its last message):", ""]
        for name, method, error in notes:
            out.append("- %s, %s: `%s`" % (name, method, error.replace("`", "'")))
    out.append("")
    with open(a.out, "w") as f:
        f.write("\n".join(out))
    print("\n".join(out))


if __name__ == "__main__":
    main()
