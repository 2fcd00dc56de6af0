"""quench.torch.QuenchSGD: quenching SGD as a ``torch.optim.Optimizer``.

Two implementations of one algorithm (docs/spec.md steps 1-6, E15-E20, with the options of the
errata X8, X9, X11, X13, X14, X15 and the tempering floors eta_min, min_weight):

* fused: the C++ core's pass (``quench.step``) on contiguous CPU float32/float64 tensors,
  in place through the buffer protocol (the state tensors are views of the core's arrays);
* foreach: tensor operations (``torch._foreach_*``) for any device and floating dtype,
  written in the core's expression order (``core/include/quench/coordinate_update.hpp``:
  every ``+ - * /`` rounded once, no fused multiply-add), so that on CPU in float32 and
  float64 the two agree bit for bit; with ``bit_identical=False`` in fewer, fused ops (lerp,
  addcmul, addcdiv: faster, a few ulps from the core per step, inside the oracle's model);
  the coordinates go through it in cache-sized blocks (quench/_foreach.py).

The state of a parameter (``optimizer.state[p]``): ``step`` (int64 count), ``mean`` (m, the
raw running average of the gradient), ``second`` (v, of its square), ``mass`` (c = 1 -
prod(1 - w), only with bias correction), ``weight`` (w = B/B* for the next gradient), each
of the parameter's shape and dtype; with ``diagnostics=True`` also ``eta`` and ``Bstar`` of
the last step and ``variance`` (E16) after it. ``optimizer.diagnostics(p)`` computes gt, st,
var and B* from the state at any time.

``batch_size`` is the number of examples averaged into the gradient the optimizer sees. Under
``DistributedDataParallel`` that is the global batch: every rank's gradient is the
all-reduced mean over all ranks' examples, so ``batch_size`` = per-rank batch x world size.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.optim import Optimizer

from ._constants import StepConstants
from ._foreach import largest_gradient as _largest_gradient, quench_step as _foreach_quench
from ._groups import _AUTO, _OPTION_NAMES, _UNSET, hyperparameters
from . import InvalidInputError, QuenchOverflowError, State, _core
from ._arrays import as_buffer

__all__ = ["QuenchSGD"]

# The group entries that make up its Hyperparameters (what hyperparameters() reads).
_SETTING_NAMES = ("batch_size", "K", "L", "lambda_eta", "lambda_B", "eps", "literal") + _OPTION_NAMES

_NUMPY_DTYPE = {torch.float32: np.float32, torch.float64: np.float64}
_ONE_STEP = torch.tensor(1, dtype=torch.int64)  # a 0-d tensor: a Python 1 is converted once per tensor


def _Constants(h, dtype):
    """The core's per-step constants for tensors of ``dtype`` (see quench/_constants.py)."""
    return StepConstants(h, _NUMPY_DTYPE.get(dtype, np.float32), torch.finfo(dtype).tiny)


def _check_gradients(params, grads, limit):
    """Names the first gradient coordinate that the core's input check refuses (finite,
    |g| <= limit = sqrt(max)/2), raising InvalidInputError; for a group whose check failed.
    Compared in float64, where every float32/float64 gradient and the limit are exact."""
    for i, g in enumerate(grads):
        bad = ~(g.abs().to(torch.float64) <= limit)
        if bool(bad.any()):
            j = int(bad.reshape(-1).nonzero()[0])
            raise InvalidInputError(f"QuenchSGD: gradient of parameter {i} of this group (shape "
                                    f"{tuple(params[i].shape)}), flat coordinate {j}, is {float(g.reshape(-1)[j])} "
                                    f"(must be finite with |g| <= sqrt(max)/2)")
    raise AssertionError("QuenchSGD: the gradient check failed but no coordinate is out of range")


def _fusable(p: torch.Tensor) -> bool:
    return p.device.type == "cpu" and p.dtype in _NUMPY_DTYPE and p.is_contiguous() and p.layout == torch.strided


