"""quench.oracle: a recorded QuenchSGD run on the digits MLP (both implementations, float32
and float64) is judged by the reference oracle in-process; a broken copy is caught.

The oracle's stepwise check (compare with gt, st, eta, phi and no tolerance) gives the
verdict where this build of the oracle has it. Without it, `compare` without a tolerance
has no verdict by design, and the float64 runs are held to the oracle's own double run
(`quench-oracle run --precision double`) with equality: both implementations follow the
core's expression order, so the only admissible difference is none. (float32 needs the
stepwise check: there is no float32 reference run.)"""

import pytest

torch = pytest.importorskip("torch")
import numpy as np  # noqa: E402

import quench.oracle as qo  # noqa: E402
from quench.torch import QuenchSGD  # noqa: E402

from test_torch_optimizer import BATCH, mlp, train  # noqa: E402

STEPS = 120


def stepwise_available():
    status, out, err = qo.oracle("compare", "--help")
    return "candidate-precision" in out + err


class BrokenQuenchSGD(QuenchSGD):
    """A deliberately wrong copy: lambda_B twice what it declares (and what is recorded)."""

    def _step_group(self, group):
        declared = group["lambda_B"]
        group["lambda_B"] = 2 * declared
        try:
            super()._step_group(group)
        finally:
            group["lambda_B"] = declared


def record(tmp_path, cls, dtype, **kw):
    model = mlp(dtype)
    opt = cls(model.parameters(), batch_size=BATCH, K=10, L=4.0, **kw)
    with qo.Recorder(opt, tmp_path / "rec") as rec:
        train(model, opt, STEPS, dtype)
    return rec.directory


def judge(directory, dtype):
    if stepwise_available():
        return qo.check(directory).verdict
    assert dtype == torch.float64
    ref = qo.run(directory, precision="double")
    same = all(np.array_equal(ref[q], np.load(directory / f"{q}.npy")) for q in ("gt", "st", "eta", "phi", "Bstar"))
    return "agree" if same else "disagree"


DTYPES = [torch.float64] + ([torch.float32] if stepwise_available() else [])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("implementation", [dict(fused=True), dict(foreach=True)])
def test_recorded_run_agrees(tmp_path, dtype, implementation):
    directory = record(tmp_path, QuenchSGD, dtype, **implementation)
    assert judge(directory, dtype) == "agree"


@pytest.mark.skipif(not stepwise_available(), reason="needs the oracle's stepwise check")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_the_fused_tensor_ops_are_within_the_stepwise_model(tmp_path, dtype):
    # bit_identical=False rounds differently from the core (quench/_foreach.py), so only the
    # stepwise check can judge it: every step inside the model's region of its precision.
    directory = record(tmp_path / "fused_ops", QuenchSGD, dtype, foreach=True, bit_identical=False)
    core_order = record(tmp_path / "core_order", QuenchSGD, dtype, foreach=True)
    assert not np.array_equal(np.load(directory / "phi.npy"), np.load(core_order / "phi.npy"))  # not the core's bits
    assert judge(directory, dtype) == "agree"


@pytest.mark.skipif(not stepwise_available(), reason="needs the oracle's stepwise check")
def test_a_broken_copy_of_the_fused_tensor_ops_disagrees(tmp_path):
    directory = record(tmp_path, BrokenQuenchSGD, torch.float32, foreach=True, bit_identical=False)
    assert judge(directory, torch.float32) == "disagree"


@pytest.mark.parametrize("dtype", DTYPES)
def test_broken_copy_disagrees(tmp_path, dtype):
    directory = record(tmp_path, BrokenQuenchSGD, dtype, fused=True)
    assert judge(directory, dtype) == "disagree"


def test_check_reports_no_verdict_or_stepwise_and_bad_input(tmp_path):
    directory = record(tmp_path, QuenchSGD, torch.float64, fused=True)
    v = qo.check(directory)
    assert v.verdict in ("agree", "none") and v.text.startswith("quench-oracle compare")
    if not stepwise_available():
        assert v.status == 3 and not v
    (directory / "g.npy").write_bytes(b"not an npy")
    with pytest.raises(ValueError, match="g.npy"):
        qo.check(directory)


