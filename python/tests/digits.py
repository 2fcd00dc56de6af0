"""The UCI digits the project ships (examples/train/data/digits.csv.gz: 64 pixels and the
label per row) and a small MLP on them, shared by the torch, oracle and JAX tests."""

import gzip
import pathlib

import numpy as np

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "train" / "data" / "digits.csv.gz"


def load_digits():
    with gzip.open(DATA, "rt") as f:
        rows = np.loadtxt(f, delimiter=",")
    return rows[:, :64] / 16.0, rows[:, 64].astype(np.int64)


def minibatches(n, batch, steps, seed=0):
    """The same index batches for every implementation."""
    rng = np.random.default_rng(seed)
    return [rng.choice(n, size=batch, replace=False) for _ in range(steps)]
