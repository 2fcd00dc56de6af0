"""quench._core: the hand-computed trajectories of the C++ tests (tests/step_test.cpp), each
option on and off, the errors and their messages, zero copies, and the GIL released."""

import sys
import threading
import time

import numpy as np
import pytest

import quench

DTYPES = [np.float64, np.float32]


def hand_example(**changes):
    """Literal options, B = 1, K = 2 (warm-up weight 1/2), lambda_B = 16, lambda_eta = 1/4, eps = 1/16."""
    fields = dict(batch_size=1.0, warmup=2, lambda_batch=16.0, lambda_rate=0.25, epsilon=0.0625,
                  options=quench.Options.literal())
    fields.update(changes)
    return quench.Hyperparameters(**fields)


def run(h, grads, phi0, dtype):
    """Steps through the 1-D gradients; returns the state, phi and the per-step (eta, B*)."""
    s = quench.State(len(phi0), h, dtype)
    phi = np.array(phi0, dtype=dtype)
    eta, bstar = np.zeros_like(phi), np.zeros_like(phi)
    seen = []
    for g in grads:
        quench.step(s, h, np.array(g, dtype=dtype), phi, eta=eta, batch_star=bstar)
        seen.append((eta.copy(), bstar.copy()))
    return s, phi, seen


@pytest.mark.parametrize("dtype", DTYPES)
def test_hand_computed_literal_trajectory(dtype):
    h = hand_example()
    s, phi, seen = run(h, [[-4.0], [2.0], [2.0]], [1.0], dtype)
    # t = 3 > K: gt = 1, st = 5, var = 4 (E16); eta = 1/16 (E18); phi = 1 - 2/16 (E20);
    # B* = 16 * 4 / (1 + 1/16) = 1024/17 (E17); the next weight is 17/1024.
    assert s.t == 3
    assert s.running_mean()[0] == 1 and s.running_variance(h)[0] == 4
    assert [e[0][0] for e in seen] == [0, 0, 1 / 16]
    assert seen[0][1][0] == 2 and seen[1][1][0] == 2
    assert seen[2][1][0] == dtype(dtype(1024) / dtype(17))
    assert phi[0] == 7 / 8
    assert s.weight[0] == dtype(17) / dtype(1024)
    quench.step(s, h, np.array([2.0], dtype), phi)
    assert s.running_mean()[0] == 1041 / 1024 and s.running_second_moment()[0] == 5103 / 1024


@pytest.mark.parametrize("dtype", DTYPES)
def test_warmup_has_weight_b_over_k_and_zero_rate(dtype):
    h = hand_example(warmup=4)
    s, phi, seen = run(h, [[4.0, -8.0]] * 4, [3.0, -5.0], dtype)
    expected = 0.0
    for _ in range(4):
        expected = expected * 0.75 + 0.25 * 4
    assert s.running_mean().tolist() == [expected, -2 * expected]
    assert all((e == 0).all() and (b == 4).all() for e, b in seen)
    assert phi.tolist() == [3.0, -5.0] and s.weight.tolist() == [0.25, 0.25]


@pytest.mark.parametrize("dtype", DTYPES)
def test_bias_correction_x15(dtype):
    h = quench.Hyperparameters.from_smoothness(B=1.0, L=1.0, K=4)
    s, _, _ = run(h, [[2.0]], [0.0], dtype)
    assert s.running_mean()[0] == 2 and s.running_variance(h)[0] == 0 and s.mass[0] == 0.25
    h.options.bias_correction = False
    s, _, _ = run(h, [[2.0]], [0.0], dtype)
    assert s.running_mean()[0] == 0.5 and s.running_variance(h)[0] == 0.75 and len(s.mass) == 0


@pytest.mark.parametrize("dtype", DTYPES)
def test_per_example_statistic_x13_scales_by_b(dtype):
    grads = [[-4.0], [2.0], [2.0]]
    literal = run(hand_example(batch_size=4.0, warmup=8), grads + [[2.0]] * 6, [1.0], dtype)[2][-1]
    opts = quench.Options.literal()
    opts.noise = quench.Noise.per_example
    per_example = run(hand_example(batch_size=4.0, warmup=8, options=opts), grads + [[2.0]] * 6, [1.0], dtype)[2][-1]
    assert per_example[0][0] == literal[0][0] / 4   # eta = lambda_eta gt^2 / (B var)
    assert per_example[1][0] == literal[1][0] * 4   # B* counted in examples