def test_derive_in_process():
    rows = qo.derive(sigma=1.0, g=0.5)
    assert "B_star" in rows and "vacuous_batch_threshold" in rows


def test_recorder_streams_to_disk(tmp_path):
    # The recorder writes each step's rows as the step ends: what it holds in memory does
    # not grow with the steps (a copy kept per step would add 7 rows of d values per step,
    # ~120 kB here), and the files hold exactly the rows a list of every step gives.
    import tracemalloc

    model = mlp(torch.float64)
    opt = QuenchSGD(model.parameters(), batch_size=BATCH, K=10, L=4.0)
    d = sum(p.numel() for p in model.parameters())
    kept = []
    # (kept as torch tensors: tracemalloc sees NumPy's allocations, not torch's)
    opt.register_step_post_hook(lambda o, a, k: kept.append(torch.cat([p.detach().reshape(-1) for p in model.parameters()])))
    with qo.Recorder(opt, tmp_path / "rec") as rec:
        train(model, opt, 5, torch.float64)
        assert np.load(tmp_path / "rec" / "phi.npy").shape == (0, d)  # before close: valid and empty
        tracemalloc.start()
        train(model, opt, 5, torch.float64, start=5)
        before = tracemalloc.get_traced_memory()[0]
        train(model, opt, 40, torch.float64, start=10)
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
    row = d * 8
    assert grown < 2 * row + 40 * row // 4  # 40 steps; kept rows would be 40 * 7 * row
    phi = np.load(rec.directory / "phi.npy")
    assert phi.shape == (50, d) and phi.dtype == np.float64
    assert np.array_equal(phi, torch.stack(kept).numpy())
    assert np.load(rec.directory / "g.npy").shape == (50, d)
    assert '"steps": 50' in (rec.directory / "trace.jsonl").read_text()


def test_row_file_header_and_errors(tmp_path):
    f = qo.RowFile(tmp_path / "x.npy", np.float32, 3)
    for i in range(12):
        f.append(np.arange(3, dtype=np.float32) + i)
    with pytest.raises(ValueError, match=r"x.npy has shape \(2,\), expected \(3,\)"):
        f.append(np.zeros(2))
    f.close()
    x = np.load(tmp_path / "x.npy", mmap_mode="r")
    assert x.shape == (12, 3) and x.dtype == np.float32 and x[11, 2] == 13


# Every option reaches the recorded header as the optimizer used it (quench.oracle.header
# iterates Options.names()): recorded runs under non-default options agree, in the fused pass
# and in the fused tensor ops, and the same broken copy is still caught. The digits MLP has
# parameters whose gradient is constant or zero (variance exactly 0), which the options
# without X11 or X9 refuse (ZeroVarianceError, by design): those run on synthetic gradients below.
OPTION_SETS = [
    dict(noise="minibatch"),
    dict(bias_correction=False),
    dict(max_weight=0.9, clamp_weight=False),
    dict(max_weight=0.9, min_weight=0.05, eta_min=0.01),
]


def option_id(o):
    return ",".join(f"{k}={v}" for k, v in o.items())


IMPLEMENTATIONS = [dict(fused=True), dict(foreach=True), dict(foreach=True, bit_identical=False)]
IMPLEMENTATION_IDS = ["fused", "foreach", "fused_ops"]


@pytest.mark.skipif(not stepwise_available(), reason="needs the oracle's stepwise check")
@pytest.mark.parametrize("options", OPTION_SETS, ids=option_id)
@pytest.mark.parametrize("implementation", IMPLEMENTATIONS[::2], ids=IMPLEMENTATION_IDS[::2])
def test_recorded_runs_under_other_options_agree(tmp_path, options, implementation):
    directory = record(tmp_path / "good", QuenchSGD, torch.float32, **implementation, **options)
    assert judge(directory, torch.float32) == "agree"
    broken = record(tmp_path / "broken", BrokenQuenchSGD, torch.float32, **implementation, **options)
    assert judge(broken, torch.float32) == "disagree"


