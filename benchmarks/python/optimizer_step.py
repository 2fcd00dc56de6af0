"""Optimizer step time of QuenchSGD (fused C++ core, foreach tensor ops in the core's order
and foreach with the fused tensor ops of bit_identical=False) against
torch.optim.Adam(foreach=True) and torch.optim.SGD on the same parameters, one run, ratios
to Adam. Not a test: `/opt/quench-venv/bin/python benchmarks/python/optimizer_step.py
[--out benchmarks/results/python_optimizer_step.md] [--repeats N] [--stat min|median]`.

On a machine shared with other jobs, `--stat min` (the least disturbed of the repeats) is
the steadier estimate of each method's own cost; the methods take turns in every round
either way. `--clock cpu` times the process's CPU time instead of the wall clock: under a
load of several jobs per core a step of milliseconds is descheduled in nearly every repeat,
which the wall clock counts and CPU time does not (with QUENCH_THREADS=1 every method runs
on one thread; otherwise the fused pass's second thread is counted too). The core's pass uses its own threads from d = 2^18 per tensor (QUENCH_THREADS
sets the most); torch uses `--threads`."""

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


class Triad:
    """The machine's streaming reference in the same run: torch's in-place `p += g` over
    the same tensors (reads 2 arrays, writes 1: 12 bytes per float32 coordinate)."""

    def __init__(self, ps):
        self.ps = ps

    @torch.no_grad()
    def step(self):
        torch._foreach_add_(self.ps, [p.grad for p in self.ps])


# Bytes moved per float32 coordinate and step (each array read or written once per pass;
# a written array was read first, so no write-allocate is added):
#   QuenchSGD fused: the input check reads g, the pass reads g, p, m, v, c, w and writes
#     p, m, v, c, w: 12 values, 48 bytes;
#   Adam(foreach=True): lerp_ m (3 arrays), mul_ v (2), addcmul_ v (3), sqrt v -> s (2, +1
#     write-allocate), div_ s (2), add_ s (2), addcdiv_ p (4): 19 values, 76 bytes;
#   triad p += g: 3 values, 12 bytes.
BYTES = {"Adam(foreach=True)": 76, "QuenchSGD fused": 48, "triad p += g": 12}


def time_steps(makers, total, repeats, dtype, stat, clock=time.perf_counter):
    """Step time per method (the median or the least of the repeats); the methods take
    turns in every round, so that a machine shared with other jobs slows them alike."""
    opts = {}
    for name, make in makers.items():
        opts[name] = make(params_of(total, dtype=dtype))
        for _ in range(3):  # warm-up steps (past quenching's K = 1 warm-up too)
            opts[name].step()
    times = {name: [] for name in makers}
    for _ in range(repeats):
        for name, opt in opts.items():
            t0 = clock()
            opt.step()
            times[name].append(clock() - t0)
    pick = min if stat == "min" else statistics.median
    return {name: pick(t) for name, t in times.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=None)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--stat", choices=("median", "min"), default="median")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="wall: time.perf_counter; cpu: time.process_time (the process's CPU time)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch's intra-op threads (1: oversubscribed pools on a shared machine distort everything)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    makers = {
        "Adam(foreach=True)": lambda ps: torch.optim.Adam(ps, lr=1e-3, foreach=True),
        "SGD": lambda ps: torch.optim.SGD(ps, lr=1e-3),
        "QuenchSGD fused": lambda ps: QuenchSGD(ps, batch_size=32, K=1, L=4.0, fused=True),
        "QuenchSGD foreach": lambda ps: QuenchSGD(ps, batch_size=32, K=1, L=4.0, foreach=True),
        "QuenchSGD foreach, fused ops": lambda ps: QuenchSGD(ps, batch_size=32, K=1, L=4.0, foreach=True,
                                                             bit_identical=False),
        "triad p += g": Triad,
    }
    lines = [f"# Python optimizer step, one run ({platform.processor() or platform.machine()}, "
             f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32, 4 tensors)", "",
             "| parameters | " + " | ".join(makers) + " | fused/Adam | foreach/Adam | fused ops/Adam |",
             "|---|" + "---|" * (len(makers) + 3)]
    rates = ["", "| parameters | " + " | ".join(f"{name} GB/s" for name in BYTES) + " | fused/triad |",
             "|---|" + "---|" * (len(BYTES) + 1)]
    for total in [int(s) for s in args.sizes.split(",")]:
        t = time_steps(makers, total, args.repeats, torch.float32, args.stat,
                       time.process_time if args.clock == "cpu" else time.perf_counter)
        adam = t["Adam(foreach=True)"]
        lines.append(f"| {total:.0e} | " + " | ".join(f"{v * 1e3:.3f} ms" for v in t.values())
                     + f" | {t['QuenchSGD fused'] / adam:.2f} | {t['QuenchSGD foreach'] / adam:.2f}"
                     + f" | {t['QuenchSGD foreach, fused ops'] / adam:.2f} |")
        print(lines[-1], flush=True)
        gbs = {name: BYTES[name] * total / t[name] / 1e9 for name in BYTES}
        rates.append(f"| {total:.0e} | " + " | ".join(f"{v:.1f}" for v in gbs.values())
                     + f" | {gbs['QuenchSGD fused'] / gbs['triad p += g']:.2f} |")
    clock = "CPU time of the process" if args.clock == "cpu" else "wall clock"
    text = "\n".join(lines + rates) + (f"\n\n{args.stat.capitalize()} of {args.repeats} repeats per step ({clock}; the methods take turns in each round); "
                                "ratios < 1 are\nfaster than Adam. GB/s: bytes moved per coordinate (fused 48, Adam 76, triad 12; "
                                "see BYTES in the script) times d over the step time; fused/triad: how close the fused "
                                "pass comes to the streaming rate of this machine (torch's triad, 1 thread).\n")
    if args.out:
        open(args.out, "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
