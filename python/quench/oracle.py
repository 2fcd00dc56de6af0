"""quench.oracle: record a training run for the reference oracle and ask it for a verdict,
in-process (the ``quench-oracle`` command line compiled into ``quench._core``).

A recording is a directory: ``trace.jsonl`` (the header: hyper-parameters and options as
exact decimals of the values the optimizer used, ``phi0.npy``, ``g.npy``), and one ``.npy``
per recorded quantity, shape (steps, d), in the dtype the optimizer stores: ``gt``, ``st``
(the bias-corrected averages), ``eta`` (the rate of the step), ``phi`` (the parameters
after it), ``Bstar`` and ``var``: the per-step quantities of the oracle's stepwise check.
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import os
import pathlib
import tempfile

import numpy as np

from . import Noise, Options, _core
from ._groups import hyperparameters

__all__ = ["Recorder", "JaxRecorder", "RowFile", "write_recording", "Verdict", "check", "run", "derive", "oracle"]

QUANTITIES = ("gt", "st", "eta", "phi", "Bstar", "var")


def oracle(*arguments):
    """Runs ``quench-oracle ARGUMENTS...`` in-process: (exit status, stdout, stderr)."""
    return _core.oracle_main([str(a) for a in arguments])


def _exact(x, dtype) -> str:
    """The exact decimal of x rounded to dtype: the oracle reads decimals at its working
    precision, so it sees exactly the value the optimizer used."""
    return format(decimal.Decimal(float(np.dtype(dtype).type(x))), "f") if float(x) != int(x) else str(int(x))


def header(h, dtype, phi0_file, gradients_file, steps):
    """The trace header (oracle/schema/trace.schema.json) of Hyperparameters h as seen in dtype."""
    o = h.options
    hyper = {"batch_size": _exact(h.batch_size, dtype), "warmup": str(h.warmup),
             "lambda_rate": _exact(h.lambda_rate, dtype), "lambda_batch": _exact(h.lambda_batch, dtype),
             "epsilon": _exact(h.epsilon, dtype)}
    opts = {}
    for name in Options.names():  # every option of the core, as the trace schema spells it
        value = getattr(o, name)
        if isinstance(value, bool):
            opts[name] = json.dumps(value)
        elif isinstance(value, Noise):
            opts[name] = json.dumps("per_example" if value == Noise.per_example else "minibatch")
        else:  # a limit or a floor: a number, or null for none
            opts[name] = "null" if value is None else _exact(value, dtype)
    obj = lambda d: "{" + ", ".join(f'"{k}": {v}' for k, v in d.items()) + "}"  # noqa: E731
    return ('{"format": "quench-trace", "version": 1, "hyperparameters": ' + obj(hyper) + ', "options": ' + obj(opts)
            + f', "phi0": {json.dumps(phi0_file)}, "gradients": {json.dumps(gradients_file)}, "steps": {steps}}}')


class RowFile:
    """A (steps, d) ``.npy`` file written one row at a time: memory independent of the
    number of steps. The header is written first with room for any step count and
    rewritten with the real count by ``close()`` (same length, so the rows stay where they
    are); until then the file says 0 rows, so an interrupted run leaves a valid, empty array
    rather than a wrong one."""

    _WIDEST = 10 ** 20  # the header has room for a step count below this

    def __init__(self, path, dtype, d):
        self.path, self.dtype, self.d, self.rows = pathlib.Path(path), np.dtype(dtype).newbyteorder("<"), int(d), 0
        self._file = open(self.path, "wb")
        self._length = len(self._header(self._WIDEST))
        self._file.write(self._header(0))

    def _header(self, rows):
        text = repr({"descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False,
                     "shape": (rows, self.d)})
        body = text.encode("latin1")
        # magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64
        total = getattr(self, "_length", None) or -(-(10 + len(body) + 1) // 64) * 64
        return b"\x93NUMPY\x01\x00" + (total - 10).to_bytes(2, "little") + body + b" " * (total - 11 - len(body)) + b"\n"

    def append(self, row):
        row = np.ascontiguousarray(row, dtype=self.dtype)
        if row.shape != (self.d,):
            raise ValueError(f"quench.oracle: a row of {self.path.name} has shape {row.shape}, expected ({self.d},)")
        self._file.write(row.tobytes())
        self.rows += 1

    def close(self):
        if self._file.closed:
            return
        self._file.seek(0)
        self._file.write(self._header(self.rows))
        self._file.close()


class _Recording:
    """The files of one recording directory being written: one RowFile per quantity."""

    def __init__(self, directory, dtype, phi0, names):
        self.directory, self.dtype = pathlib.Path(directory), dtype
        self.directory.mkdir(parents=True, exist_ok=True)
        self.phi0 = np.asarray(phi0, dtype=dtype)
        self.files = {name: RowFile(self.directory / f"{name}.npy", dtype, self.phi0.size) for name in names}

    def append(self, name, row):
        self.files[name].append(row)

    def close(self, h):
        """Finishes the row files and writes phi0.npy and the trace header (trace.jsonl)."""
        for f in self.files.values():
            f.close()
        steps = self.files["g"].rows
        if steps == 0:
            raise ValueError("quench.oracle: no step was recorded")
        np.save(self.directory / "phi0.npy", self.phi0)
        text = header(h, self.dtype, "phi0.npy", "g.npy", steps)
        (self.directory / "trace.jsonl").write_text(text + "\n")
        return self.directory


class Recorder:
    """Records one param group of a ``QuenchSGD`` while it trains (step hooks): the gradient
    each step absorbs and the optimizer's own gt, st, eta, phi, Bstar and var after it.

    The group's parameters are flattened and concatenated in order (d = their total size)
    and must share one dtype. Turns the group's ``diagnostics`` on (eta and B* of the step
    are kept in the state). Each step's rows go to disk as it ends (the memory used does
    not grow with the number of steps); ``close()`` finishes the files and writes the
    header. Use it as a context manager.
    """

    def __init__(self, optimizer, directory, group=0):
        import torch

        self._torch = torch
        self.optimizer, self.group_index = optimizer, group
        self.group = optimizer.param_groups[group]
        self.group["diagnostics"] = True
        self.params = list(self.group["params"])
        dtypes = {p.dtype for p in self.params}
        if len(dtypes) != 1 or next(iter(dtypes)) not in (torch.float32, torch.float64):
            raise ValueError(f"quench.oracle.Recorder: the group's parameters must share float32 or float64, got {dtypes}")
        self.dtype = np.float32 if next(iter(dtypes)) == torch.float32 else np.float64
        self.directory = pathlib.Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.recording = _Recording(self.directory, self.dtype, self._flat(lambda p: p.detach()), ("g",) + QUANTITIES)
        self._pre = optimizer.register_step_pre_hook(self._before)
        self._post = optimizer.register_step_post_hook(self._after)
        self.closed = False

    def _flat(self, f):
        return np.concatenate([f(p).reshape(-1).cpu().numpy().astype(self.dtype, copy=True) for p in self.params])

    def _before(self, optimizer, args, kwargs):
        closure = kwargs.get("closure", args[1] if len(args) > 1 else None)  # args[0] is the optimizer
        if closure is not None:
            raise ValueError("quench.oracle.Recorder: record steps without a closure (the gradient must be known "
                             "before the step)")
        if any(p.grad is None for p in self.params):
            raise ValueError("quench.oracle.Recorder: every parameter of the group needs a gradient at every step")
        sign = -1 if self.group["maximize"] else 1
        self.recording.append("g", self._flat(lambda p: p.grad * sign))

    def _after(self, optimizer, args, kwargs):
        d = [optimizer.diagnostics(p) for p in self.params]
        state = [optimizer.state[p] for p in self.params]
        cat = lambda xs: np.concatenate([x.reshape(-1).cpu().numpy() for x in xs]).astype(self.dtype)  # noqa: E731
        for name, parts in (("gt", [x["gt"] for x in d]), ("st", [x["st"] for x in d]), ("var", [x["var"] for x in d]),
                            ("eta", [s["eta"] for s in state]), ("Bstar", [s["Bstar"] for s in state])):
            self.recording.append(name, cat(parts))
        self.recording.append("phi", self._flat(lambda p: p.detach()))

    def close(self):
        """Writes the recording; returns its directory."""
        if self.closed:
            return self.directory
        self._pre.remove()
        self._post.remove()
        self.closed = True
        self.recording.close(hyperparameters(self.group))
        return self.directory

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def write_recording(directory, h, dtype, phi0, rows):
    """Writes a recording: phi0.npy, g.npy, one (steps, d) .npy per recorded quantity (rows:
    name -> list of per-step 1-D arrays, "g" the gradients) and trace.jsonl."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    steps = len(rows["g"])
    if steps == 0:
        raise ValueError("quench.oracle: no step was recorded")
    np.save(directory / "phi0.npy", np.asarray(phi0, dtype=dtype))
    for name, r in rows.items():
        if r:
            np.save(directory / f"{name}.npy", np.stack(r).astype(dtype, copy=False))
    text = header(h, dtype, "phi0.npy", "g.npy", steps)
    (directory / "trace.jsonl").write_text(text + "\n")
    return directory


