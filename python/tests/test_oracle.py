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
