"""Smoke test of benchmarks/python/optimizer_step.py (the benchmark itself runs outside the
test suite): a tiny size runs every method and writes its table (one process: importing
torch is most of its time)."""

import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("torch")

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "python" / "optimizer_step.py"


def test_the_step_benchmark_runs_and_writes_its_table(tmp_path):
    out = tmp_path / "step.md"
    subprocess.run([sys.executable, str(SCRIPT), "--sizes", "4000", "--repeats", "2", "--stat", "min",
                    "--clock", "cpu", "--out", str(out)], check=True, capture_output=True, timeout=600)
    text = out.read_text()
    assert "| 4e+03 |" in text and "QuenchSGD foreach" in text and "fused ops/Adam" in text
    assert "CPU time of the process" in text
