"""The optimisation methods of the study and the one meta-parameter each one tunes.

Baselines (DeepOBS's three): SGD, SGD with momentum 0.9 (DeepOBS's momentum baseline), and
Adam (betas 0.9/0.999, eps 1e-8), each with its learning rate tuned on a log grid.

Quenching SGD (quench.torch.QuenchSGD), the core's per-example statistic and default
options, batch size B = the problem's, warm-up K, lambda_B = 16 (E12):
- quench_derived: the derivation's meta-parameters, lambda_eta = B/(32 L) (X10) and
  eta_max = 1/(2 L) (X9), with L from smoothness.py; nothing tuned.
- quench_tuned: lambda_eta = c * B/(32 L) with the factor c tuned on a log grid, eta_max
  kept at 1/(2 L) (the cap that the derivation proves, not a tuning knob).
- quench_tuned_L: the derivation with L replaced by a tuned L/c: lambda_eta = c B/(32 L)
  and eta_max = c/(2 L). Tuning SGD's learning rate is tuning its 1/L in the same way; this
  variant tells whether quench_tuned is held back by the cap rather than by quenching.
- quench_tempered: quench_tuned at its tuned c, plus the tempering option(s) given on the
  command line (README: what the core should provide). It reuses quench_tuned's c, so
  the comparison with quench_tuned isolates the tempering. The runner's own option
  eta_min_fraction=F becomes the core option eta_min = F * eta_max.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

import quench_adapter

LAMBDA_BATCH = 16.0  # E12
MOMENTUM = 0.9


@dataclass(frozen=True)
class Method:
    id: str
    label: str
    tuned: str | None  # the tuned meta-parameter's name; None: nothing to tune here
    uses_quench: bool
    # the tuned value is taken from this method's tuning instead of its own
    tuned_from: str | None = None


METHODS = {
    m.id: m
    for m in (
        Method("sgd", "SGD", "lr", False),
        Method("momentum", "SGD + momentum 0.9", "lr", False),
        Method("adam", "Adam", "lr", False),
        Method("quench_derived", "quenching SGD, derived", None, True),
        Method("quench_tuned", "quenching SGD, lambda_eta tuned", "c", True),
        Method("quench_tuned_L", "quenching SGD, L tuned (lambda_eta and eta_max)", "c", True),
        Method("quench_tempered", "quenching SGD, tuned + tempering", "c", True, tuned_from="quench_tuned"),
    )
}


def log_grid(low: float, high: float, points: int) -> list[float]:
    """`points` values evenly spaced in log10 from low to high (both included), rounded to
    4 significant digits so that file names and tables stay readable."""
    if points < 1 or not (0 < low <= high):
        raise ValueError(f"bad grid {low}..{high} with {points} points")
    if points == 1:
        return [float(f"{low:.4g}")]
    return [float(f"{v:.4g}") for v in np.logspace(np.log10(low), np.log10(high), points)]


@dataclass(frozen=True)
class QuenchContext:
    batch_size: int
    L: float
    warmup: int
    tempering: dict[str, Any]

    def settings(self, factor: float, tempered: bool, scale_cap: bool = False) -> dict[str, Any]:
        s: dict[str, Any] = {
            "batch_size": float(self.batch_size),
            "warmup": self.warmup,
            "lambda_batch": LAMBDA_BATCH,
            "lambda_rate": factor * self.batch_size / (32.0 * self.L),  # X10
            "eta_max": (factor if scale_cap else 1.0) / (2.0 * self.L),  # X9
        }
        if tempered:
            for name, value in self.tempering.items():
                if name == "eta_min_fraction":
                    s["eta_min"] = value * s["eta_max"]
                else:
                    s[name] = value
        return s


def make_optimizer(method: Method, value: float | None, params, quench: QuenchContext) -> torch.optim.Optimizer:
    """The optimizer of `method` with tuned value `value` (None for quench_derived)."""
    params = list(params)
    if method.id == "sgd":
        return torch.optim.SGD(params, lr=value)
    if method.id == "momentum":
        return torch.optim.SGD(params, lr=value, momentum=MOMENTUM)
    if method.id == "adam":
        return torch.optim.Adam(params, lr=value)
    if method.id == "quench_derived":
        return quench_adapter.make(params, quench.settings(1.0, tempered=False))
    if method.id in ("quench_tuned", "quench_tempered", "quench_tuned_L"):
        return quench_adapter.make(params, quench.settings(value, tempered=method.id == "quench_tempered",
                                                           scale_cap=method.id == "quench_tuned_L"))
    raise KeyError(method.id)


def parse_tempering(items: list[str]) -> dict[str, Any]:
    """NAME=VALUE pairs (values are numbers) into a dict, with clear errors."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--tempering {item!r}: expected NAME=VALUE")
        try:
            out[name] = float(raw)
        except ValueError:
            raise ValueError(f"--tempering {item!r}: {raw!r} is not a number") from None
    return out