@pytest.mark.parametrize("dtype", DTYPES)
def test_weight_limits_x8_x14(dtype):
    # constant gradients without bias correction: the spurious variance of the zero start
    # decays until B* < B; the literal weight then exceeds 1 and the next variance is
    # negative (X8); the clamp alone gives w = 1, the default window caps it at 1/2 (X14).
    grads = [[1.0]] * 5
    h = hand_example()
    literal = run(h, grads, [0.0], dtype)[0]
    assert literal.weight[0] > 1
    quench.step(literal, h, np.array([1.0], dtype), np.zeros(1, dtype))
    assert literal.running_variance(h)[0] < 0
    opts = quench.Options.literal()
    opts.clamp_weight = True
    assert run(hand_example(options=opts), grads, [0.0], dtype)[0].weight[0] == 1
    opts.max_weight = 0.5
    assert run(hand_example(options=opts), grads, [0.0], dtype)[0].weight[0] == 0.5


@pytest.mark.parametrize("dtype", DTYPES)
def test_zero_variance_x9_x11(dtype):
    # constant gradients with bias correction: var = 0 exactly after warm-up.
    h = quench.Hyperparameters(batch_size=1.0, warmup=1, lambda_rate=0.25)
    s = quench.State(1, h, dtype)
    phi = np.array([1.0], dtype)
    quench.step(s, h, np.array([2.0], dtype), phi)
    before = (s.mean.copy(), s.second.copy(), s.mass.copy(), s.weight.copy(), phi.copy(), s.t)
    with pytest.raises(quench.ZeroVarianceError, match=r"step 2, coordinate 0.*eta_max"):
        quench.step(s, h, np.array([2.0], dtype), phi)
    after = (s.mean, s.second, s.mass, s.weight, phi, s.t)
    assert all(np.array_equal(a, b) for a, b in zip(before, after))  # untouched
    h.options.eta_max = 0.125  # X9 cap: eta = eta_max at zero variance
    eta = np.zeros(1, dtype)
    quench.step(s, h, np.array([2.0], dtype), phi, eta=eta)
    assert eta[0] == 0.125 and phi[0] == 0.75


def test_options_defaults_literal_and_every_field():
    d = quench.Options()
    assert (d.clamp_weight, d.max_weight, d.clamp_variance, d.eta_max, d.bias_correction, d.noise) == \
        (True, 0.5, True, None, True, quench.Noise.per_example)
    lit = quench.Options.literal()
    assert (lit.clamp_weight, lit.max_weight, lit.clamp_variance, lit.eta_max, lit.bias_correction, lit.noise) == \
        (False, None, False, None, False, quench.Noise.minibatch)
    h = quench.Hyperparameters.from_smoothness(B=32.0, L=4.0, K=50)
    assert (h.lambda_batch, h.lambda_rate, h.options.eta_max, h.warmup) == (16, 32 / (32 * 4), 1 / 8, 50)
    assert "eta_max=0.125" in repr(h) and "noise=Noise.per_example" in repr(h)


@pytest.mark.parametrize("field,value,message", [
    ("batch_size", 0.0, "batch_size B must be finite and > 0"),
    ("batch_size", float("nan"), "batch_size B must be finite and > 0"),
    ("warmup", 0, "warmup K must be >= 1"),
    ("lambda_batch", -1.0, "lambda_batch"),
    ("lambda_rate", float("inf"), "lambda_rate"),
    ("epsilon", 0.0, "epsilon"),
])
def test_invalid_hyperparameters_name_the_field(field, value, message):
    fields = dict(batch_size=1.0, warmup=1, lambda_rate=1.0)
    fields[field] = value
    with pytest.raises(quench.InvalidHyperparameterError, match=message) as e:
        quench.Hyperparameters(**fields)
    assert isinstance(e.value, ValueError)
    with pytest.raises(quench.InvalidHyperparameterError, match="smoothness L"):
        quench.Hyperparameters.from_smoothness(B=1.0, L=0.0, K=1)
    opts = quench.Options(max_weight=1.5)
    with pytest.raises(quench.InvalidHyperparameterError, match="max_weight must be <= 1"):
        quench.Hyperparameters(batch_size=1.0, warmup=1, lambda_rate=1.0, options=opts)


