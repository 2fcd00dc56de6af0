"""The IDX reader and the Fashion-MNIST loader on small files made here: what they read
back is what was written, and every kind of bad file is refused with a message naming the
file and the fault."""

from __future__ import annotations

import os

import numpy as np
import pytest
from conftest import idx_bytes, write_dataset, write_gz

import fmnist_data
from idx import IMAGES_MAGIC, LABELS_MAGIC, IdxError, parse_idx, read_idx


def test_round_trip(tmp_path):
    a = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = write_gz(str(tmp_path / "a.gz"), idx_bytes(a))
    b = read_idx(path, IMAGES_MAGIC)
    assert b.shape == (2, 3, 4)
    assert np.array_equal(a, b)


def test_labels_round_trip(tmp_path):
    a = np.array([9, 0, 3, 3], dtype=np.uint8)
    assert np.array_equal(read_idx(write_gz(str(tmp_path / "l.gz"), idx_bytes(a)), LABELS_MAGIC), a)


def test_bad_magic_is_named(tmp_path):
    a = np.zeros((2, 3, 4), dtype=np.uint8)
    path = write_gz(str(tmp_path / "labels-as-images.gz"), idx_bytes(a))
    with pytest.raises(IdxError, match=r"labels-as-images\.gz: magic number 2051 .* expected 2049"):
        read_idx(path, LABELS_MAGIC)


def test_wrong_type_code(tmp_path):
    a = np.zeros((2,), dtype=np.uint8)
    with pytest.raises(IdxError, match="magic number"):
        parse_idx(idx_bytes(a, magic=0x00000D01), LABELS_MAGIC, "f")  # 0x0D: float


def test_truncated_values(tmp_path):
    data = idx_bytes(np.ones((4, 28, 28), dtype=np.uint8))
    path = write_gz(str(tmp_path / "short.gz"), data[:-5])
    with pytest.raises(IdxError, match=r"short\.gz: 3131 bytes of values after the header, but the dimensions 4x28x28 need 3136"):
        read_idx(path, IMAGES_MAGIC)


def test_extra_bytes(tmp_path):
    path = write_gz(str(tmp_path / "long.gz"), idx_bytes(np.ones((3,), dtype=np.uint8)) + b"\x00")
    with pytest.raises(IdxError, match="4 bytes of values after the header, but the dimensions 3 need 3"):
        read_idx(path, LABELS_MAGIC)


def test_truncated_header(tmp_path):
    path = write_gz(str(tmp_path / "h.gz"), idx_bytes(np.ones((3, 2, 2), dtype=np.uint8))[:9])
    with pytest.raises(IdxError, match="the header of 3 dimensions needs 16"):
        read_idx(path, IMAGES_MAGIC)
    with pytest.raises(IdxError, match="too short for an IDX header"):
        parse_idx(b"\x00\x00", IMAGES_MAGIC, "x")


def test_truncated_gzip_stream(tmp_path):
    full = tmp_path / "full.gz"
    write_gz(str(full), idx_bytes(np.arange(1000, dtype=np.uint8) % 7))
    cut = tmp_path / "cut.gz"
    cut.write_bytes(full.read_bytes()[:-12])  # a download that stopped early
    with pytest.raises(IdxError, match=r"cut\.gz: not a whole gzip stream"):
        read_idx(str(cut), LABELS_MAGIC)


def test_not_gzip_and_missing(tmp_path):
    raw = tmp_path / "raw.gz"
    raw.write_bytes(idx_bytes(np.ones((3,), dtype=np.uint8)))  # uncompressed
    with pytest.raises(IdxError, match="not a whole gzip stream"):
        read_idx(str(raw), LABELS_MAGIC)
    with pytest.raises(IdxError, match="no such file"):
        read_idx(str(tmp_path / "absent.gz"), LABELS_MAGIC)


def test_loader_reads_a_balanced_set(tmp_path):
    made = write_dataset(str(tmp_path))
    tr = fmnist_data.load_split(str(tmp_path), "train", 30)
    te = fmnist_data.load_split(str(tmp_path), "test", 20)
    assert np.array_equal(tr.images, made["train"][0]) and np.array_equal(tr.labels, made["train"][1])
    assert np.array_equal(te.labels, made["test"][1])


def test_loader_refuses_wrong_count(tmp_path):
    write_dataset(str(tmp_path))
    with pytest.raises(IdxError, match=r"train-images-idx3-ubyte\.gz: shape \(30, 28, 28\), expected \(40, 28, 28\)"):
        fmnist_data.load_split(str(tmp_path), "train", 40)
    # the full-size default: the small files are not the real data set
    with pytest.raises(IdxError, match=r"expected \(60000, 28, 28\)"):
        fmnist_data.load_split(str(tmp_path), "train")


def test_loader_refuses_unbalanced_labels(tmp_path):
    write_dataset(str(tmp_path))
    labels = np.repeat(np.arange(10, dtype=np.uint8), 3)
    labels[0] = 1  # class 0 now has 2, class 1 has 4
    write_gz(os.path.join(tmp_path, "train-labels-idx1-ubyte.gz"), idx_bytes(labels))
    with pytest.raises(IdxError, match=r"per-class counts \[2, 4, 3, 3, 3, 3, 3, 3, 3, 3\], expected 3 each"):
        fmnist_data.load_split(str(tmp_path), "train", 30)


def test_loader_refuses_labels_of_another_length_or_range(tmp_path):
    write_dataset(str(tmp_path))
    write_gz(os.path.join(tmp_path, "train-labels-idx1-ubyte.gz"), idx_bytes(np.zeros(29, dtype=np.uint8)))
    with pytest.raises(IdxError, match="29 labels, expected 30"):
        fmnist_data.load_split(str(tmp_path), "train", 30)
    bad = np.repeat(np.arange(10, dtype=np.uint8), 3)
    bad[5] = 10
    write_gz(os.path.join(tmp_path, "train-labels-idx1-ubyte.gz"), idx_bytes(bad))
    with pytest.raises(IdxError, match="label 10 at index 5"):
        fmnist_data.load_split(str(tmp_path), "train", 30)


def test_loader_names_a_missing_directory(tmp_path):
    with pytest.raises(IdxError, match="dataset-fashion-mnist"):
        fmnist_data.load(str(tmp_path / "nowhere"))


@pytest.mark.skipif(not os.path.isdir(fmnist_data.DEFAULT_DIRECTORY), reason="Debian's dataset-fashion-mnist not installed")
def test_installed_data_set_passes_every_check():
    tr, te = fmnist_data.load()
    assert tr.images.shape == (60000, 28, 28) and te.images.shape == (10000, 28, 28)
    assert np.bincount(tr.labels).tolist() == [6000] * 10
    assert np.bincount(te.labels).tolist() == [1000] * 10
