"""quench.torch.QuenchSGD: both implementations on an MLP on the digits, bit for bit on
every state tensor; param groups, closure, maximize, state_dict, hooks, errors, compile."""

import copy

import pytest

torch = pytest.importorskip("torch")

import quench  # noqa: E402
from quench.torch import QuenchSGD  # noqa: E402

from digits import load_digits, minibatches  # noqa: E402

X, Y = load_digits()
BATCH = 32


def mlp(dtype, seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.Tanh(), torch.nn.Linear(32, 10)).to(dtype)


def train(model, opt, steps, dtype, start=0):
    x, y = torch.tensor(X, dtype=dtype), torch.tensor(Y)
    for idx in minibatches(len(X), BATCH, start + steps)[start:]:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
    return torch.nn.functional.cross_entropy(model(x), y).item()


def assert_same(a, oa, b, ob):
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
        assert oa.state[p].keys() == ob.state[q].keys()
        for key in oa.state[p]:
            assert torch.equal(oa.state[p][key], ob.state[q][key]), key


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("diagnostics", [False, True])
def test_fused_and_foreach_agree_bit_for_bit_on_the_digits_mlp(dtype, diagnostics):
    a, b = mlp(dtype), mlp(dtype)
    # L = 3: lambda_eta = B/(32 L) and eta_max are not powers of two, so a changed
    # expression order shows in the last bit
    kw = dict(batch_size=BATCH, K=20, L=3.0, diagnostics=diagnostics)
    oa, ob = QuenchSGD(a.parameters(), fused=True, **kw), QuenchSGD(b.parameters(), foreach=True, **kw)
    before = train(a, oa, 0, dtype)
    loss = train(a, oa, 300, dtype)
    train(b, ob, 300, dtype)
    assert loss < 0.8 * before  # it trains
    assert_same(a, oa, b, ob)
    p = next(a.parameters())
    assert int(oa.state[p]["step"]) == 300
    if diagnostics:
        assert (oa.state[p]["eta"] > 0).any() and (oa.state[p]["eta"] <= 1 / 6).all()
        d = oa.diagnostics(p)
        assert torch.equal(d["var"], oa.state[p]["variance"]) and torch.equal(d["Bstar"], oa.state[p]["Bstar"])


def test_every_option_and_literal_agree_between_implementations():
    # lambda_B = 12: B/(lambda_B B) = 1/12 is not a power of two, so the order of the weight's
    # two products (E17, step 1) shows in the last bit
    variants = [dict(literal=True, eps=1.0 / 16), dict(bias_correction=False), dict(max_weight=None), dict(lambda_B=12.0),
                dict(clamp_weight=False, max_weight=0.25), dict(noise="minibatch"), dict(eta_max=None, lambda_eta=0.01, L=None),
                dict(literal=True, clamp_variance=True, eta_max=0.05, max_weight=0.5, lambda_eta=0.01, L=None)]
    for v in variants:
        kw = dict(batch_size=BATCH, K=5, L=4.0)
        kw.update(v)
        a, b = mlp(torch.float64), mlp(torch.float64)
        oa, ob = QuenchSGD(a.parameters(), fused=True, **kw), QuenchSGD(b.parameters(), foreach=True, **kw)
        try:
            train(a, oa, 30, torch.float64)
        except (quench.ZeroVarianceError, quench.QuenchOverflowError):
            continue
        train(b, ob, 30, torch.float64)
        assert_same(a, oa, b, ob)