@pytest.mark.parametrize("dtype", DTYPES)
def test_invalid_input_leaves_everything_untouched(dtype):
    h = quench.Hyperparameters.from_smoothness(B=4.0, L=2.0, K=1)
    s = quench.State(3, h, dtype)
    phi = np.array([1.0, 2.0, 3.0], dtype)
    quench.step(s, h, np.array([1.0, -1.0, 0.5], dtype), phi)
    snapshot = lambda: [a.copy() for a in (s.mean, s.second, s.mass, s.weight, phi)] + [s.t]
    before = snapshot()
    bad = [
        (np.array([1.0, np.nan, 0.5], dtype), quench.InvalidInputError, "gradient coordinate 1 is nan"),
        (np.array([1.0, 1.0, np.inf], dtype), quench.InvalidInputError, "gradient coordinate 2 is inf"),
        (np.array([quench.largest_gradient(dtype) * 2, 0, 0], dtype), quench.InvalidInputError, "coordinate 0"),
        (np.array([1.0, 1.0], dtype), quench.InvalidInputError, "grad has 2 entries, the state has 3"),
        (np.array([1.0, 1.0, 1.0], np.float16), TypeError, "grad must be float"),
        (np.array([1.0, 0, 1.0, 0, 1.0, 0], dtype)[::2], quench.InvalidInputError, "grad must be C-contiguous"),
    ]
    for grad, error, message in bad:
        with pytest.raises(error, match=message):
            quench.step(s, h, grad, phi)
    frozen = phi.copy()
    frozen.flags.writeable = False
    with pytest.raises(quench.InvalidInputError, match="param is read-only|writable"):
        quench.step(s, h, np.ones(3, dtype), frozen)
    assert all(np.array_equal(a, b) for a, b in zip(before, snapshot()))


def test_overflow_is_an_overflow_error():
    h = quench.Hyperparameters.from_smoothness(B=1.0, L=1e-300, K=1)
    s = quench.State(1, h)
    phi = np.array([np.finfo(np.float64).max])
    quench.step(s, h, np.array([-1.0]), phi)  # warm-up: eta = 0
    with pytest.raises(quench.QuenchOverflowError, match="overflowed") as e:
        for g in (-1e150, -3e150, -1e150):
            quench.step(s, h, np.array([g]), phi)
    assert isinstance(e.value, OverflowError)


def test_closed_forms():
    t = quench.theory
    assert t.optimal_batch(sigma=1.0, g=0.5) == 64
    assert t.optimal_rate(L=2.0) == 0.25
    assert t.linear_scaled_rate(B=4.0, g=0.5, sigma=1.0, L=2.0) == 4 * 0.25 / (32 * 2)
    assert t.capped_scaled_rate(B=1e6, g=0.5, sigma=1.0, L=2.0) == 0.25
    assert t.vacuous_batch_threshold(sigma=1.0, ghat=0.5) == 16
    assert t.rate_at_batch(B=4.0, ghat=0.5, sigma=1.0, L=2.0) == -0.5
    assert t.lambda_eta_from_smoothness(B=32.0, L=4.0) == 0.25
    assert t.optimal_k(r=2.0, norm_ghat=0.5) == 64
    with pytest.raises(quench.InvalidInputError, match="optimal_rate"):
        t.optimal_rate(L=-1.0)
    with pytest.raises(quench.QuenchOverflowError):
        t.optimal_batch(sigma=1e200, g=1e-200)


