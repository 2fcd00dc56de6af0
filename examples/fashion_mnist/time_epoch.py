"""Times one training epoch (SGD, DeepOBS batch size, all 60000 images) and one evaluation
pass per problem, to plan the study's budget. A measurement of this machine at this moment,
not a test: run it when planning, and read the numbers together with the machine's load.

    python examples/fashion_mnist/time_epoch.py [--threads 2] [--problems fmnist_mlp ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist_data  # noqa: E402
import problems  # noqa: E402
from training import evaluate, tensors, train_epoch  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default=fmnist_data.DEFAULT_DIRECTORY)
    ap.add_argument("--problems", nargs="+", default=["fmnist_logreg", "fmnist_mlp"], choices=sorted(problems.PROBLEMS))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    train, test = fmnist_data.load(args.data)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()}")
    for name in args.problems:
        p = problems.PROBLEMS[name]
        x, y = tensors(train, p.image_input)
        xt, yt = tensors(test, p.image_input)
        model = problems.build(p, 0)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        order = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(0))
        t0 = time.perf_counter()
        train_epoch(model, opt, x, y, order, p.batch_size)
        t1 = time.perf_counter()
        evaluate(model, xt, yt)
        t2 = time.perf_counter()
        print(f"{name}: one epoch {t1 - t0:.2f} s, one evaluation of 10000 images {t2 - t1:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
