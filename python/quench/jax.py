"""quench.jax: quenching SGD as an optax-style GradientTransformation.

``tx = quench.jax.quench_sgd(batch_size=32, K=20, L=3.0)`` gives ``tx.init(params)`` and
``tx.update(grads, state, params=None) -> (updates, state)`` with ``updates = -eta * grads``
(apply with ``params + updates``, as ``optax.apply_updates`` does). The state is a NamedTuple
of pytrees shaped like the parameters; everything is jit-compatible (the warm-up branch is a
``jnp.where`` on the step count). float64 needs ``jax.config.update("jax_enable_x64", True)``.

The arithmetic is the core's expression order (``quench_sgd.hpp``): run op by op
(``jax.disable_jit()``) it equals the C++ core bit for bit in float32 and float64 (tested).
Under ``jit`` XLA's CPU back end may contract a product and a sum into one fused
multiply-add (observed here: last-bit differences in eta and the weight from the first
step after warm-up, even with optimization barriers), so a jitted run is a different
rounding of the same algorithm: the oracle's stepwise check judges it. Gradients are not validated inside jit
(the core's NaN/overflow refusal has no place in a traced function): check them outside.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ._constants import StepConstants
from ._groups import hyperparameters_from

__all__ = ["GradientTransformation", "QuenchState", "quench_sgd"]


class GradientTransformation(NamedTuple):
    """The (init, update) pair of optax."""

    init: Any
    update: Any


class QuenchState(NamedTuple):
    """count: steps taken; mean (m), second (v), mass (c; zeros unused without bias
    correction), weight (w for the next gradient) and eta (the rate of the last step), each a
    pytree like the parameters."""

    count: jax.Array
    mean: Any
    second: Any
    mass: Any
    weight: Any
    eta: Any


def quench_sgd(*, batch_size, K, L=None, lambda_eta=None, lambda_B=16.0, eps=1e-12, literal=False,
               **options) -> GradientTransformation:
    """Quenching SGD (docs/spec.md, E15-E20); arguments as for quench.torch.QuenchSGD (options:
    clamp_weight, max_weight, clamp_variance, eta_max, bias_correction, noise, and the tempering
    floors eta_min, min_weight)."""
    h = hyperparameters_from(batch_size=batch_size, K=K, L=L, lambda_eta=lambda_eta, lambda_B=lambda_B, eps=eps,
                             literal=literal, **options)
    h.validate()

    def constants(dtype):
        return StepConstants(h, np.dtype(dtype), np.finfo(np.dtype(dtype)).tiny)

    def init(params):
        def weight(p):
            return jnp.full_like(p, constants(p.dtype).warm_weight)
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
        return QuenchState(count=jnp.zeros([], jnp.int32), mean=zeros, second=zeros, mass=zeros,
                           weight=jax.tree_util.tree_map(weight, params), eta=zeros)

    def leaf(g, m, v, c, w):
        k = constants(g.dtype)
        keep = 1 - w
        c_new = keep * c + w if k.bias else jnp.ones_like(c)  # X15
        m_new = keep * m + w * g                            # E15 (products, then the sum)
        v_new = keep * v + w * (g * g)                     # E16
        m2 = m_new * m_new
        d = c_new * v_new - m2 if k.bias else v_new - m2       # D = c^2 var
        if k.clamp_variance:
            d = jnp.maximum(d, 0)                                 # X11
        divisor = jnp.maximum(d, k.floor) if k.clamp_variance else d
        inverse = 1 / divisor                                  # the one division
        eta = (k.rate_factor * m2) * inverse                     # E18/E20
        if k.eta_max is not None:
            eta = jnp.minimum(eta, k.eta_max)                     # X9
        if k.eta_min is not None:
            eta = jnp.maximum(eta, k.eta_min)                     # tempering: eta >= eta_min
        scale = (c_new * c_new) * k.epsilon + m2 if k.bias else m2 + k.epsilon
        w_new = (k.weight_factor * scale) * inverse              # E17, step 1
        if k.clamp_weight:
            w_new = jnp.minimum(w_new, 1)                         # X8
        if k.max_weight is not None:
            w_new = jnp.minimum(w_new, k.max_weight)              # X14
        if k.min_weight is not None:
            w_new = jnp.maximum(w_new, k.min_weight)              # tempering: w >= min_weight
        return c_new, m_new, v_new, eta, w_new, k

    def update(grads, state, params=None):
        warm = state.count + 1 <= h.warmup
        flat_g, tree = jax.tree_util.tree_flatten(grads)
        parts = [jax.tree_util.tree_leaves(x) for x in (state.mean, state.second, state.mass, state.weight)]
        out = {n: [] for n in ("updates", "mean", "second", "mass", "weight", "eta")}
        for g, m, v, c, w in zip(flat_g, *parts):
            c_new, m_new, v_new, eta, w_new, k = leaf(g, m, v, c, w)
            eta = jnp.where(warm, jnp.zeros_like(eta), eta)       # E18: eta = 0 for t <= K
            w_new = jnp.where(warm, jnp.full_like(w_new, k.warm_weight), w_new)
            out["updates"].append(-(eta * g))           # E20: phi + (-(eta g)) = phi - eta g
            for n, x in (("mean", m_new), ("second", v_new), ("mass", c_new), ("weight", w_new), ("eta", eta)):
                out[n].append(x)
        build = lambda n: jax.tree_util.tree_unflatten(tree, out[n])  # noqa: E731
        return build("updates"), QuenchState(count=state.count + 1, mean=build("mean"), second=build("second"),
                                             mass=build("mass"), weight=build("weight"), eta=build("eta"))

    update.hyperparameters = h  # for quench.oracle.JaxRecorder's trace header
    return GradientTransformation(init, update)


def apply_updates(params, updates):
    """params + updates, leaf by leaf (as optax.apply_updates)."""
    return jax.tree_util.tree_map(lambda p, u: p + u, params, updates)


def diagnostics(state, bias_correction=True):
    """gt = m/c and st = v/c (E15, E16) per leaf, as the recorder needs them."""
    if not bias_correction:
        return state.mean, state.second
    gt = jax.tree_util.tree_map(lambda m, c: m / c, state.mean, state.mass)
    st = jax.tree_util.tree_map(lambda v, c: v / c, state.second, state.mass)
    return gt, st