def record_gradients(directory, cls, grads, **kw):
    """A QuenchSGD run on one parameter fed the given gradients, recorded."""
    p = torch.nn.Parameter(torch.linspace(-1.0, 1.0, grads.shape[1], dtype=grads.dtype))
    opt = cls([p], **kw)
    with qo.Recorder(opt, directory) as rec:
        for g in grads:
            p.grad = g.clone()
            opt.step()
    return rec.directory


SYNTHETIC_SETS = [
    dict(clamp_variance=False),
    dict(clamp_variance=False, bias_correction=False, noise="minibatch"),
    dict(max_weight=None, K=16),  # B = 8 < K: the warm-up weight stays below 1
    dict(literal=True, eta_max=0.125, max_weight=0.5),
]


@pytest.mark.parametrize("options", SYNTHETIC_SETS, ids=option_id)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_options_without_the_clamps_on_noisy_gradients(tmp_path, options, dtype):
    # Noisy gradients (no variance exactly 0): every implementation runs; the fused pass and
    # the tensor ops in the core's order agree bit for bit (as the MLP test above does for
    # the options the MLP can run), and each recorded run agrees with the oracle.
    torch.manual_seed(3)
    grads = (torch.randn(150, 64, dtype=torch.float64) * 0.5 + torch.linspace(-2, 2, 64, dtype=torch.float64)).to(dtype)
    kw = dict(batch_size=8, K=5, L=2.0)
    kw.update(options)
    runs = {name: record_gradients(tmp_path / name, QuenchSGD, grads, **impl, **kw)
            for name, impl in zip(IMPLEMENTATION_IDS, IMPLEMENTATIONS)}
    for q in ("gt", "st", "eta", "phi"):
        assert np.array_equal(np.load(runs["fused"] / f"{q}.npy"), np.load(runs["foreach"] / f"{q}.npy")), q
    if stepwise_available():
        for name, directory in runs.items():
            assert judge(directory, dtype) == "agree", name
        broken = record_gradients(tmp_path / "broken", BrokenQuenchSGD, grads, fused=True, **kw)
        assert judge(broken, dtype) == "disagree"


@pytest.mark.skipif(not stepwise_available(), reason="needs the oracle's stepwise check")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("implementation", IMPLEMENTATIONS[::2], ids=IMPLEMENTATION_IDS[::2])
def test_a_gradient_that_stops_agrees_through_underflow(tmp_path, dtype, implementation):
    # A coordinate whose gradient becomes exactly 0 (a dead unit, an unused embedding row):
    # with the weight held at 1/2 (min_weight = max_weight) gt halves each step, its square
    # becomes subnormal (float32 after about 65 steps, float64 after about 520), then gt
    # itself, then 0. A correct candidate's eta is off by an absolute amount there, not a
    # relative one; the oracle must accept it, and still catch the broken copy.
    zeros = 170 if dtype == torch.float32 else 1100
    torch.manual_seed(1)
    noisy = torch.randn(40, 3, dtype=torch.float64) * 0.3 + torch.tensor([1.0, -0.5, 2.0], dtype=torch.float64)
    grads = torch.cat([noisy, torch.zeros(zeros, 3, dtype=torch.float64)]).to(dtype)
    kw = dict(batch_size=8, K=5, L=2.0, min_weight=0.5, **implementation)
    good = record_gradients(tmp_path / "good", QuenchSGD, grads, **kw)
    gt = np.load(good / "gt.npy")
    assert np.any((gt != 0) & (np.abs(gt) < np.finfo(gt.dtype).tiny))  # the run met subnormal gt
    assert judge(good, dtype) == "agree"
    # the weight is held by the floor here, so the broken lambda_B shows only in Bstar
    broken = record_gradients(tmp_path / "broken", BrokenQuenchSGD, grads, **kw)
    assert qo.check(broken, ("gt", "st", "eta", "phi", "Bstar")).verdict == "disagree"
    assert qo.check(good, ("gt", "st", "eta", "phi", "Bstar")).verdict == "agree"
