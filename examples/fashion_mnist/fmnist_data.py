"""Fashion-MNIST from Debian's dataset-fashion-mnist, read with idx.py and checked.

The data set (Xiao, Rasul and Vollgraf 2017) has 60000 training and 10000 test images of
28x28 grey levels in 10 balanced classes: 6000 per class in the training set, 1000 in the
test set. The loader checks the shapes, that there are as many labels as images, that every
label is a class, and the per-class counts, so that a wrong or mixed-up file is an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from idx import IMAGES_MAGIC, LABELS_MAGIC, IdxError, read_idx

DEFAULT_DIRECTORY = "/usr/share/datasets/fashion-mnist"
CLASSES = 10
ROWS = COLS = 28
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60000),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10000),
}


@dataclass(frozen=True)
class Split:
    images: np.ndarray  # uint8, (n, 28, 28)
    labels: np.ndarray  # uint8, (n,)


def load_split(directory: str, name: str, expected_count: int | None = None) -> Split:
    """One split ("train" or "test"), checked. `expected_count` defaults to the data
    set's own size; a smaller one lets the tests use small files they make."""
    images_file, labels_file, full_count = FILES[name]
    count = full_count if expected_count is None else expected_count
    images_path = os.path.join(directory, images_file)
    labels_path = os.path.join(directory, labels_file)
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if images.shape != (count, ROWS, COLS):
        raise IdxError(f"{images_path}: shape {images.shape}, expected ({count}, {ROWS}, {COLS})")
    if labels.shape != (count,):
        raise IdxError(f"{labels_path}: {labels.shape[0]} labels, expected {count}")
    if labels.max(initial=0) >= CLASSES:
        bad = int(np.argmax(labels >= CLASSES))
        raise IdxError(f"{labels_path}: label {labels[bad]} at index {bad}, classes are 0..{CLASSES - 1}")
    if count % CLASSES == 0:
        per_class = np.bincount(labels, minlength=CLASSES)
        if not np.all(per_class == count // CLASSES):
            raise IdxError(
                f"{labels_path}: per-class counts {per_class.tolist()}, expected {count // CLASSES} each"
            )
    return Split(images, labels)


def load(directory: str = DEFAULT_DIRECTORY) -> tuple[Split, Split]:
    """(train, test) of the full data set."""
    if not os.path.isdir(directory):
        raise IdxError(
            f"{directory}: no such directory; install Debian's dataset-fashion-mnist "
            "(bash scripts/setup.sh) or pass --data DIR"
        )
    return load_split(directory, "train"), load_split(directory, "test")
