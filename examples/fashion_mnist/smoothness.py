"""The smoothness constant L that quenching SGD's derived meta-parameters need
(lambda_eta = B/(32 L), X10; eta_max = 1/(2 L), X9).

fmnist_logreg: a proven bound, computed exactly from the training data.
---------------------------------------------------------------------
Claim: for all weights W (10 x 784) and biases b, the Hessian H of the mean softmax
cross-entropy l(W, b) = (1/n) sum_k -log softmax(W x_k + b)_{y_k} satisfies
||H|| <= (1/2) lambda_max(M), M = (1/n) sum_k xt_k xt_k^T, with xt = (x, 1) the input with
the bias feature appended.
Why: write Theta = [W b] (10 x 785), so the logits are z = Theta xt, linear in vec(Theta)
with Jacobian I_10 (x) xt^T. The Hessian of -log softmax(z)_y in z is
A = diag(p) - p p^T (p = softmax(z); it does not depend on y), so the Hessian in vec(Theta)
is A (x) xt xt^T. A is positive semi-definite (u^T A u is the variance of u under p) and,
by Gershgorin, each eigenvalue is at most max_i [p_i (1 - p_i) + sum_{j != i} p_i p_j]
= max_i 2 p_i (1 - p_i) <= 1/2. So (1/2) I - A is PSD, the Kronecker product of two PSD
matrices is PSD, and 0 <= A (x) xt xt^T <= (1/2) I (x) xt xt^T; averaging over k,
0 <= H <= (1/2) I (x) M and ||H|| <= (1/2) lambda_max(M) for every (W, b): the loss is
L-smooth everywhere, which is what the descent lemma (E9) behind the derivation needs.

Evaluation without rounding error. The inputs are q/255 with integer grey levels q, and the
bias feature is 255/255, so M = G / (255^2 n) with the integer matrix G = Qt^T Qt
(Qt = [q, 255]). G is computed in float64 BLAS and is exact: every product is an integer
below 2^16 and every partial sum an integer below 255^2 * n < 2^53 (checked), so no
operation rounds, whatever the summation order. Then two upper bounds on lambda_max(G):
  - the trace (G is PSD);
  - Collatz-Wielandt: G is entrywise >= 0, so for ANY integer vector v > 0,
    rho(G) <= max_i (G v)_i / v_i, and rho(G) = lambda_max(G) for a PSD G. v comes from a
    float64 eigen-decomposition, scaled to integers in [1, 2^40]; its accuracy only affects
    tightness. G v is evaluated in Python's exact integers.
The bound is the smaller of the two, as an exact fraction, rounded up to a float.

fmnist_mlp, fmnist_2c2d: an estimate, not a bound.
---------------------------------------------------
These losses are not globally smooth (ReLU networks), so no L exists for the derivation to
use. The study uses the largest Hessian eigenvalue at the initial point, from a power
iteration with Hessian-vector products on a fixed sample of training images, and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

SCALE = 255


@dataclass(frozen=True)
class LogregBound:
    trace_bound: float  # (1/2) tr M, rounded up
    collatz_wielandt_bound: float  # (1/2) max_i (M v)_i / v_i, rounded up

    @property
    def L(self) -> float:
        return min(self.trace_bound, self.collatz_wielandt_bound)


def _round_up(q: Fraction) -> float:
    f = float(q)  # nearest
    return f if Fraction(f) >= q else math.nextafter(f, math.inf)


def logreg_bound(images: np.ndarray) -> LogregBound:
    """The proven L of the module docstring for uint8 images of shape (n, ...)."""
    n = images.shape[0]
    if n == 0:
        raise ValueError("logreg_bound: no images")
    q = images.reshape(n, -1).astype(np.float64)
    qt = np.concatenate([q, np.full((n, 1), float(SCALE))], axis=1)
    if SCALE * SCALE * n >= 2**53:
        raise ValueError(f"logreg_bound: {n} images are too many for exact float64 sums")
    g = qt.T @ qt
    if not np.array_equal(g, np.round(g)):  # cannot happen by the argument above
        raise ArithmeticError("logreg_bound: G is not integral")
    gi = g.astype(np.int64)
    denominator = 2 * SCALE * SCALE * n

    trace = Fraction(int(np.trace(gi)), denominator)

    _, vectors = np.linalg.eigh(g)
    v = np.abs(vectors[:, -1])
    v = v / v.max()
    # Integers in [1, 2^40] and Python's exact integers: no overflow, no rounding.
    vi = [max(1, int(round(float(t) * 2**40))) for t in v]
    rows = gi.tolist()
    worst = max(Fraction(sum(a * b for a, b in zip(row, vi)), vi[i]) for i, row in enumerate(rows))
    cw = worst / denominator
    return LogregBound(_round_up(trace), _round_up(cw))


def hessian_top_eigenvalue(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, iterations: int = 20, seed: int = 0
) -> float:
    """Power-iteration estimate of the largest-magnitude Hessian eigenvalue of the mean
    cross-entropy on (x, y) at the model's current parameters (float64 copy)."""
    params = [p.detach().double().requires_grad_(True) for p in model.parameters()]
    names = [n for n, _ in model.named_parameters()]
    x64 = x.double()

    def loss_of(ps):
        out = torch.func.functional_call(model, dict(zip(names, ps)), (x64,))
        return F.cross_entropy(out, y)

    g = torch.Generator().manual_seed(seed)
    v = [torch.randn(p.shape, generator=g, dtype=torch.float64) for p in params]
    norm = math.sqrt(sum(float((t * t).sum()) for t in v))
    v = [t / norm for t in v]
    grads = torch.autograd.grad(loss_of(params), params, create_graph=True)
    eigenvalue = 0.0
    for _ in range(iterations):
        hv = torch.autograd.grad(grads, params, grad_outputs=v, retain_graph=True)
        eigenvalue = sum(float((a * b).sum()) for a, b in zip(hv, v))
        norm = math.sqrt(sum(float((t * t).sum()) for t in hv))
        if norm == 0:
            return 0.0
        v = [t / norm for t in hv]
    return abs(eigenvalue)
