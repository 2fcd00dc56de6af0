"""Tempering (docs/spec.md, "Tempering"): the options eta_min and min_weight through the
bindings, quench.torch.QuenchSGD (fused and foreach, bit for bit with each other) and
quench.jax (op by op, bit for bit with the core)."""

import numpy as np
import pytest

import quench

torch = pytest.importorskip("torch")
from quench.torch import QuenchSGD  # noqa: E402

from test_torch_optimizer import BATCH, assert_same, mlp, train  # noqa: E402

# step_test.cpp's hand example: literal options, B = 1, K = 2, lambda_B = 16,
# lambda_eta = 1/4, eps = 1/16; untempered, the gradients -4, 2, 2 give at t = 3 gt = 1,
# var = 4, eta = 1/16 and B* = 1024/17 (next weight 17/1024).
HAND = dict(batch_size=1, K=2, lambda_B=16.0, lambda_eta=0.25, eps=1.0 / 16, literal=True)
# (the fused tensor ops too: every value of the hand runs is exact or one rounding in any order)
IMPLEMENTATIONS = [dict(fused=True), dict(foreach=True), dict(foreach=True, bit_identical=False)]


def hand_run(gradients, implementation, **options):
    p = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    opt = QuenchSGD([p], diagnostics=True, **HAND, **options, **implementation)
    seen = []
    for g in gradients:
        p.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        s = opt.state[p]
        seen.append(dict(phi=p.item(), eta=s["eta"].item(), Bstar=s["Bstar"].item(), mean=s["mean"].item(),
                         second=s["second"].item(), weight=s["weight"].item()))
    return seen


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_eta_min_floors_the_rate_after_warmup(implementation):
    # eta_min = 1/8. t = 1, 2: warm-up, eta = 0. t = 3: the formula's 1/16 is floored to 1/8,
    # phi = 1 - (1/8) 2 = 3/4. t = 4: w = 17/1024, gt = 1041/1024, var = 4141791/1048576, the
    # formula's eta = 1083681/16567164 = 0.065... is floored again: phi = 3/4 - 1/4 = 1/2.
    # The averages and weights are the untempered ones.
    run = hand_run([-4.0, 2.0, 2.0, 2.0], implementation, eta_min=0.125)
    assert [r["eta"] for r in run] == [0.0, 0.0, 0.125, 0.125]
    assert [r["phi"] for r in run] == [1.0, 1.0, 0.75, 0.5]
    assert run[2]["weight"] == 17 / 1024 and run[3]["mean"] == 1041 / 1024 and run[3]["second"] == 5103 / 1024
    assert run[2]["Bstar"] == 1024 / 17


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_min_weight_floors_the_window_not_the_reported_batch_star(implementation):
    # min_weight = 1/4. t = 3: B* = 1024/17 is reported, the next weight is max(17/1024, 1/4)
    # = 1/4. t = 4 (ghat 2): gt = (3/4) 1 + (1/4) 2 = 5/4, st = (3/4) 5 + (1/4) 4 = 19/4,
    # var = 51/16, B* = 16 (51/16) / (26/16) = 51/1.625 = 408/13 (one rounding), the raw
    # weight 13/408 is floored to 1/4. t = 5 (ghat -2): gt = 7/16, st = 73/16.
    run = hand_run([-4.0, 2.0, 2.0, 2.0, -2.0], implementation, min_weight=0.25)
    assert run[2]["eta"] == 1 / 16 and run[2]["Bstar"] == 1024 / 17 and run[2]["weight"] == 0.25
    assert (run[3]["mean"], run[3]["second"], run[3]["Bstar"], run[3]["weight"]) == (1.25, 4.75, 51 / 1.625, 0.25)
    assert (run[4]["mean"], run[4]["second"], run[4]["weight"]) == (7 / 16, 73 / 16, 0.25)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_min_weight_applies_in_warmup(implementation):
    # min_weight = 3/4 > B/K = 1/2: t = 1 gives gt = (3/4)(-4) = -3, st = 12; t = 2 gives
    # gt = (1/4)(-3) + (3/4) 2 = 3/4, st = 3 + 3 = 6; B* is reported as K = 2.
    run = hand_run([-4.0, 2.0], implementation, min_weight=0.75)
    assert (run[0]["mean"], run[0]["second"], run[0]["weight"], run[0]["Bstar"]) == (-3.0, 12.0, 0.75, 2.0)
    assert (run[1]["mean"], run[1]["second"], run[1]["eta"]) == (0.75, 6.0, 0.0)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_fused_and_foreach_agree_bit_for_bit_with_both_floors(dtype):
    # L = 3: eta_max = 1/6, eta_min = eta_max/10; a window of at most 64 batches. The floors
    # hold at every coordinate after warm-up and bind somewhere.
    kw = dict(batch_size=BATCH, K=20, L=3.0, eta_min=1 / 60, min_weight=1 / 64, diagnostics=True)
    a, b = mlp(dtype), mlp(dtype)
    oa, ob = QuenchSGD(a.parameters(), fused=True, **kw), QuenchSGD(b.parameters(), foreach=True, **kw)
    eta_min, min_weight = torch.tensor(1 / 60, dtype=dtype), torch.tensor(1 / 64, dtype=dtype)
    binds = [0, 0]
    for start in range(0, 200, 20):
        train(a, oa, 20, dtype, start)
        train(b, ob, 20, dtype, start)
        assert_same(a, oa, b, ob)
        if start == 0:
            continue  # steps 1..20 = K: warm-up, eta = 0
        for p in a.parameters():
            s = oa.state[p]
            assert (s["eta"] >= eta_min).all() and (s["eta"] <= 1 / 6).all()
            assert (s["weight"] >= min_weight).all() and (s["weight"] <= 0.5).all()
            binds[0] += int((s["eta"] == eta_min).sum())
            binds[1] += int((s["weight"] == min_weight).sum())
    assert binds[0] > 0 and binds[1] > 0, binds


