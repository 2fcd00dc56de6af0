"""The study's pipeline on a few thousand real images: tuning, final runs, resume, the report
and its files, and the refusal of bad settings. It checks the pipeline, not the numbers.

Needs torch, numpy, matplotlib, the project's quench package (scripts/setup_python.sh makes
one environment with all of them) and Debian's dataset-fashion-mnist; skipped without the data.
"""

from __future__ import annotations

import csv
import json
import math
import os
import statistics
import subprocess
import sys

import pytest
from conftest import EXAMPLE

import fmnist_data

pytestmark = pytest.mark.skipif(
    not os.path.isdir(fmnist_data.DEFAULT_DIRECTORY), reason="Debian's dataset-fashion-mnist not installed"
)
STUDY = os.path.join(EXAMPLE, "study.py")
PNG = b"\x89PNG\r\n\x1a\n"


def _run(args):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, STUDY, *args], capture_output=True, text=True, env=env, timeout=600)


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_smoke_pipeline_and_report(tmp_path):
    out = tmp_path / "smoke"
    r = _run(["--out", str(out), "--smoke"])
    assert r.returncode == 0, r.stderr
    methods = ["sgd", "momentum", "adam", "quench_derived", "quench_tuned", "quench_tuned_L", "quench_tempered"]
    problems = ["fmnist_logreg", "fmnist_mlp"]

    results = _rows(out / "results.csv")
    assert sorted((x["problem"], x["method"], x["seed"]) for x in results) == sorted(
        (p, m, str(s)) for p in problems for m in methods for s in (1, 2)
    )
    for x in results:
        if x["status"] == "ok":
            assert 0 <= float(x["test_acc"]) <= 1 and math.isfinite(float(x["test_loss"]))

    # the tuned value is the grid value with the best final validation accuracy
    tuning = _rows(out / "tuning.csv")
    for p in problems:
        with open(out / "tuned" / f"{p}.json") as f:
            tuned = json.load(f)
        for m in ("sgd", "momentum", "adam"):
            cands = [x for x in tuning if x["problem"] == p and x["method"] == m]
            assert len(cands) == 2
            best = max(cands, key=lambda x: float(x["valid_acc"]) if x["valid_acc"] else -1)
            assert tuned[m] == float(best["value"])
            assert {float(x["value"]) for x in results if x["problem"] == p and x["method"] == m} == {tuned[m]}

    # within a seed, every method starts from the same weights: the same loss at epoch 0
    curves = _rows(out / "curves.csv")
    for p in problems:
        for seed in ("1", "2"):
            start = {x["train_loss"] for x in curves if x["problem"] == p and x["seed"] == seed and x["epoch"] == "0"}
            assert len(start) == 1, (p, seed, start)

    report = (out / "report.md").read_text()
    assert "smoke run: the numbers mean nothing" in report
    for p in problems:
        assert f"## {p}" in report
        for plot in (f"{p}_test_accuracy.png", f"{p}_train_loss.png"):
            assert f"]({plot})" in report
            assert (out / plot).read_bytes()[:8] == PNG
    assert "Smoothness L" in report and "quench.torch.QuenchSGD" in report
    # the paper's inputs quote the same numbers as results.csv
    macros = (out / "tex" / "fmnist-macros.tex").read_text()
    for p, name in (("fmnist_logreg", "Logreg"), ("fmnist_mlp", "Mlp")):
        accs = [float(x["test_acc"]) for x in results if x["problem"] == p and x["method"] == "sgd"]
        assert f"\\newcommand{{\\fm{name}SgdTestAcc}}{{{statistics.fmean(accs):.4f}}}" in macros
    assert "\\begin{tabular}" in (out / "tex" / "fmnist-table.tex").read_text()
    assert not list(out.rglob("*.tmp")), "a half-written file was left behind"


def test_resume_skips_finished_runs_and_refuses_other_settings(tmp_path):
    out = str(tmp_path / "resume")
    tiny = ["--out", out, "--problems", "fmnist_logreg", "--methods", "sgd", "--grid-points", "2", "--seeds", "1",
            "--subset", "256", "--eval-subset", "200", "--epochs", "1", "--tune-epochs", "1", "--no-report"]
    first = _run(tiny)
    assert first.returncode == 0, first.stderr
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(out, "runs")) for f in fs)
    assert len(files) == 3  # two tuning runs, one final run
    stamps = [os.stat(f).st_mtime_ns for f in files]
    second = _run(tiny)
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("done before, skipped") == 3 and ": start" not in second.stdout
    assert [os.stat(f).st_mtime_ns for f in files] == stamps
    other = _run([a if a != "1" else "2" for a in tiny])  # --seeds 2 --epochs 2 ...
    assert other.returncode == 2
    assert "was made with other settings" in other.stderr and "Traceback" not in other.stderr


