"""A small reader of gzip-compressed IDX files (the MNIST / Fashion-MNIST format).

An IDX file is a 4-byte magic number, one big-endian uint32 per dimension, then the
values in row-major order. The magic is two zero bytes, a type code (0x08: unsigned byte,
the only type these data sets use) and the number of dimensions; so 2051 = 0x00000803 is
an image file (count x rows x cols) and 2049 = 0x00000801 a label file (count).

The reader checks everything it can without trusting the file: the gzip stream is whole,
the magic is what the caller expects, and the decompressed size is exactly the header plus
the product of the dimensions (a short or a long file is an error, never a silently
truncated or padded array). Every error is an IdxError that names the file and what is
wrong.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import numpy as np

UNSIGNED_BYTE = 0x08
IMAGES_MAGIC = 0x00000803  # 2051: ubyte, 3 dimensions
LABELS_MAGIC = 0x00000801  # 2049: ubyte, 1 dimension


class IdxError(ValueError):
    """A file that is not the IDX file the caller asked for."""


def _decompress(path: str) -> bytes:
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise IdxError(f"{path}: no such file") from None
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as e:
        # EOFError: the gzip stream ends early (a truncated download or copy).
        raise IdxError(f"{path}: not a whole gzip stream ({e})") from None


def parse_idx(data: bytes, expected_magic: int, where: str) -> np.ndarray:
    """The array held by the IDX bytes `data`; `where` names the source in errors."""
    if len(data) < 4:
        raise IdxError(f"{where}: {len(data)} bytes, too short for an IDX header")
    (magic,) = struct.unpack(">I", data[:4])
    if magic != expected_magic:
        raise IdxError(
            f"{where}: magic number {magic} (0x{magic:08x}), expected {expected_magic} "
            f"(0x{expected_magic:08x}: unsigned bytes, {expected_magic & 0xFF} dimension(s))"
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IdxError(f"{where}: {len(data)} bytes, the header of {ndim} dimensions needs {header}")
    dims = struct.unpack(f">{ndim}I", data[4:header])
    count = 1
    for d in dims:
        count *= d
    if len(data) != header + count:
        raise IdxError(
            f"{where}: {len(data) - header} bytes of values after the header, but the "
            f"dimensions {'x'.join(map(str, dims))} need {count}"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def read_idx(path: str | os.PathLike, expected_magic: int) -> np.ndarray:
    """Reads the gzip IDX file at `path`, checked against `expected_magic`."""
    path = os.fspath(path)
    return parse_idx(_decompress(path), expected_magic, path)