class QuenchSGD(Optimizer):
    """Quenching SGD (McAllester): per-coordinate rates eta = lambda_eta gt^2/var from running
    averages of the gradient and its square, and per-coordinate windows B/B*.

    Args:
        params: parameters or param groups (each group may override any argument below).
        batch_size: B, the examples averaged into each gradient (DDP: the global batch).
        K: warm-up steps (eta = 0, B* = K for t <= K).
        L: smoothness bound (|loss''| <= L): lambda_eta = B/(32 L) (X10) and eta_max =
            1/(2 L) (X9, unless given). Give L or lambda_eta, not both.
        lambda_eta: the rate constant of E18 (instead of L).
        lambda_B: the window constant of E17 (16 in the derivation, E12).
        eps: keeps B* finite when gt = 0 (E17).
        clamp_weight, max_weight, clamp_variance, eta_max, bias_correction, noise: the
            core's options (README's table); unset ones take the core's defaults, or with
            ``literal=True`` the slides' literal values (every option off).
        eta_min, min_weight: tempering (README's table; off unless given): the floors
            eta >= eta_min after warm-up (after the eta_max cap) and w >= min_weight (after
            the weight limits, in warm-up too; the reported B* is not limited).
        maximize: ascend instead of descend (the algorithm sees -grad).
        foreach: True: the tensor-op implementation for every parameter.
        fused: True: the C++ core for every parameter (contiguous CPU float32/float64 only).
            Neither (None): the core where it applies, tensor ops elsewhere.
        bit_identical: True (default): the tensor ops follow the core's expression order
            and give its results bit for bit on CPU float32/float64. False: fewer, fused
            tensor ops (about 14 a coordinate instead of 24): faster, results within a few
            ulps of the core's per step and accepted by the oracle's stepwise check, not
            bit for bit. Has no effect on parameters the fused C++ pass steps.
        diagnostics: keep ``eta``, ``Bstar`` and ``variance`` in the state after each step.
        differentiable, capturable: accepted for the convention; True is refused (the
            windows and the warm-up branch are not differentiable or graph-capturable here).
    """

    def __init__(self, params, *, batch_size, K, L=None, lambda_eta=None, lambda_B=16.0, eps=1e-12,
                 clamp_weight=_UNSET, max_weight=_UNSET, clamp_variance=_UNSET, eta_max=_AUTO,
                 bias_correction=_UNSET, noise=_UNSET, eta_min=_UNSET, min_weight=_UNSET, literal=False,
                 maximize=False, foreach=None, fused=None, bit_identical=True, diagnostics=False,
                 differentiable=False, capturable=False):
        if eta_max == _AUTO and literal:
            eta_max = _UNSET
        defaults = dict(batch_size=batch_size, K=K, L=L, lambda_eta=lambda_eta, lambda_B=lambda_B, eps=eps,
                        clamp_weight=clamp_weight, max_weight=max_weight, clamp_variance=clamp_variance,
                        eta_max=eta_max, bias_correction=bias_correction, noise=noise, eta_min=eta_min,
                        min_weight=min_weight, literal=literal,
                        maximize=maximize, foreach=foreach, fused=fused, bit_identical=bit_identical,
                        diagnostics=diagnostics,
                        differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def add_param_group(self, param_group):
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        hyperparameters(group).validate()  # raises quench.InvalidHyperparameterError naming the field
        if group["differentiable"]:
            raise ValueError("QuenchSGD: differentiable=True is not supported (the clamps and the warm-up "
                             "branch of the algorithm have no useful derivative)")
        if group["capturable"]:
            raise ValueError("QuenchSGD: capturable=True is not supported (the warm-up test reads the step "
                             "count on the host)")
        if not isinstance(group["bit_identical"], bool):
            raise TypeError(f"QuenchSGD: bit_identical must be True or False, got {group['bit_identical']!r}")
        if group["foreach"] and group["fused"]:
            raise ValueError("QuenchSGD: foreach=True and fused=True cannot both be set")
        if group["fused"]:
            for p in group["params"]:
                if not _fusable(p):
                    raise ValueError(f"QuenchSGD: fused=True needs contiguous CPU float32/float64 parameters, got "
                                     f"{p.dtype} on {p.device}{'' if p.is_contiguous() else ' (not contiguous)'}")

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:  # optimizers pickled before the option existed
            group.setdefault("bit_identical", True)
        self._fused_states = {}

    def __repr__(self):
        lines = [self.__class__.__name__ + " ("]
        keys = ("batch_size", "K", "L", "lambda_eta", "lambda_B", "eps") + _OPTION_NAMES + (
            "literal", "maximize", "foreach", "fused", "bit_identical", "diagnostics")
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in keys:
                lines.append(f"    {key}: {group.get(key, _UNSET)}")
            lines.append(f"    core: {hyperparameters(group)!r}")
        lines.append(")")
        return "\n".join(lines)

    # ---- state ------------------------------------------------------------------------

    def _init_group(self, group, h, params, grads, states):
        for p in group["params"]:
            if p.grad is None:
                continue
            if p.grad.is_sparse:
                raise RuntimeError("QuenchSGD does not support sparse gradients (the running averages are dense; "
                                   "use a dense gradient, e.g. nn.Embedding(sparse=False))")
            if not p.is_floating_point():
                raise TypeError(f"QuenchSGD: parameters must be floating point, got {p.dtype}")
            state = self.state[p]
            if len(state) == 0:
                k = _Constants(h, p.dtype)
                state["step"] = torch.tensor(0, dtype=torch.int64)
                state["mean"] = torch.zeros_like(p, memory_format=torch.contiguous_format)
                state["second"] = torch.zeros_like(p, memory_format=torch.contiguous_format)
                if k.bias:
                    state["mass"] = torch.zeros_like(p, memory_format=torch.contiguous_format)
                state["weight"] = torch.full_like(p, k.warm_weight, memory_format=torch.contiguous_format)
            if ("mass" in state) != h.options.bias_correction:
                raise ValueError("QuenchSGD: the state was built with another bias_correction option")
            if group["diagnostics"] and "eta" not in state:
                state["eta"] = torch.zeros_like(p, memory_format=torch.contiguous_format)
                state["Bstar"] = torch.zeros_like(p, memory_format=torch.contiguous_format)
                state["variance"] = torch.zeros_like(p, memory_format=torch.contiguous_format)
            params.append(p)
            grads.append(p.grad)
            states.append(state)

    def load_state_dict(self, state_dict):
        # Optimizer.load_state_dict casts "step" to float32 for groups with a `fused` key set;
        # the count is an integer here (exact beyond 2^24 steps): keep the saved one.
        steps = {k: v["step"].clone() for k, v in state_dict["state"].items() if "step" in v}
        super().load_state_dict(state_dict)
        self._fused_states = {}
        ids = [i for g in state_dict["param_groups"] for i in g["params"]]
        params = [p for g in self.param_groups for p in g["params"]]
        for i, p in zip(ids, params):
            if i in steps:
                self.state[p]["step"] = steps[i].to(torch.int64)

    # ---- the step ---------------------------------------------------------------------

    @torch.no_grad()
    def step(self, closure=None):
        """One step of quenching SGD for every parameter with a gradient.

        Args:
            closure (Callable, optional): re-evaluates the model and returns the loss.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._step_group(group)
        return loss

    # The group's step runs eagerly, outside torch.compile's tracing: it reads the core's
    # Hyperparameters (a pybind11 object dynamo cannot guard on) and calls the core, and the
    # tensor-op path reads the step count and its two checks on the host, each of which
    # would break the graph anyway.
    @torch._disable_dynamo
    def _step_group(self, group):
        params, grads, states = [], [], []
        h = self._settings(group)[0]
        self._init_group(group, h, params, grads, states)
        if not params:
            return
        if group["maximize"]:
            grads = [torch.neg(g) for g in grads]
        fused, rest = [], []
        for item in zip(params, grads, states):
            use_core = group["fused"] or (group["foreach"] is not True and group["fused"] is None
                                         and _fusable(item[0]) and item[1].is_contiguous())
            (fused if use_core else rest).append(item)
        stepped = []  # the counts of the tensors stepped, in one op (an add_ each costs ~2 us)
        try:
            for p, g, state in fused:
                self._fused_step(p, g, state, h, group["diagnostics"])
                stepped.append(state["step"])
        finally:  # a tensor whose step raised keeps its count, as before the step
            if stepped:
                torch._foreach_add_(stepped, _ONE_STEP)
        if rest:
            self._foreach_step(rest, h, group)

    def _foreach_step(self, items, h, group):
        # One list per device, dtype and phase (warm-up or not), as the core branches on t.
        buckets = {}
        for p, g, state in items:
            warm = int(state["step"]) + 1 <= h.warmup
            buckets.setdefault((p.device, p.dtype, warm), []).append((p, g, state))
        diag = group["diagnostics"]
        for (device, dtype, warm), bucket in buckets.items():
            k = self._constants(group, h, dtype)
            ps = [p for p, _, _ in bucket]
            gs = [g if g.is_contiguous() else g.contiguous() for _, g, _ in bucket]
            sts = [s for _, _, s in bucket]
            outcome = _foreach_quench(ps, gs, [s["mean"] for s in sts], [s["second"] for s in sts],
                                      [s["mass"] for s in sts] if k.bias else None, [s["weight"] for s in sts], k,
                                      warm, etas=[s["eta"] for s in sts] if diag else None,
                                      bstars=[s["Bstar"] for s in sts] if diag else None,
                                      bit_identical=group.get("bit_identical", True))
            if outcome == "gradient":  # nothing was modified: find and name the coordinate
                _check_gradients(ps, gs, _largest_gradient(k, dtype))
            torch._foreach_add_([s["step"] for s in sts], _ONE_STEP)
            if diag:
                for s in sts:
                    s["variance"].copy_(_variance(s, k))
            if outcome == "overflow":
                raise QuenchOverflowError("QuenchSGD: a parameter overflowed to infinity in step()")

    def _settings(self, group):
        """(Hyperparameters, {dtype: constants}) of the group's current values: built and
        validated once per setting, not per step (a group's values may change between
        steps, e.g. under a scheduler; any change is a new setting)."""
        key = tuple(group[name] for name in _SETTING_NAMES)
        cache = self.__dict__.setdefault("_settings_cache", {})
        try:
            found = cache.get(key)
        except TypeError:  # an unhashable value (e.g. a tensor): no caching
            return hyperparameters(group), {}
        if found is None:
            if len(cache) >= 64:
                cache.clear()
            found = cache[key] = (hyperparameters(group), {})
        return found

    def _constants(self, group, h, dtype):
        """The step's constants (quench/_constants.py) of the group's setting in dtype."""
        per_dtype = self._settings(group)[1]
        k = per_dtype.get(dtype)
        if k is None:
            k = per_dtype[dtype] = _Constants(h, dtype)
        return k

    def _fused_step(self, p, g, state, h, diagnostics):
        core, param = self._core_state(p, state, h)
        core.t = int(state["step"])
        # a flat NumPy view of the gradient (autograd gives it the parameter's device, dtype and
        # a dense layout, which _fusable checked); as_buffer's general checks cost ~4 us a tensor
        if not g.is_contiguous():
            g = g.contiguous()
        grad = (g.detach() if g.requires_grad else g).numpy().reshape(-1)
        if diagnostics:
            _core.step(core, h, grad, param, as_buffer(state["eta"], "eta").reshape(-1),
                       as_buffer(state["Bstar"], "Bstar").reshape(-1))
        else:
            _core.step(core, h, grad, param, None, None)
        if diagnostics:
            state["variance"].view(-1).copy_(torch.from_numpy(core.running_variance(h)))

    def _core_state(self, p, state, h):
        """The core's State behind a parameter's state tensors (which are views of its arrays)
        and a flat NumPy view of the parameter, kept between steps (building them costs more
        than a step of a small tensor). Rebuilt, by copying the tensors in, when the tensors
        were replaced (load_state_dict) or the parameter's storage was (p.data = ...)."""
        if not hasattr(self, "_fused_states"):
            self._fused_states = {}
        names = ("mean", "second", "weight") + (("mass",) if "mass" in state else ())
        found = self._fused_states.get(p)
        if found is not None:
            core, pointers, param, where = found
            if where == p.data_ptr() and pointers == tuple(state[n].data_ptr() for n in names):
                return core, param
            if pointers == tuple(state[n].data_ptr() for n in names):  # only the parameter moved
                param = as_buffer(p, "param").reshape(-1)
                self._fused_states[p] = (core, pointers, param, p.data_ptr())
                return core, param
        core = State(p.numel(), h, _NUMPY_DTYPE[p.dtype])
        for n in names:
            view = torch.from_numpy(getattr(core, n))
            view.copy_(state[n].reshape(-1))
            state[n] = view.view(p.shape)
        param = as_buffer(p, "param").reshape(-1)
        self._fused_states[p] = (core, tuple(state[n].data_ptr() for n in names), param, p.data_ptr())
        return core, param

    # ---- what a user reads -----------------------------------------------------------

    @torch.no_grad()
    def diagnostics(self, p):
        """gt (E15), st (E16), var (E16, X11) and B* (E17) of a parameter after its last step,
        in the core's expression order (running_mean, running_variance, batch_star)."""
        state = self.state[p]
        group = next(g for g in self.param_groups if any(q is p for q in g["params"]))
        h = hyperparameters(group)
        k = _Constants(h, p.dtype)
        m, v = state["mean"], state["second"]
        c = state.get("mass")
        out = {"gt": m / c if c is not None else m.clone(), "st": v / c if c is not None else v.clone(),
               "var": _variance(state, k)}
        if int(state["step"]) <= h.warmup:
            out["Bstar"] = torch.full_like(m, k.warmup_batch)
        else:
            d = _scaled_variance(state, k)
            scale = (c * c) * k.epsilon if c is not None else torch.full_like(m, k.epsilon)
            scale = scale + m * m
            out["Bstar"] = (d * k.batch_factor) / scale
        return out


def _scaled_variance(state, k):
    """D = c v - m^2, clamped at 0 under X11 (quench_sgd.hpp's running_variance)."""
    m, v, c = state["mean"], state["second"], state.get("mass")
    d = (c * v if c is not None else v.clone()) - m * m
    return d.clamp_min(0.0) if k.clamp_variance else d


def _variance(state, k):
    """var = D / c^2 (E16), as the core's running_variance computes it."""
    d = _scaled_variance(state, k)
    c = state.get("mass")
    return d / (c * c) if c is not None else d