def test_quenching_path_and_the_tempering_floor(tmp_path):
    out = tmp_path / "q"
    # one grid point (c = 0.1: eta far below its cap), 16 steps, warm-up 4, a floor at half the cap
    args = ["--out", str(out), "--problems", "fmnist_logreg", "--grid-points", "1", "--seeds", "2", "--subset", "2048",
            "--eval-subset", "200", "--epochs", "1", "--tune-epochs", "1", "--warmup", "4",
            "--tempering", "eta_min_fraction=0.5"]
    r = _run(args)
    assert r.returncode == 0, r.stderr
    report = (out / "report.md").read_text()
    assert "Smoothness L" in report and "proven bound" in report
    assert (out / "fmnist_logreg_quench.png").read_bytes()[:8] == PNG
    steps = _rows(out / "quench_steps.csv")
    for m in ("quench_derived", "quench_tuned", "quench_tuned_L", "quench_tempered"):
        mine = [x for x in steps if x["method"] == m]
        assert mine and all(math.isfinite(float(x["mean_eta"])) and float(x["median_bstar"]) > 0 for x in mine)
    # eta_min_fraction=0.5 reaches the optimizer as eta_min = 0.5 eta_max = 0.5 / (2 L)
    with open(out / "smoothness" / "fmnist_logreg.json") as f:
        floor = 0.5 / (2 * json.load(f)["L"])
    tempered = [float(x["mean_eta"]) for x in steps if x["method"] == "quench_tempered" and int(x["step"]) > 4]
    untempered = [float(x["mean_eta"]) for x in steps if x["method"] == "quench_tuned" and int(x["step"]) > 4]
    assert tempered and min(tempered) >= floor * (1 - 1e-6)
    assert untempered and max(untempered) < floor  # without the floor eta stays below it
    with open(out / "tuned" / "fmnist_logreg.json") as f:
        tuned = json.load(f)
    assert tuned["quench_tempered"] == tuned["quench_tuned"] and tuned["quench_derived"] is None

    bogus = _run(args[:1] + [str(tmp_path / "q2")] + args[2:-2] + ["--tempering", "bogus_option=1"])
    assert bogus.returncode == 2
    assert "quench_tempered" in bogus.stderr and "bogus_option" in bogus.stderr and "Traceback" not in bogus.stderr


def test_bad_settings_are_refused_by_name(tmp_path):
    r = _run(["--out", str(tmp_path / "x"), "--data", str(tmp_path / "nowhere"), "--methods", "sgd"])
    assert r.returncode == 2 and "nowhere: no such directory" in r.stderr and "Traceback" not in r.stderr
    r = _run(["--out", str(tmp_path / "x"), "--threads", "3"])
    assert r.returncode == 2 and "--threads must be 1 or 2" in r.stderr
    r = _run(["--out", str(tmp_path / "x"), "--tempering", "min_weight"])
    assert r.returncode == 2 and "expected NAME=VALUE" in r.stderr
    r = _run(["--out", str(tmp_path / "x"), "--methods", "sgd", "quench_tempered"])
    assert r.returncode == 2 and "add quench_tuned to --methods" in r.stderr
    r = _run(["--out", str(tmp_path / "x"), "--budget", "session", "--smoke"])
    assert r.returncode == 2 and "--budget session and --smoke exclude each other" in r.stderr


def test_minibatch_order_depends_on_seed_and_epoch_only():
    sys.path.insert(0, EXAMPLE)
    import study

    a = study.minibatch_order(1000, 1, 3)
    assert sorted(a.tolist()) == list(range(1000))
    assert a.equal(study.minibatch_order(1000, 1, 3))
    assert not a.equal(study.minibatch_order(1000, 2, 3)) and not a.equal(study.minibatch_order(1000, 1, 4))


def test_the_session_budget_is_the_plan_with_the_documented_reductions():
    sys.path.insert(0, EXAMPLE)
    import study

    plan = study.settings(study.parse_args(["--out", "x"]))
    session = study.settings(study.parse_args(["--out", "x", "--budget", "session"]))
    assert (plan["budget"], session["budget"]) == ("plan", "session")
    assert session["tune_epochs"] == dict(plan["tune_epochs"], fmnist_logreg=10)
    assert session["epochs"] == dict(plan["epochs"], fmnist_mlp=2)
    same = {k for k in plan if k not in ("budget", "tune_epochs", "epochs")}
    assert {k: session[k] for k in same} == {k: plan[k] for k in same}
    # every method of the README's table, 3 seeds; the full setting is one flag away
    assert set(session["methods"]["fmnist_logreg"]) == set(study.ALL_METHODS) and session["seeds"] == 3
    full = study.settings(study.parse_args(["--out", "x", "--deepobs"]))
    assert full["epochs"]["fmnist_mlp"] == 100 and full["grid_points"]["fmnist_mlp"] == 36 and full["seeds"] == 10
