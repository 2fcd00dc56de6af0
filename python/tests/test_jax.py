"""quench.jax.quench_sgd: the optax-style transformation on the digits MLP, float32 and
float64: jitted it trains; op by op it equals the C++ core on the same gradients bit for
bit; recorded, the oracle judges it."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import quench  # noqa: E402
import quench.jax as qj  # noqa: E402
import quench.oracle as qo  # noqa: E402

from digits import load_digits, minibatches  # noqa: E402
from test_oracle import stepwise_available  # noqa: E402

X, Y = load_digits()
BATCH, STEPS, SHORT = 32, 120, 14  # SHORT: op-by-op runs (slow dispatch), past K = 10
KW = dict(batch_size=BATCH, K=10, L=3.0)


def init_mlp(dtype, seed=0):
    rng = np.random.default_rng(seed)
    return {"w1": jnp.asarray(rng.standard_normal((64, 32)) / 8, dtype), "b1": jnp.zeros(32, dtype),
            "w2": jnp.asarray(rng.standard_normal((32, 10)) / 6, dtype), "b2": jnp.zeros(10, dtype)}


def loss(params, x, y):
    h = jnp.tanh(x @ params["w1"] + params["b1"])
    logits = h @ params["w2"] + params["b2"]
    return -jnp.mean(jax.nn.log_softmax(logits)[jnp.arange(y.shape[0]), y])


def train(dtype, tx, recorder=None, steps=STEPS):
    params = init_mlp(dtype)
    state = tx.init(params)
    x, y = jnp.asarray(X, dtype), jnp.asarray(Y)

    @jax.jit
    def step(params, state, idx):
        g = jax.grad(loss)(params, x[idx], y[idx])
        updates, state = tx.update(g, state, params)
        return qj.apply_updates(params, updates), state, g

    grads = []
    for idx in minibatches(len(X), BATCH, steps):
        params, state, g = step(params, state, jnp.asarray(idx))
        grads.append(g)
        if recorder is not None:
            recorder.record(g, state, params)
    return params, state, grads, float(loss(params, x, y))


def with_x64(dtype):
    jax.config.update("jax_enable_x64", dtype == np.float64)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_jitted_transformation_trains(dtype):
    with_x64(dtype)
    try:
        params, state, _, final = train(dtype, qj.quench_sgd(**KW))
        start = float(loss(init_mlp(dtype), jnp.asarray(X, dtype), jnp.asarray(Y)))
        assert final < 0.8 * start
        assert int(state.count) == STEPS and isinstance(state, qj.QuenchState)
        assert all(x.dtype == dtype for x in jax.tree_util.tree_leaves(params))
    finally:
        jax.config.update("jax_enable_x64", False)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_op_by_op_equals_the_core_bit_for_bit(dtype):
    with_x64(dtype)
    try:
        tx = qj.quench_sgd(**KW)
        with jax.disable_jit():
            params, state, grads, _ = train(dtype, tx, steps=SHORT)
        h = tx.update.hyperparameters
        for name in params:
            p0 = np.array(init_mlp(dtype)[name]).reshape(-1)
            s = quench.State(p0.size, h, dtype)
            for g in grads:
                quench.step(s, h, np.ascontiguousarray(np.asarray(g[name]).reshape(-1)), p0)
            assert np.array_equal(p0, np.asarray(params[name]).reshape(-1)), name
            for q in ("mean", "second", "mass", "weight"):
                assert np.array_equal(getattr(s, q), np.asarray(getattr(state, q)[name]).reshape(-1)), (name, q)
    finally:
        jax.config.update("jax_enable_x64", False)


@pytest.mark.parametrize("dtype", [np.float64] + ([np.float32] if stepwise_available() else []))
def test_recorded_jax_run_agrees_with_the_oracle(tmp_path, dtype):
    # With the stepwise check: the jitted run. Without it, only equality with the oracle's
    # double run is a valid verdict, which holds for the op-by-op run (see quench/jax.py).
    with_x64(dtype)
    try:
        tx = qj.quench_sgd(**KW)
        with qo.JaxRecorder(tx, tmp_path / "rec", init_mlp(dtype)) as rec:
            if stepwise_available():
                train(dtype, tx, recorder=rec)
            else:
                with jax.disable_jit():
                    train(dtype, tx, recorder=rec, steps=SHORT)
        if stepwise_available():
            assert qo.check(rec.directory).verdict == "agree"
        else:
            ref = qo.run(rec.directory, precision="double")
            for q in ("gt", "st", "eta", "phi"):
                assert np.array_equal(ref[q], np.load(rec.directory / f"{q}.npy")), q
    finally:
        jax.config.update("jax_enable_x64", False)


def record_gradients(directory, tx, grads, phi0, dtype):
    """A jitted run of tx on one parameter (phi0) fed the given gradients, recorded."""
    params = {"p": jnp.asarray(phi0, dtype)}
    update = jax.jit(tx.update)
    with qo.JaxRecorder(tx, directory, params) as rec:
        state = tx.init(params)
        for g in grads:
            g = {"p": jnp.asarray(g, dtype)}
            updates, state = update(g, state, params)
            params = qj.apply_updates(params, updates)
            rec.record(g, state, params)
    return rec.directory


JAX_OPTION_SETS = [dict(noise="minibatch"), dict(bias_correction=False), dict(clamp_variance=False),
                   dict(max_weight=None, K=16), dict(max_weight=0.9, clamp_weight=False, min_weight=0.05, eta_min=0.01),
                   dict(literal=True, eta_max=0.125, max_weight=0.5)]


@pytest.mark.skipif(not stepwise_available(), reason="needs the oracle's stepwise check")
@pytest.mark.parametrize("options", JAX_OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_recorded_jax_runs_under_other_options_agree(tmp_path, options, dtype):
    # Every option of the transformation against the oracle (quench.oracle.JaxRecorder writes
    # them into the header as the transformation used them): jitted runs on noisy gradients,
    # whose variance is never exactly 0 (the options without X11 or X9 leave that undefined).
    with_x64(dtype)
    try:
        kw = dict(batch_size=8, K=5, L=2.0)
        kw.update(options)
        tx = qj.quench_sgd(**kw)
        rng = np.random.default_rng(3)
        grads = rng.standard_normal((150, 64)) * 0.5 + np.linspace(-2, 2, 64)
        directory = record_gradients(tmp_path / "rec", tx, grads, np.linspace(-1, 1, 64), dtype)
        assert qo.check(directory).verdict == "agree"
    finally:
        jax.config.update("jax_enable_x64", False)


@pytest.mark.skipif(not stepwise_available(), reason="needs the oracle's stepwise check")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_gradient_that_stops_agrees_under_flush_to_zero(tmp_path, dtype):
    # XLA on the CPU flushes results below the smallest normal to zero: once a coordinate's
    # gradient stops, gt halves each step (w held at 1/2 by min_weight) and the jitted m*m
    # becomes exactly 0, so eta = 0 where the exact rate is tiny but positive. The oracle's
    # model accepts flush-to-zero arithmetic (oracle/README.md, Stepwise verdict).
    with_x64(dtype)
    try:
        zeros = 170 if dtype == np.float32 else 1100
        rng = np.random.default_rng(1)
        grads = np.concatenate([rng.standard_normal((40, 3)) * 0.3 + np.array([1.0, -0.5, 2.0]), np.zeros((zeros, 3))])
        tx = qj.quench_sgd(batch_size=8, K=5, L=2.0, min_weight=0.5)
        directory = record_gradients(tmp_path / "rec", tx, grads, [0.5, 1.0, -1.5], dtype)
        eta = np.load(directory / "eta.npy")
        assert np.any(eta[5:] == 0)  # some rate reached exactly 0 after warm-up (K = 5): flushed or underflowed
        assert qo.check(directory).verdict == "agree"
    finally:
        jax.config.update("jax_enable_x64", False)

