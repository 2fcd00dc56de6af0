"""Optimizer step time of QuenchSGD (fused C++ core and foreach tensor ops) against
torch.optim.Adam(foreach=True) and torch.optim.SGD on the same parameters, one run, ratios
to Adam. Not a test: `/opt/quench-venv/bin/python benchmarks/python/optimizer_step.py
[--out benchmarks/results/python_optimizer_step.md] [--repeats N]`."""

import argparse
import platform
import statistics
import time

import torch

from quench.torch import QuenchSGD


def params_of(total, pieces=4, dtype=torch.float32):
    torch.manual_seed(0)
    sizes = [total // pieces] * pieces
    ps = [torch.nn.Parameter(torch.randn(n, dtype=dtype)) for n in sizes]
    for p in ps:
        p.grad = torch.randn_like(p) * 1e-2
    return ps


def time_steps(makers, total, repeats, dtype):
    """Median step time per method; the methods take turns in every round, so that a
    machine shared with other jobs slows them alike."""
    opts = {}
    for name, make in makers.items():
        opts[name] = make(params_of(total, dtype=dtype))
        for _ in range(3):  # warm-up steps (past quenching's K = 1 warm-up too)
            opts[name].step()
    times = {name: [] for name in makers}
    for _ in range(repeats):
        for name, opt in opts.items():
            t0 = time.perf_counter()
            opt.step()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(t) for name, t in times.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=None)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch's intra-op threads (1: oversubscribed pools on a shared machine distort everything)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    makers = {
        "Adam(foreach=True)": lambda ps: torch.optim.Adam(ps, lr=1e-3, foreach=True),
        "SGD": lambda ps: torch.optim.SGD(ps, lr=1e-3),
        "QuenchSGD fused": lambda ps: QuenchSGD(ps, batch_size=32, K=1, L=4.0, fused=True),
        "QuenchSGD foreach": lambda ps: QuenchSGD(ps, batch_size=32, K=1, L=4.0, foreach=True),
    }
    lines = [f"# Python optimizer step, one run ({platform.processor() or platform.machine()}, "
             f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32, 4 tensors)", "",
             "| parameters | " + " | ".join(makers) + " | fused/Adam | foreach/Adam |",
             "|---|" + "---|" * (len(makers) + 2)]
    for total in [int(s) for s in args.sizes.split(",")]:
        t = time_steps(makers, total, args.repeats, torch.float32)
        adam = t["Adam(foreach=True)"]
        lines.append(f"| {total:.0e} | " + " | ".join(f"{v * 1e3:.3f} ms" for v in t.values())
                     + f" | {t['QuenchSGD fused'] / adam:.2f} | {t['QuenchSGD foreach'] / adam:.2f} |")
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n\nMedian of the repeats per step (the methods take turns in each round); ratios < 1 are\nfaster than Adam.\n"
    if args.out:
        open(args.out, "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