def test_param_groups_with_their_own_hyperparameters_and_dtypes():
    a, b = mlp(torch.float64), mlp(torch.float64)
    a[2].float(), b[2].float()  # second layer in float32
    def groups(m):
        return [{"params": m[0].parameters(), "K": 10, "lambda_B": 8.0},
                {"params": m[2].parameters(), "L": 2.0, "max_weight": 0.25}]
    oa = QuenchSGD(groups(a), batch_size=BATCH, K=5, L=4.0)
    ob = QuenchSGD(groups(b), batch_size=BATCH, K=5, L=4.0, foreach=True)
    assert oa.param_groups[0]["K"] == 10 and oa.param_groups[1]["K"] == 5
    x, y = torch.tensor(X[:BATCH]), torch.tensor(Y[:BATCH])
    for m, o in ((a, oa), (b, ob)):
        for _ in range(20):
            o.zero_grad()
            torch.nn.functional.cross_entropy(m[2](m[1](m[0](x)).float()), y).backward()
            o.step()
    assert_same(a, oa, b, ob)
    assert oa.state[a[2].weight]["weight"].max() <= 0.25 and oa.state[a[2].weight]["mean"].dtype == torch.float32
    assert "lambda_B: 8.0" in repr(oa) and "max_weight: 0.25" in repr(oa)


def test_closure_maximize_skipped_params_and_hooks():
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
    frozen = torch.nn.Parameter(torch.tensor([5.0], dtype=torch.float64))
    calls = []
    opt = QuenchSGD([p, frozen], batch_size=1, K=1, L=1.0, maximize=True)
    opt.register_step_pre_hook(lambda o, a, k: calls.append("pre"))
    opt.register_step_post_hook(lambda o, a, k: calls.append("post"))
    rng = torch.Generator().manual_seed(1)

    def closure():
        opt.zero_grad()
        loss = -((p - 3.0) ** 2).sum() + 0.1 * (torch.randn(2, generator=rng, dtype=torch.float64) * p).sum()
        loss.backward()
        return loss
    first = closure().item()
    for _ in range(200):
        loss = opt.step(closure)
    assert loss.item() > first  # maximize ascends
    assert frozen.grad is None and frozen not in opt.state and frozen.item() == 5.0
    assert calls[:2] == ["pre", "post"] and len(calls) == 400


def test_state_dict_round_trip_resumes_bit_for_bit(tmp_path):
    for fused in (True, None):
        ref = mlp(torch.float64)
        opt = QuenchSGD(ref.parameters(), batch_size=BATCH, K=10, L=4.0, fused=fused)
        train(ref, opt, 60, torch.float64)
        resumed = mlp(torch.float64)
        half = QuenchSGD(resumed.parameters(), batch_size=BATCH, K=10, L=4.0, fused=fused)
        train(resumed, half, 30, torch.float64)
        torch.save({"model": resumed.state_dict(), "opt": half.state_dict()}, tmp_path / "ckpt.pt")
        saved = torch.load(tmp_path / "ckpt.pt")
        fresh = mlp(torch.float64, seed=1)
        fresh.load_state_dict(saved["model"])
        again = QuenchSGD(fresh.parameters(), batch_size=BATCH, K=10, L=4.0, fused=fused)
        again.load_state_dict(saved["opt"])
        assert again.state[next(fresh.parameters())]["step"].dtype == torch.int64
        train(fresh, again, 30, torch.float64, start=30)
        assert_same(ref, opt, fresh, again)


def test_errors():
    emb = torch.nn.Embedding(10, 3, sparse=True)
    opt = QuenchSGD(emb.parameters(), batch_size=1, K=1, L=1.0)
    emb(torch.tensor([1, 2])).sum().backward()
    with pytest.raises(RuntimeError, match="sparse gradients"):
        opt.step()
    with pytest.raises(quench.InvalidHyperparameterError, match="batch_size"):
        QuenchSGD([torch.nn.Parameter(torch.zeros(1))], batch_size=0, K=1, L=1.0)
    with pytest.raises(ValueError, match="exactly one of L"):
        QuenchSGD([torch.nn.Parameter(torch.zeros(1))], batch_size=1, K=1)
    with pytest.raises(ValueError, match="fused=True needs"):
        QuenchSGD([torch.nn.Parameter(torch.zeros(2, dtype=torch.float16))], batch_size=1, K=1, L=1.0, fused=True)
    with pytest.raises(ValueError, match="differentiable"):
        QuenchSGD([torch.nn.Parameter(torch.zeros(1))], batch_size=1, K=1, L=1.0, differentiable=True)
    with pytest.raises(TypeError, match="bit_identical must be True or False"):
        QuenchSGD([torch.nn.Parameter(torch.zeros(1))], batch_size=1, K=1, L=1.0, bit_identical="no")
    for foreach in (True, None):
        p = torch.nn.Parameter(torch.ones(3, dtype=torch.float64))
        opt = QuenchSGD([p], batch_size=1, K=1, L=1.0, foreach=foreach)
        p.grad = torch.tensor([1.0, float("nan"), 0.0], dtype=torch.float64)
        with pytest.raises(quench.InvalidInputError, match="coordinate 1"):
            opt.step()
        assert torch.equal(p, torch.ones(3, dtype=torch.float64))
        assert torch.equal(opt.state[p]["mean"], torch.zeros(3, dtype=torch.float64))


