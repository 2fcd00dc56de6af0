"""The one place that knows how to reach quench.torch.QuenchSGD from the study.

The study speaks in the core's names (quench/hyperparameters.hpp): batch_size B, warmup K,
lambda_batch (lambda_B), lambda_rate (lambda_eta), epsilon, and the options eta_max and the
tempering options of the README. This module maps them onto QuenchSGD's keyword arguments
(by its signature, trying the aliases below), and reads the per-parameter diagnostics (eta,
B*) from the optimizer's state. Anything it cannot map is an error that names it.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch

# canonical name -> keyword arguments QuenchSGD may call it, in order of preference
ALIASES = {
    "batch_size": ("batch_size", "B"),
    "warmup": ("warmup", "K"),
    "lambda_batch": ("lambda_batch", "lambda_B"),
    "lambda_rate": ("lambda_rate", "lambda_eta"),
    "eta_max": ("eta_max",),
    "epsilon": ("epsilon", "eps"),
}
# flags the study asks for when QuenchSGD has them: keep eta and B* in the state after each step
REQUESTS = {"diagnostics": True}
ETA_KEYS = ("eta",)
BSTAR_KEYS = ("batch_star", "bstar", "Bstar", "B_star")


def load() -> tuple[Any, str]:
    """(QuenchSGD or None, why not)."""
    try:
        from quench.torch import QuenchSGD  # type: ignore[import-not-found]
    except Exception as e:  # ImportError, or a broken build of the extension
        return None, f"quench.torch.QuenchSGD is not importable ({type(e).__name__}: {e})"
    return QuenchSGD, ""


def keyword_arguments(cls: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """QuenchSGD's keyword arguments for the study's `settings` (canonical names; any
    other name, such as a tempering option, is passed under its own name)."""
    sig = inspect.signature(cls)
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())
    kwargs: dict[str, Any] = {}
    for name, value in settings.items():
        for alias in ALIASES.get(name, (name,)):
            if alias in sig.parameters:
                kwargs[alias] = value
                break
        else:
            if not accepts_any:
                raise TypeError(
                    f"QuenchSGD has no argument for '{name}' (tried {', '.join(ALIASES.get(name, (name,)))}); "
                    "a tempering option needs the core option described in examples/fashion_mnist/README.md"
                )
            kwargs[name] = value
    for name, value in REQUESTS.items():
        if name in sig.parameters:
            kwargs[name] = value
    return kwargs


def make(params, settings: dict[str, Any]) -> torch.optim.Optimizer:
    cls, why = load()
    if cls is None:
        raise RuntimeError(why)
    return cls(params, **keyword_arguments(cls, settings))


def _first(state: dict, keys: tuple[str, ...]) -> torch.Tensor | None:
    for k in keys:
        if k in state and isinstance(state[k], torch.Tensor):
            return state[k]
    return None


def diagnostics(optimizer: torch.optim.Optimizer) -> tuple[float, float]:
    """(mean eta over all coordinates, median B* over all coordinates) of the last step,
    NaN where the optimizer's state does not hold them."""
    etas, bstars = [], []
    for group in optimizer.param_groups:
        for p in group["params"]:
            st = optimizer.state.get(p, {})
            e, b = _first(st, ETA_KEYS), _first(st, BSTAR_KEYS)
            if e is not None:
                etas.append(e.detach().reshape(-1).double())
            if b is not None:
                bstars.append(b.detach().reshape(-1).double())
    mean_eta = float(torch.cat(etas).mean()) if etas else float("nan")
    median_bstar = float(torch.cat(bstars).median()) if bstars else float("nan")
    return mean_eta, median_bstar
