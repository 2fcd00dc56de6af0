"""The smoothness bound of fmnist_logreg on small integer data made here.

The bound is attained: with W = 0 and biases (0, 0, -60, ..., -60) every example has
p = (1/2, 1/2, ~0, ...), so A = diag(p) - p p^T is the same for all examples with top
eigenvalue 1/2, and the Hessian is exactly A (x) M with norm (1/2) lambda_max(M). The test
computes that Hessian with autograd in float64 and compares it with L from both sides.
Error model for the tolerance: the Hessian and its eigenvalues in float64 carry a relative
error of order n_params * u ~ 1e-14, the Collatz-Wielandt bound exceeds lambda_max by at
most ||M - lambda I|| |v - v*| / min v ~ 1e-11 relative here (eigenvector from eigh, integer
rounding 2^-40), and exp(-60) ~ 1e-26 of probability mass sits off the two classes; 1e-9
covers all three.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import torch

import smoothness


def _data(n=40, pixels=6, seed=1):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 2, pixels // 2), dtype=np.uint8)


def _hessian_norm(images: np.ndarray, bias: torch.Tensor) -> float:
    x = torch.from_numpy(images.reshape(images.shape[0], -1).astype(np.float64) / 255)
    d = x.shape[1]

    def loss(theta):
        w = theta[: 10 * d].reshape(10, d)
        b = theta[10 * d :]
        logits = x @ w.T + b
        # every label 0: the Hessian of the cross-entropy does not depend on the labels
        return torch.nn.functional.cross_entropy(logits, torch.zeros(x.shape[0], dtype=torch.long))

    theta = torch.cat([torch.zeros(10 * d, dtype=torch.float64), bias])
    h = torch.autograd.functional.hessian(loss, theta)
    return float(torch.linalg.eigvalsh(h).abs().max())


def test_bound_is_attained_and_not_exceeded():
    images = _data()
    L = smoothness.logreg_bound(images).L
    bias = torch.tensor([0.0, 0.0] + [-60.0] * 8, dtype=torch.float64)
    h = _hessian_norm(images, bias)
    assert h <= L * (1 + 1e-9), (h, L)
    assert h >= L * (1 - 1e-9), (h, L)


def test_bound_holds_at_random_weights():
    images = _data(seed=2)
    L = smoothness.logreg_bound(images).L
    g = torch.Generator().manual_seed(3)
    for _ in range(3):
        bias = torch.randn(10, generator=g, dtype=torch.float64) * 3
        assert _hessian_norm(images, bias) <= L * (1 + 1e-9)


def test_trace_bound_is_the_exact_fraction_rounded_up():
    images = _data(n=25, seed=4)
    b = smoothness.logreg_bound(images)
    q = images.reshape(25, -1).astype(int)
    exact = Fraction(int((q * q).sum()) + 255 * 255 * 25, 2 * 255 * 255 * 25)
    assert Fraction(b.trace_bound) >= exact
    assert Fraction(np.nextafter(b.trace_bound, 0)) < exact  # the nearest float above, not beyond
    assert b.L <= b.trace_bound


def test_hessian_estimate_is_a_rayleigh_quotient():
    # |v^T H v| <= max |eigenvalue| for a unit v: the estimate never exceeds the true norm.
    images = _data(seed=5)
    x = torch.from_numpy(images.reshape(40, -1).astype(np.float32) / 255)
    y = torch.from_numpy(np.arange(40) % 10)
    model = torch.nn.Linear(6, 10)
    with torch.no_grad():
        model.weight.normal_(0, 0.5, generator=torch.Generator().manual_seed(6))
        model.bias.zero_()
    est = smoothness.hessian_top_eigenvalue(model, x, y, iterations=30)

    def loss(theta):
        w, b = theta[:60].reshape(10, 6), theta[60:]
        return torch.nn.functional.cross_entropy(x.double() @ w.T + b, y)

    theta = torch.cat([model.weight.detach().double().reshape(-1), model.bias.detach().double()])
    exact = float(torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss, theta)).abs().max())
    assert 0 < est <= exact * (1 + 1e-9)
