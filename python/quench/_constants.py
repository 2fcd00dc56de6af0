"""The per-step constants of the core's StepConstants (quench_sgd.hpp), rounded in the
working dtype as the core rounds them in T: float32 by NumPy float32 arithmetic, float64 by
Python floats. Shared by the tensor-op implementations (torch foreach, JAX)."""

import numpy as np

from ._core import Noise


class StepConstants:
    def __init__(self, h, dtype, floor):
        """h: quench.Hyperparameters; dtype: np.float32 or np.float64 (others compute in
        float32); floor: the smallest normal number of the tensors' dtype (X11)."""
        t = np.dtype(dtype).type if np.dtype(dtype) in (np.float32, np.float64) else np.float32
        o = h.options
        B, lb, lr = t(h.batch_size), t(h.lambda_batch), t(h.lambda_rate)
        per_example = o.noise == Noise.per_example
        self.rate_factor = float(lr / B if per_example else lr)          # lambda_eta / s
        self.weight_factor = float(t(1) / lb if per_example else B / lb)  # B / (lambda_B s)
        self.batch_factor = float(lb * B if per_example else lb)          # lambda_B s
        self.epsilon = float(t(h.epsilon))
        w = B / t(h.warmup)                                               # E17: B* = K in warm-up
        if o.clamp_weight:
            w = min(w, t(1))
        if o.max_weight is not None:
            w = min(w, t(o.max_weight))
        if o.min_weight is not None:                                      # tempering: the floor
            w = max(w, t(o.min_weight))
        self.warm_weight = float(w)
        self.warmup = int(h.warmup)
        self.warmup_batch = float(t(h.warmup))
        self.floor = float(floor)
        self.eta_max = None if o.eta_max is None else float(t(o.eta_max))
        self.max_weight = None if o.max_weight is None else float(t(o.max_weight))
        self.eta_min = None if o.eta_min is None else float(t(o.eta_min))           # tempering
        self.min_weight = None if o.min_weight is None else float(t(o.min_weight))
        self.clamp_weight, self.clamp_variance, self.bias = o.clamp_weight, o.clamp_variance, o.bias_correction
        self.limit = float(np.sqrt(np.finfo(t).max) / 2)