@pytest.mark.parametrize("dtype", DTYPES)
def test_no_copy_of_numpy_arrays_or_torch_tensors(dtype):
    torch = pytest.importorskip("torch")
    h = quench.Hyperparameters.from_smoothness(B=4.0, L=2.0, K=1)
    s = quench.State(5, h, dtype)
    views = [s.mean, s.second, s.mass, s.weight]
    addresses = [v.ctypes.data for v in views]
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    p = torch.nn.Parameter(torch.arange(5, dtype=tdtype))
    grad = torch.linspace(-1, 1, 5, dtype=tdtype)
    pointer = p.data_ptr()
    assert quench.as_buffer(p, "param").ctypes.data == pointer
    assert quench.as_buffer(grad, "grad").ctypes.data == grad.data_ptr()
    for k in range(3):
        quench.step(s, h, grad * (1 + k), p)
    assert p.data_ptr() == pointer and not torch.equal(p.detach(), torch.arange(5, dtype=tdtype))
    assert [v.ctypes.data for v in (s.mean, s.second, s.mass, s.weight)] == addresses
    assert views[0].tolist() == s.mean.tolist()  # the old views see the new values
    with pytest.raises(TypeError, match="float64|float32"):
        quench.step(s, h, grad.to(torch.float16), p)


def test_gil_released_during_a_step():
    # With a 10 s switch interval the main thread can run while the worker is inside the
    # step only if the step released the GIL; if it held it, the main thread's first
    # chance to run would come after the worker finished (count == 0). The main thread
    # yields (sleep(0)) so that the worker gets the GIL back after the step.
    d = 4_000_000
    h = quench.Hyperparameters.from_smoothness(B=4.0, L=2.0, K=1)
    s = quench.State(d, h)
    phi, grad = np.zeros(d), np.random.default_rng(0).standard_normal(d)
    quench.step(s, h, grad, phi)
    state = {"done": False}
    started = threading.Event()

    def worker():
        started.set()
        quench.step(s, h, grad, phi)
        state["done"] = True

    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)
    try:
        t = threading.Thread(target=worker)
        t.start()
        started.wait()
        count = 0
        while not state["done"]:
            count += 1
            time.sleep(0)
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert count > 0


def test_gradient_range_is_explicit_and_a_floored_rate_is_flagged():
    # The README's small-gradient configuration: gradients of mean 1 and spread 0.5 scaled
    # by s, B = 8, L = 2, K = 10, 40 steps (eta reaches its cap 1/(2L) = 0.25 at s = 1).
    assert quench.smallest_gradient(np.float32) == np.sqrt(np.finfo(np.float32).tiny)
    assert quench.smallest_gradient(np.float64) == np.sqrt(np.finfo(np.float64).tiny)
    with pytest.raises(TypeError, match="float32 or float64"):
        quench.smallest_gradient(np.int32)
    base = quench.Hyperparameters.from_smoothness(B=8.0, L=2.0, K=10)
    unit = (1 + np.random.default_rng(3).uniform(-0.5, 0.5, size=(40, 4))).astype(np.float32)

    def final_rate(scale):
        # scale is a power of two: the scaled float32 gradients are exact, and so is eps
        # scaled by scale^2 (eps has the units of ghat^2 in E17's m^2 + eps c^2).
        h = quench.Hyperparameters(batch_size=base.batch_size, warmup=base.warmup,
                                   lambda_batch=base.lambda_batch, lambda_rate=base.lambda_rate,
                                   epsilon=2.0 ** -4 * scale ** 2, options=base.options)
        s = quench.State(4, h, np.float32)
        phi, eta = np.zeros(4, np.float32), np.zeros(4, np.float32)
        for row in unit:
            quench.step(s, h, row * np.float32(scale), phi, eta=eta)
        return s.first_coordinate_outside_accepted_range(h), eta

    flagged, at_one = final_rate(1.0)
    assert flagged is None
    # Inside the range (2^-60 = 8.7e-19 > sqrt(FLT_MIN) = 1.08e-19) the algorithm's scale
    # invariance holds bit for bit at a power-of-two scale, and nothing is flagged.
    flagged, eta = final_rate(2.0 ** -60)
    assert flagged is None and np.array_equal(eta, at_one)
    # At 2^-66 = 1.4e-20 the floor, not the variance, decides float32's rate: wrong by far
    # more than rounding, and flagged.
    flagged, eta = final_rate(2.0 ** -66)
    assert flagged is not None
    assert eta[flagged] < 0.5 * at_one[flagged]
