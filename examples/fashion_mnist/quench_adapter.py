"""The one place that knows how to reach quench.torch.QuenchSGD from the study.

The study speaks in the core's names (quench/hyperparameters.hpp): batch_size B, warmup K,
lambda_batch (lambda_B), lambda_rate (lambda_eta), epsilon, the option eta_max and the
tempering options eta_min and min_weight (README: tempering). This module maps them onto
QuenchSGD's keyword arguments (python/quench/torch.py) and reads the per-parameter
diagnostics that QuenchSGD keeps with diagnostics=True: `eta` and `Bstar` of the last step.
A setting QuenchSGD has no argument for is an error that names it, before any run starts.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch

# the study's name -> QuenchSGD's keyword argument; any other setting (every option of the
# core: eta_max, eta_min, min_weight, ...) is passed under its own name
KEYWORDS = {
    "batch_size": "batch_size",
    "warmup": "K",
    "lambda_batch": "lambda_B",
    "lambda_rate": "lambda_eta",
    "epsilon": "eps",
}
# the study reads eta and B* of the last step from optimizer.state[p]
STATE_ETA, STATE_BSTAR = "eta", "Bstar"


def load() -> tuple[Any, str]:
    """(QuenchSGD or None, why not)."""
    try:
        from quench.torch import QuenchSGD
    except Exception as e:  # ImportError, or a broken build of the extension
        return None, f"quench.torch.QuenchSGD is not importable ({type(e).__name__}: {e})"
    return QuenchSGD, ""


def keyword_arguments(cls: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """QuenchSGD's keyword arguments for the study's `settings`, with diagnostics on."""
    accepted = inspect.signature(cls).parameters
    kwargs: dict[str, Any] = {}
    for name, value in settings.items():
        keyword = KEYWORDS.get(name, name)
        if keyword not in accepted:
            raise TypeError(
                f"QuenchSGD has no argument '{keyword}' (the study's '{name}'); the tempering options "
                "eta_min and min_weight need a build of the quench package that has them "
                "(examples/fashion_mnist/README.md, tempering)"
            )
        kwargs[keyword] = value
    kwargs["diagnostics"] = True
    return kwargs


def make(params, settings: dict[str, Any]) -> torch.optim.Optimizer:
    cls, why = load()
    if cls is None:
        raise RuntimeError(why)
    return cls(params, **keyword_arguments(cls, settings))


def diagnostics(optimizer: torch.optim.Optimizer) -> tuple[float, float]:
    """(mean eta over all coordinates, median B* over all coordinates) of the last step,
    NaN where the optimizer's state does not hold them (before the first step)."""
    etas, bstars = [], []
    for group in optimizer.param_groups:
        for p in group["params"]:
            st = optimizer.state.get(p, {})
            if STATE_ETA in st:
                etas.append(st[STATE_ETA].detach().reshape(-1).double())
            if STATE_BSTAR in st:
                bstars.append(st[STATE_BSTAR].detach().reshape(-1).double())
    mean_eta = float(torch.cat(etas).mean()) if etas else float("nan")
    median_bstar = float(torch.cat(bstars).median()) if bstars else float("nan")
    return mean_eta, median_bstar
