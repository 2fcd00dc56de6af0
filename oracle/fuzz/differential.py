#!/usr/bin/env python3
"""Differential test of the oracle's parsers against independent readers.

  differential.py DUMP_BINARY CORPUS_DIR [--inputs N] [--seed S]

Mutates the seed corpus (byte flips, insertions, deletions, header-text edits; a fixed
seed) and, for every input the oracle's reader accepts, checks that the independent reader
accepts it too and reads the same thing: numpy.load for .npy (same shape, values bit for
bit as float64), Python's json for JSON texts. The oracle may refuse more (it is stricter
by design: only '<f8'/'<f4', C order, no NaN, no duplicate keys); it must never accept what
the reference refuses, nor read other values. Exit 1 on a disagreement (printed)."""
import io
import json
import os
import random
import subprocess
import sys
import tempfile

import numpy


def mutate(data, rng):
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        if op == 0 and b:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif op == 1:
            b.insert(rng.randrange(len(b) + 1), rng.choice(b" \n\x00{}[](),:'\"0123456789eE.-+x#TrueFalse"))
        elif op == 2 and b:
            del b[rng.randrange(len(b))]
        elif op == 3 and b:
            i = rng.randrange(len(b))
            b[i:i] = b[max(0, i - 8):i]
        elif op == 4:
            b += bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b)


def numpy_reads(data):
    try:
        a = numpy.load(io.BytesIO(data), allow_pickle=False)
    except Exception:
        return None
    if a.dtype not in (numpy.float64, numpy.float32) or a.ndim not in (1, 2):
        return ("other",)
    a = numpy.ascontiguousarray(a.astype(numpy.float64))
    rows, cols = (1, a.shape[0]) if a.ndim == 1 else a.shape
    return (rows, cols, [format(v, "016x") for v in a.view(numpy.uint64).ravel()])


def json_reads(data):
    try:
        json.loads(data.decode("utf-8"))
        return True
    except Exception:
        return False


def main():
    dump, corpus = sys.argv[1], sys.argv[2]
    n = int(sys.argv[sys.argv.index("--inputs") + 1]) if "--inputs" in sys.argv else 2000
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)
    failures = 0
    checked = {"npy": 0, "json": 0}
    for kind, sub in (("npy", "npy"), ("json", "trace"), ("json", "candidate")):
        seeds = []
        for name in sorted(os.listdir(os.path.join(corpus, sub))):
            with open(os.path.join(corpus, sub, name), "rb") as f:
                data = f.read()
            if kind == "json":
                seeds += [line for line in data.split(b"\n") if line.strip()]
            else:
                seeds.append(data)
        with tempfile.TemporaryDirectory() as tmp:
            inputs = seeds + [mutate(rng.choice(seeds), rng) for _ in range(n)]
            paths = []
            for i, data in enumerate(inputs):
                p = os.path.join(tmp, "%d.bin" % i)
                with open(p, "wb") as f:
                    f.write(data)
                paths.append(p)
            out = []
            for k in range(0, len(paths), 500):
                out += subprocess.run([dump, kind] + paths[k:k + 500], check=True, capture_output=True,
                                      text=True).stdout.splitlines()
            for data, line in zip(inputs, out):
                if not line.startswith("ok"):
                    continue
                checked[kind] += 1
                if kind == "npy":
                    ref = numpy_reads(data)
                    fields = line.split()
                    ours = (int(fields[1]), int(fields[2]), fields[3:])
                    if ref is None or ref != ours:
                        failures += 1
                        print("npy disagreement: oracle %s, numpy %s, input %r" % (ours[:2], ref and ref[:2], data[:160]))
                elif not json_reads(data):
                    failures += 1
                    print("json disagreement: the oracle accepts, Python's json refuses: %r" % data[:160])
    print("differential: %d inputs per parser, oracle accepted %d .npy and %d JSON texts, %d disagreements"
          % (n, checked["npy"], checked["json"], failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