def test_each_floor_alone_and_with_the_literal_options_agree_between_implementations():
    variants = [dict(eta_min=0.01), dict(min_weight=0.05), dict(eta_min=0.01, max_weight=None, min_weight=0.3),
                dict(literal=True, clamp_variance=True, eta_max=0.05, max_weight=0.5, lambda_eta=0.01, L=None,
                     eta_min=0.004, min_weight=0.02)]
    for v in variants:
        kw = dict(batch_size=BATCH, K=5, L=4.0)
        kw.update(v)
        a, b = mlp(torch.float64), mlp(torch.float64)
        oa, ob = QuenchSGD(a.parameters(), fused=True, **kw), QuenchSGD(b.parameters(), foreach=True, **kw)
        train(a, oa, 30, torch.float64)
        train(b, ob, 30, torch.float64)
        assert_same(a, oa, b, ob)


def test_off_by_default_and_in_literal():
    d, lit = quench.Options(), quench.Options.literal()
    assert (d.eta_min, d.min_weight, lit.eta_min, lit.min_weight) == (None, None, None, None)
    assert list(quench.Options.names())[-2:] == ["eta_min", "min_weight"]
    o = quench.Options(eta_min=0.25, min_weight=0.125)
    assert (o.eta_min, o.min_weight) == (0.25, 0.125)
    assert "eta_min=0.25" in repr(o) and "min_weight=0.125" in repr(o)
    o.eta_min = None
    assert o.eta_min is None
    with pytest.raises(TypeError, match="unknown option 'eta_floor'"):
        quench.Options(eta_floor=0.1)
    with pytest.raises(TypeError, match="option 'min_weight' cannot take"):
        quench.Options(min_weight="a lot")
    # QuenchSGD takes every option of the core as a keyword argument.
    import inspect
    assert set(quench.Options.names()) <= set(inspect.signature(QuenchSGD.__init__).parameters)


@pytest.mark.parametrize("options,message", [
    (dict(eta_min=0.0), "options.eta_min must be finite and > 0"),
    (dict(eta_min=float("nan")), "options.eta_min must be finite and > 0"),
    (dict(eta_min=1.0), "options.eta_min must be <= options.eta_max"),  # L = 4: eta_max = 1/8
    (dict(min_weight=-0.1), "options.min_weight must be finite and > 0"),
    (dict(min_weight=1.5, max_weight=None), "options.min_weight must be <= 1"),
    (dict(min_weight=0.75), "options.min_weight must be <= options.max_weight"),
])
def test_invalid_floors_name_the_option(options, message):
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    with pytest.raises(quench.InvalidHyperparameterError, match=message):
        QuenchSGD([p], batch_size=1, K=1, L=4.0, **options)


def test_jax_op_by_op_equals_the_core_with_both_floors():
    jax = pytest.importorskip("jax")
    import quench.jax as qj
    import test_jax as tj
    tj.with_x64(np.float64)
    try:
        tx = qj.quench_sgd(**tj.KW, eta_min=1 / 600, min_weight=1 / 16)
        with jax.disable_jit():
            params, state, grads, _ = tj.train(np.float64, tx, steps=tj.SHORT)
        h = tx.update.hyperparameters
        assert (h.options.eta_min, h.options.min_weight) == (1 / 600, 1 / 16)
        for name in params:
            p0 = np.array(tj.init_mlp(np.float64)[name]).reshape(-1)
            s = quench.State(p0.size, h, np.float64)
            for g in grads:
                quench.step(s, h, np.ascontiguousarray(np.asarray(g[name]).reshape(-1)), p0)
            assert np.array_equal(p0, np.asarray(params[name]).reshape(-1)), name
            for q in ("mean", "second", "mass", "weight"):
                assert np.array_equal(getattr(s, q), np.asarray(getattr(state, q)[name]).reshape(-1)), (name, q)
            assert (s.weight >= 1 / 16).all()
    finally:
        jax.config.update("jax_enable_x64", False)


class FloorlessQuenchSGD(QuenchSGD):
    """A wrong copy: declares (and records) the floors but steps without them."""

    def _step_group(self, group):
        declared = group["eta_min"], group["min_weight"]
        group["eta_min"] = group["min_weight"] = "unset"
        try:
            super()._step_group(group)
        finally:
            group["eta_min"], group["min_weight"] = declared


@pytest.mark.parametrize("implementation", [dict(fused=True), dict(foreach=True, bit_identical=False)])
@pytest.mark.parametrize("cls,verdict", [(QuenchSGD, "agree"), (FloorlessQuenchSGD, "disagree")])
def test_recorded_tempered_run_is_judged_by_the_oracle(tmp_path, cls, verdict, implementation):
    import test_oracle as to
    if not implementation.get("bit_identical", True) and not to.stepwise_available():
        pytest.skip("the fused tensor ops are judged by the stepwise check only")
    model = mlp(torch.float64)
    opt = cls(model.parameters(), batch_size=BATCH, K=10, L=4.0, eta_min=1 / 80, min_weight=1 / 32, **implementation)
    with to.qo.Recorder(opt, tmp_path / "rec") as rec:
        train(model, opt, 60, torch.float64)
    header = (rec.directory / "trace.jsonl").read_text().splitlines()[0]
    assert '"eta_min": 0.0125' in header and '"min_weight": 0.03125' in header
    assert to.judge(rec.directory, torch.float64) == verdict
