"""quench: McAllester's quenching SGD from Python.

The compiled core (``quench._core``) runs the C++ step on NumPy arrays and CPU torch
tensors without copying them; ``quench.torch`` is a ``torch.optim`` optimizer,
``quench.jax`` an optax-style transformation, ``quench.oracle`` records a run and asks the
reference oracle for a verdict, and ``quench.theory`` has the closed forms (E3-E29).
"""

import numpy as _np

from . import _core
from ._arrays import as_buffer
from ._core import (
    Hyperparameters,
    InvalidHyperparameterError,
    InvalidInputError,
    Noise,
    Options,
    QuenchOverflowError,
    State32,
    State64,
    ZeroVarianceError,
    active_kernel_isa,
    theory,
)

__all__ = [
    "Hyperparameters", "Options", "Noise", "State", "State32", "State64", "step",
    "InvalidHyperparameterError", "InvalidInputError", "ZeroVarianceError", "QuenchOverflowError",
    "largest_gradient", "smallest_gradient", "active_kernel_isa", "theory",
]

_STATES = {_np.dtype(_np.float64): State64, _np.dtype(_np.float32): State32}


def State(dimension, hyper, dtype=_np.float64):
    """A fresh state for ``dimension`` coordinates (gt = st = 0, B* = K) in float32 or float64."""
    try:
        cls = _STATES[_np.dtype(dtype)]
    except (KeyError, TypeError):
        raise TypeError(f"quench.State: dtype must be float32 or float64, got {dtype!r}") from None
    return cls(int(dimension), hyper)


def step(state, hyper, grad, param, eta=None, batch_star=None):
    """One step in place: ``param -= eta * grad`` (docs/spec.md steps 1-6, E20), by the C++ core.

    ``grad``, ``param`` (and the optional outputs ``eta``, ``batch_star``) are C-contiguous
    arrays or CPU tensors of the state's dtype with ``state.dimension`` elements; they are
    used in place, never copied, and the GIL is released during the pass. Nothing is
    modified when it raises, except after a ``QuenchOverflowError``.
    """
    return _core.step(state, hyper, as_buffer(grad, "grad"), as_buffer(param, "param"),
                      None if eta is None else as_buffer(eta, "eta"),
                      None if batch_star is None else as_buffer(batch_star, "batch_star"))


def largest_gradient(dtype=_np.float64):
    """sqrt(max)/2 of the dtype: the largest |grad| a step accepts."""
    dt = _np.dtype(dtype)
    if dt == _np.float64:
        return _core.largest_gradient64()
    if dt == _np.float32:
        return _core.largest_gradient32()
    raise TypeError(f"quench.largest_gradient: dtype must be float32 or float64, got {dtype!r}")


def smallest_gradient(dtype=_np.float64):
    """sqrt(min) of the dtype (float32 1.08e-19, float64 1.49e-154).

    The algorithm is scale-invariant in real arithmetic, a floating-point type is not: with
    gradients near or below this scale the second moment and the variance leave the normal
    range, and the X11 divisor floor, not the variance, decides eta. A step still accepts
    such gradients (a coordinate whose gradient is exactly 0 is common and exact); call
    ``State.first_coordinate_outside_accepted_range(hyper)`` after a step to find a
    coordinate whose rate is not the algorithm's.
    """
    dt = _np.dtype(dtype)
    if dt == _np.float64:
        return _core.smallest_gradient64()
    if dt == _np.float32:
        return _core.smallest_gradient32()
    raise TypeError(f"quench.smallest_gradient: dtype must be float32 or float64, got {dtype!r}")