@pytest.mark.parametrize("bit_identical", [True, False])
def test_foreach_runs_on_half_precision(bit_identical):
    m = mlp(torch.bfloat16)
    opt = QuenchSGD(m.parameters(), batch_size=BATCH, K=5, L=4.0, bit_identical=bit_identical)
    before = train(m, opt, 0, torch.bfloat16)
    assert train(m, opt, 100, torch.bfloat16) < before


def test_torch_compile_of_the_step_matches():
    for foreach in (True, None):
        a, b = mlp(torch.float64), mlp(torch.float64)
        oa = QuenchSGD(a.parameters(), batch_size=BATCH, K=3, L=4.0, foreach=foreach)
        ob = QuenchSGD(b.parameters(), batch_size=BATCH, K=3, L=4.0, foreach=foreach)
        compiled = torch.compile(ob.step, backend="aot_eager")
        x, y = torch.tensor(X[:BATCH]), torch.tensor(Y[:BATCH])
        for _ in range(6):
            for m, step, o in ((a, oa.step, oa), (b, compiled, ob)):
                o.zero_grad()
                torch.nn.functional.cross_entropy(m(x), y).backward()
                step()
        assert_same(a, oa, b, ob)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_foreach_blocks_give_the_same_bits_as_whole_tensors_and_the_core(dtype, monkeypatch):
    # The tensor-op path runs its ops block by block (quench/_foreach.py): tensors larger
    # than a block are cut into flat pieces, small ones packed together. Blocks of 40
    # elements here: the 64x32 weight is cut into 52 pieces, the biases are packed, a
    # transposed (non-contiguous) parameter stays whole, an empty one is skipped.
    from quench import _foreach

    def params():
        torch.manual_seed(3)
        ps = [torch.randn(64, 32, dtype=dtype), torch.randn(7, dtype=dtype), torch.randn(5, dtype=dtype),
              torch.randn(0, dtype=dtype), torch.randn(9, 13, dtype=dtype).t()]
        return [torch.nn.Parameter(p) for p in ps]

    def run(block_bytes, **kw):
        monkeypatch.setattr(_foreach, "BLOCK_BYTES", block_bytes)
        ps = params()
        opt = QuenchSGD(ps, batch_size=BATCH, K=3, L=3.0, diagnostics=True, **kw)
        gen = torch.Generator().manual_seed(5)
        for _ in range(12):
            for p in ps:
                p.grad = torch.randn(p.shape, generator=gen, dtype=dtype) * 1e-2 + 1e-3
            opt.step()
        return ps, opt

    small = run(40 * torch.finfo(dtype).bits // 8, foreach=True)
    whole = run(1 << 40, foreach=True)
    core = run(1 << 40)  # fused for the contiguous ones
    assert not small[0][4].is_contiguous() and core[0][0] in core[1]._fused_states
    for ps, opt in (whole, core):
        for p, q in zip(small[0], ps):
            assert torch.equal(p, q)
            for key in small[1].state[p]:
                assert torch.equal(small[1].state[p][key], opt.state[q][key]), key
    # the fused tensor ops are elementwise too: blocks change none of their bits either
    small, whole = (run(b, foreach=True, bit_identical=False) for b in (40 * torch.finfo(dtype).bits // 8, 1 << 40))
    for p, q in zip(small[0], whole[0]):
        assert torch.equal(p, q)
        assert all(torch.equal(small[1].state[p][key], whole[1].state[q][key]) for key in small[1].state[p])


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_the_tensor_ops_round_once(dtype):
    # The tensor-op path relies on each op it uses rounding its one + - * / once (no fused
    # multiply-add), with 0-d operands of the dtype broadcast: checked against NumPy, whose
    # elementwise ufuncs round each operation once. (addcmul, add(alpha=...) and lerp do
    # fuse on x86-64 builds of PyTorch; the path uses addcmul only with a zero addend.)
    np = pytest.importorskip("numpy")
    gen = torch.Generator().manual_seed(0)
    a, b = (torch.randn(100003, generator=gen, dtype=dtype) for _ in range(2))
    one, s = torch.tensor(1.0, dtype=dtype), torch.tensor(0.3, dtype=dtype)
    x, y, sv = a.numpy(), b.numpy(), s.numpy()
    assert np.array_equal(torch._foreach_mul([a], [b])[0].numpy(), x * y)
    assert np.array_equal(torch._foreach_mul([a], [s])[0].numpy(), x * sv)
    assert np.array_equal(torch._foreach_sub([one], [a])[0].numpy(), 1 - x)
    c = a.clone()
    torch._foreach_add_([c], [b])
    assert np.array_equal(c.numpy(), x + y)
    torch._foreach_sub_([c], [b])
    assert np.array_equal(c.numpy(), (x + y) - y)
    torch._foreach_reciprocal_([c])
    assert np.array_equal(c.numpy(), 1 / ((x + y) - y))
    torch._foreach_div_([c], [b])
    assert np.array_equal(c.numpy(), (1 / ((x + y) - y)) / y)
    # the fused ops it uses where they round as the core does: addcmul with a zero addend is
    # (s a) b, two roundings; addcdiv by one is c + s a, two roundings; the sums of the
    # overflow check are finite for finite terms and not finite when a term is not
    zero = torch.tensor(0.0, dtype=dtype)
    assert np.array_equal(torch._foreach_addcmul([zero], [a], [b], value=0.3)[0].numpy(), (sv * x) * y)
    out = torch.empty_like(a)
    torch.addcmul(zero, a, b, value=0.3, out=out)
    assert np.array_equal(out.numpy(), (sv * x) * y)
    assert np.array_equal(torch._foreach_addcdiv([b], [a], [one], value=0.3)[0].numpy(), y + sv * x)
    for bad in (float("inf"), float("-inf"), float("nan")):
        assert not bool(torch.cat([a, torch.tensor([bad], dtype=dtype)]).sum().isfinite())


@pytest.mark.parametrize("foreach", [True, None])
def test_torch_compile_of_a_whole_training_step(foreach):
    # A compiled training step (forward, backward, optimizer step): the model compiles, the
    # optimizer's group step runs eagerly outside the graph (it is disabled for dynamo: it
    # reads the step count and its two input/overflow checks on the host, and the fused
    # path calls the C++ core), so compiling adds no graph of its own for it and no error;
    # the run matches the eager one bit for bit.
    a, b = mlp(torch.float64), mlp(torch.float64)
    oa = QuenchSGD(a.parameters(), batch_size=BATCH, K=3, L=4.0, foreach=foreach)
    ob = QuenchSGD(b.parameters(), batch_size=BATCH, K=3, L=4.0, foreach=foreach)

    def training_step(model, opt, x, y):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    compiled = torch.compile(training_step, backend="aot_eager")
    x, y = torch.tensor(X[:BATCH]), torch.tensor(Y[:BATCH])
    for _ in range(6):
        training_step(a, oa, x, y)
        compiled(b, ob, x, y)
    assert_same(a, oa, b, ob)
    explained = torch._dynamo.explain(ob.step)()
    assert explained.graph_count == 0 and not explained.break_reasons