class JaxRecorder:
    """Records a run of a ``quench.jax.quench_sgd`` transformation: call ``record(grads,
    state, params)`` after each update with the gradients given to it, the new state and
    the new parameters (leaves flattened and concatenated in tree order, one dtype)."""

    def __init__(self, tx, directory, params):
        import jax

        self._leaves = jax.tree_util.tree_leaves
        self.h = tx.update.hyperparameters
        leaves = self._leaves(params)
        dtypes = {np.dtype(x.dtype) for x in leaves}
        if len(dtypes) != 1 or next(iter(dtypes)) not in (np.float32, np.float64):
            raise ValueError(f"quench.oracle.JaxRecorder: the parameters must share float32 or float64, got {dtypes}")
        self.dtype = next(iter(dtypes)).type
        self.directory = pathlib.Path(directory)
        self.recording = _Recording(self.directory, self.dtype, self._flat(params), ("g", "gt", "st", "eta", "phi"))

    def _flat(self, tree):
        return np.concatenate([np.asarray(x).reshape(-1) for x in self._leaves(tree)]).astype(self.dtype, copy=False)

    def record(self, grads, state, params):
        from .jax import diagnostics

        gt, st = diagnostics(state, self.h.options.bias_correction)
        for name, tree in (("g", grads), ("gt", gt), ("st", st), ("eta", state.eta), ("phi", params)):
            self.recording.append(name, self._flat(tree))

    def close(self):
        """Finishes the files and writes the header; returns the directory."""
        return self.recording.close(self.h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclasses.dataclass
class Verdict:
    """The oracle's judgement: ``verdict`` is "agree", "disagree" or "none" (no verdict),
    ``status`` the command's exit status (0, 1, 3), ``first_disagreement`` the report's
    "first outside" text, ``report`` the JSON report, ``text`` the printed report."""

    verdict: str
    status: int
    first_disagreement: str | None
    report: dict
    text: str

    def __bool__(self):
        return self.verdict == "agree"


def check(recording, quantities=("gt", "st", "eta", "phi"), *extra):
    """Judges a recording (a Recorder's directory) against the reference: the oracle's
    ``compare`` with the recorded quantities and no tolerance (the stepwise check where the
    oracle has it). Extra command-line arguments (e.g. "--ulps", "4") go through as given.
    Raises ValueError with the oracle's message on bad input (exit 2)."""
    directory = pathlib.Path(recording)
    candidate = ",".join(f"{q}={directory / (q + '.npy')}" for q in quantities)
    with tempfile.TemporaryDirectory() as tmp:
        report_file = pathlib.Path(tmp) / "report.json"
        status, out, err = oracle("compare", directory / "trace.jsonl", "--candidate-npy", candidate,
                                  "--report", report_file, *extra)
        if status == 2:
            raise ValueError(f"quench-oracle: {err.strip() or out.strip()}")
        report = json.loads(report_file.read_text()) if report_file.exists() else {}
    first = None
    for line in out.splitlines():
        if line.startswith("verdict:") and "(first outside:" in line:
            first = line.split("(first outside:", 1)[1].rstrip(")").strip()
    verdict = report.get("verdict") or {0: "agree", 1: "disagree"}.get(status, "none")
    return Verdict(verdict=verdict, status=status, first_disagreement=first, report=report, text=out)


def run(trace, precision="double", enclose=False):
    """The reference trajectory of a trace: a dict quantity -> (steps, d) float64 array
    (with ``enclose``, quantity -> (lower, upper))."""
    trace = pathlib.Path(trace)
    if trace.is_dir():
        trace = trace / "trace.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        args = ["run", trace, "--npy-dir", tmp, "--precision", precision] + (["--enclose"] if enclose else [])
        status, out, err = oracle(*args)
        if status != 0:
            raise ValueError(f"quench-oracle: {err.strip() or out.strip()}")
        result = {}
        for name in ("gt", "st", "var", "Bstar", "eta", "phi"):
            if enclose:
                result[name] = (np.load(os.path.join(tmp, f"{name}.lo.npy")), np.load(os.path.join(tmp, f"{name}.hi.npy")))
            else:
                result[name] = np.load(os.path.join(tmp, f"{name}.npy"))
        return result


def derive(precision="40", **inputs):
    """The closed forms (E3-E29) for the inputs given (sigma, g, L, B, eta, D, eta_ref,
    B_ref, b, delta, k, norm, r), as rigorous enclosures: a dict name -> the oracle's JSON
    object."""
    args = ["derive", "--json", "--precision", str(precision)]
    for name, value in inputs.items():
        args += [f"--{name}", repr(float(value)) if not isinstance(value, str) else value]
    status, out, err = oracle(*args)
    if status != 0:
        raise ValueError(f"quench-oracle: {err.strip() or out.strip()}")
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    return {row.get("name", str(i)): row for i, row in enumerate(rows)}
