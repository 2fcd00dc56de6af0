"""Shared helpers: the example's modules on the path, and small IDX files made here."""

from __future__ import annotations

import gzip
import os
import struct
import sys

import numpy as np
import torch

# One thread: on this shared 2-core machine two threads per process were 10-20 times slower
# (examples/fashion_mnist/README.md, the measured epoch times).
torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.dirname(HERE)
sys.path.insert(0, EXAMPLE)


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """The IDX encoding of a uint8 array (magic: ubyte type, ndim dimensions, unless given)."""
    a = np.ascontiguousarray(array, dtype=np.uint8)
    m = (0x08 << 8) | a.ndim if magic is None else magic
    return struct.pack(">I", m) + struct.pack(f">{a.ndim}I", *a.shape) + a.tobytes()


def write_gz(path: str, data: bytes) -> str:
    with gzip.open(path, "wb") as f:
        f.write(data)
    return path


def write_dataset(directory: str, train_per_class: int = 3, test_per_class: int = 2, seed: int = 0) -> dict:
    """A balanced Fashion-MNIST-shaped data set in `directory`; returns the arrays."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, per_class, (img, lab) in (
        ("train", train_per_class, ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")),
        ("test", test_per_class, ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")),
    ):
        labels = rng.permutation(np.repeat(np.arange(10, dtype=np.uint8), per_class))
        images = rng.integers(0, 256, size=(labels.size, 28, 28), dtype=np.uint8)
        write_gz(os.path.join(directory, img), idx_bytes(images))
        write_gz(os.path.join(directory, lab), idx_bytes(labels))
        out[name] = (images, labels)
    return out
