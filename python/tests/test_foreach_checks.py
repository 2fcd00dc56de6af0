"""The tensor-op path's two checks (quench/_foreach.py) decide as the core does: the gradient
check (finite, |g| <= sqrt(max)/2 rounded in the dtype) at the exact boundary, and the
overflow check (a sum per piece, then an exact look when the sum is not finite) both when a
parameter overflows and when only the sum of finite parameters does."""

import numpy as np
import pytest

import quench

torch = pytest.importorskip("torch")
from quench.torch import QuenchSGD  # noqa: E402

DTYPES = [torch.float64, torch.float32]
PATHS = [dict(fused=True), dict(foreach=True), dict(foreach=True, bit_identical=False)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("path", PATHS)
def test_the_gradient_limit_is_the_cores_to_the_last_bit(dtype, path):
    # The core accepts |g| <= quench.largest_gradient(dtype) (sqrt(max)/2 rounded in the
    # dtype); the next value up is refused, before anything is written, naming coordinate 2.
    limit = quench.largest_gradient(torch.empty(0, dtype=dtype).numpy().dtype)
    above = torch.nextafter(torch.tensor(limit, dtype=dtype), torch.tensor(float("inf"), dtype=dtype))
    for sign in (1.0, -1.0):
        p = torch.nn.Parameter(torch.ones(3, dtype=dtype))
        opt = QuenchSGD([p], batch_size=1, K=1, L=1.0, **path)
        p.grad = torch.tensor([0.0, 0.5, sign * float(above)], dtype=dtype)
        with pytest.raises(quench.InvalidInputError, match="coordinate 2"):
            opt.step()
        assert torch.equal(p, torch.ones(3, dtype=dtype)) and opt.state[p]["mean"].abs().max() == 0
        p.grad = torch.tensor([0.0, 0.5, sign * limit], dtype=dtype)
        opt.step()  # accepted (a warm-up step: phi does not move)
        assert int(opt.state[p]["step"]) == 1 and opt.state[p]["mean"][2] * sign > 0


def overflowing_run(path, steps):
    # float32, phi = max and a huge rate (L = 1e-30: eta_max = 5e29): eta g passes max
    p = torch.nn.Parameter(torch.tensor([1.0, torch.finfo(torch.float32).max]))
    opt = QuenchSGD([p], batch_size=1, K=1, L=1e-30, **path)
    for i, g in enumerate(steps):
        p.grad = torch.tensor([0.5, g])
        try:
            opt.step()
        except quench.QuenchOverflowError:
            return i, p.detach().clone()
    return None, p.detach().clone()


def test_an_overflow_is_reported_at_the_same_step_by_both_paths():
    grads = (-1.0, -1e10, -3e10, -1e10, -1e10)
    fused, foreach, fused_ops = (overflowing_run(path, grads) for path in PATHS)
    assert fused[0] is not None and fused[0] == foreach[0] == fused_ops[0]
    assert torch.isinf(foreach[1][1]) and torch.equal(fused[1], foreach[1])
    assert torch.isinf(fused_ops[1][1])  # (its finite coordinate is a few ulps off: not compared)


@pytest.mark.parametrize("dtype", DTYPES)
def test_finite_parameters_whose_sum_overflows_are_no_overflow(dtype):
    # Two coordinates at 3/4 of max: their sum is inf, every value finite. The overflow check
    # sums each piece, so this is the case where it must look at the values themselves.
    big = 0.75 * torch.finfo(dtype).max
    runs = []
    for path in PATHS:
        p = torch.nn.Parameter(torch.tensor([big, big, 1.0], dtype=dtype))
        opt = QuenchSGD([p], batch_size=8, K=2, L=4.0, **path)
        gen = torch.Generator().manual_seed(2)
        for _ in range(6):
            p.grad = torch.randn(3, generator=gen, dtype=dtype)
            opt.step()
        assert torch.isinf(p.detach().sum()) and torch.isfinite(p).all()
        runs.append((p.detach().clone(), {k: v.clone() for k, v in opt.state[p].items()}))
    assert torch.equal(runs[0][0], runs[1][0])
    assert all(torch.equal(runs[0][1][k], runs[1][1][k]) for k in runs[0][1])
