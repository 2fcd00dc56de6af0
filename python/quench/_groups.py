"""The arguments of QuenchSGD's param groups (and of quench.jax.quench_sgd) turned into the
core's Hyperparameters: exactly one of L and lambda_eta, the options of the README's table
left unset take the core's defaults (or the slides' literal values with literal=True)."""

import math

from ._core import Hyperparameters, Noise, Options

_UNSET = "unset"
_AUTO = "auto"
# The core's options in its catalogue's order (quench::visit_options): a new option of the
# core is a new keyword of hyperparameters_from without a change here.
_OPTION_NAMES = tuple(Options.names())


def _noise(value):
    if isinstance(value, Noise):
        return value
    if value in ("per_example", "minibatch"):
        return getattr(Noise, value)
    raise ValueError(f"QuenchSGD: noise must be 'per_example' or 'minibatch' (X13), got {value!r}")


def hyperparameters(group) -> Hyperparameters:
    """The core's Hyperparameters of a param group (validated)."""
    opts = Options.literal() if group["literal"] else Options()
    for name in _OPTION_NAMES:
        value = group.get(name, _UNSET)  # a group saved before an option existed: its default
        if value == _UNSET:
            continue
        if name == "eta_max" and value == _AUTO:
            value = None if group["L"] is None else 1.0 / (2.0 * group["L"])  # E12, X9
        if name == "noise":
            value = _noise(value)
        setattr(opts, name, value)
    if (group["L"] is None) == (group["lambda_eta"] is None):
        raise ValueError("QuenchSGD: give exactly one of L (smoothness; lambda_eta = B/(32 L), X10) and lambda_eta")
    lambda_eta = group["lambda_eta"]
    if lambda_eta is None:
        if not (isinstance(group["L"], (int, float)) and math.isfinite(group["L"]) and group["L"] > 0):
            raise ValueError(f"QuenchSGD: L must be finite and > 0, got {group['L']!r}")
        lambda_eta = group["batch_size"] / (32.0 * group["L"])
    return Hyperparameters(batch_size=float(group["batch_size"]), warmup=int(group["K"]),
                           lambda_batch=float(group["lambda_B"]), lambda_rate=float(lambda_eta),
                           epsilon=float(group["eps"]), options=opts)



def hyperparameters_from(*, batch_size, K, L=None, lambda_eta=None, lambda_B=16.0, eps=1e-12, literal=False,
                         **options):
    """hyperparameters() of keyword arguments (unknown option names are errors)."""
    unknown = set(options) - set(_OPTION_NAMES)
    if unknown:
        raise TypeError(f"quench: unknown option(s) {sorted(unknown)}; the options are {list(_OPTION_NAMES)}")
    group = dict(batch_size=batch_size, K=K, L=L, lambda_eta=lambda_eta, lambda_B=lambda_B, eps=eps, literal=literal)
    for name in _OPTION_NAMES:
        group[name] = options.get(name, _UNSET)
    if "eta_max" not in options and not literal:
        group["eta_max"] = _AUTO
    return hyperparameters(group)
