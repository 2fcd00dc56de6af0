"""Writes the study's report from DIR/runs: report.md, CSV tables and PNG plots.

    python examples/fashion_mnist/report.py DIR

- results.csv: one row per final run (final test accuracy and loss, final training loss);
- curves.csv: every evaluated epoch of every final run;
- tuning.csv: every tuning run's final validation accuracy;
- quench_steps.csv: mean eta and median B* against steps for the quenching SGD runs;
- PROBLEM_test_accuracy.png, PROBLEM_train_loss.png: mean over seeds with a min-max band;
- PROBLEM_quench.png: mean eta and median B* against steps (mean over seeds, min-max band);
- tex/fmnist-macros.tex, tex/fmnist-table.tex: the paper's inputs (paper_tex.py);
- report.md: the settings, the smoothness constants, the tuning and the results table
  (mean, standard deviation and range over seeds, the tuned values).
"""

from __future__ import annotations

import csv
import glob
import io
import json
import math
import os
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import methods as methods_mod  # noqa: E402
import paper_tex  # noqa: E402
import problems as problems_mod  # noqa: E402
import study  # noqa: E402  (the budgets and DeepOBS's protocol, defined once there)


def _atomic_write(path: str, text: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def _csv(path: str, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    _atomic_write(path, buf.getvalue())


def load_runs(out: str) -> list[dict]:
    runs = []
    for path in sorted(glob.glob(os.path.join(out, "runs", "*", "*", "*.json"))):
        with open(path) as f:
            try:
                runs.append(json.load(f))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}: not a run record ({e})") from None
    return runs


def _fmt_value(v) -> str:
    return "derived" if v is None else f"{v:.4g}"


def _stats(xs: list[float]) -> tuple[float, float, float, float]:
    m = statistics.fmean(xs)
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return m, sd, min(xs), max(xs)


def _label(mid: str) -> str:
    return methods_mod.METHODS[mid].label if mid in methods_mod.METHODS else mid


def _band_plot(path: str, series: dict[str, dict[int, list[float]]], ylabel: str, title: str, logy: bool) -> None:
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for mid, by_x in series.items():
        xs = sorted(by_x)
        mean = [statistics.fmean(by_x[x]) for x in xs]
        lo = [min(by_x[x]) for x in xs]
        hi = [max(by_x[x]) for x in xs]
        line, = ax.plot(xs, mean, label=_label(mid), marker="o" if len(xs) < 12 else None, ms=3)
        ax.fill_between(xs, lo, hi, color=line.get_color(), alpha=0.2, lw=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    if logy:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path + ".tmp.png", dpi=110)
    plt.close(fig)
    os.replace(path + ".tmp.png", path)


def _quench_plot(path: str, series: dict[str, dict[int, list[tuple[float, float]]]], title: str) -> None:
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    for mid, by_step in series.items():
        steps = sorted(by_step)
        for ax, k in ((a1, 0), (a2, 1)):
            # log axes: the warm-up's eta = 0 is left out, not drawn as a fall to the axis
            vals = [[v[k] for v in by_step[s] if math.isfinite(v[k]) and v[k] > 0] for s in steps]
            keep = [(s, v) for s, v in zip(steps, vals) if v]
            if not keep:
                continue
            xs = [s for s, _ in keep]
            line, = ax.plot(xs, [statistics.fmean(v) for _, v in keep], label=_label(mid))
            ax.fill_between(xs, [min(v) for _, v in keep], [max(v) for _, v in keep], color=line.get_color(), alpha=0.2, lw=0)
    for ax, name in ((a1, "mean eta"), (a2, "median B* (examples)")):
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())  # no overlapping minor labels
        ax.set_yscale("log")
        ax.set_xlabel("step")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path + ".tmp.png", dpi=110)
    plt.close(fig)
    os.replace(path + ".tmp.png", path)


def _budget_lines(cfg: dict) -> list[str]:
    """What the run's named budget reduced, against DeepOBS's protocol and, for a budget
    other than the plan, against the plan (study.BUDGETS)."""
    name = cfg.get("budget", "plan")
    lines = [f"Budget: `{name}`; against DeepOBS's protocol: {cfg['seeds']} seeds instead of {study.DEEPOBS_SEEDS}, "
             f"learning rates {cfg['lr_range'][0]:g}..{cfg['lr_range'][1]:g} instead of "
             f"{study.DEEPOBS_LR_RANGE[0]:g}..{study.DEEPOBS_LR_RANGE[1]:g}, the epochs and grid points of each problem below."]
    if name not in ("plan", "deepobs", "smoke"):
        plan = study.BUDGETS["plan"]
        diffs = [f"{key.replace('_', ' ')} of {p}: {cfg[key][p]} instead of {plan[key][p]}"
                 for key in ("epochs", "tune_epochs", "grid_points") for p in sorted(cfg[key])
                 if p in plan[key] and cfg[key][p] != plan[key][p]]
        if cfg["seeds"] != plan["seeds"]:
            diffs.append(f"seeds: {cfg['seeds']} instead of {plan['seeds']}")
        lines[0] += f" Against the plan (`--budget plan`): {'; '.join(diffs) if diffs else 'nothing'}."
    return lines + [""]


def write_report(out: str) -> str:
    runs = load_runs(out)
    if not runs:
        raise ValueError(f"{out}: no runs under {os.path.join(out, 'runs')}")
    by_problem: dict[str, list[dict]] = defaultdict(list)
    for r in runs:
        by_problem[r["problem"]].append(r)

    results_rows, curve_rows, tuning_rows, step_rows = [], [], [], []
    md = ["# Fashion-MNIST: is quenching desirable?", ""]
    any_cfg = runs[0]["config"]
    md += [
        "Protocol: DeepOBS (Schneider, Balles and Hennig 2019): each method's meta-parameter tuned on a log "
        "grid (seed 0, final validation accuracy on held-out training images (10000, or the evaluation subset)), the chosen value rerun "
        "with seeds 1..S; the same initial weights and minibatch order for every method within a seed.",
        "",
        f"Settings: learning-rate grid {any_cfg['lr_range'][0]:g}..{any_cfg['lr_range'][1]:g}, "
        f"quenching factor grid {any_cfg['c_range'][0]:g}..{any_cfg['c_range'][1]:g}, seeds {any_cfg['seeds']}, "
        f"training subset {any_cfg['subset'] or 'none (50000 images)'}, evaluation subset {any_cfg['eval_subset'] or 'none'}, "
        f"warm-up K = {any_cfg['warmup']}, tempering of quench_tempered: "
        f"{next((r['config']['tempering'] for r in runs if 'tempering' in r['config']), 'no tempered runs')}"
        + (", **smoke run: the numbers mean nothing**" if any_cfg.get("smoke") else "")
        + ".",
        "",
    ]

    # each problem's process records its own problem's epochs and grid: the budget line takes all
    merged = dict(any_cfg)
    for key in ("epochs", "tune_epochs", "grid_points"):
        merged[key] = {}
        for r in runs:
            merged[key].update(r["config"][key])
    md += _budget_lines(merged)
    classes = sorted({(r.get("optimizer", "?"), r.get("optimizer_file", "?")) for r in runs
                      if methods_mod.METHODS.get(r["method"]) and methods_mod.METHODS[r["method"]].uses_quench})
    if classes:
        md += ["Quenching SGD from: " + "; ".join(f"`{c}` ({f})" for c, f in classes) + ".", ""]

    for problem in sorted(by_problem):
        rs = by_problem[problem]
        cfg = rs[0]["config"]
        md += [f"## {problem}", ""]
        sm = cfg.get("smoothness")
        if sm:
            md += [f"Smoothness L = {sm['L']:.6g} ({sm['kind']}); derived lambda_eta = B/(32 L), eta_max = 1/(2 L) = {0.5 / sm['L']:.4g}.", ""]
        deepobs_epochs = problems_mod.PROBLEMS[problem].epochs if problem in problems_mod.PROBLEMS else "?"
        md += [f"Epochs: {cfg['epochs'][problem]} per final run (DeepOBS: {deepobs_epochs}), "
               f"{cfg['tune_epochs'][problem]} per tuning run (DeepOBS: {deepobs_epochs}); "
               f"{cfg['grid_points'][problem]} grid points (DeepOBS: {study.DEEPOBS_GRID_POINTS}).", ""]

        tune = [r for r in rs if r["phase"] == "tune"]
        if tune:
            chosen_path = os.path.join(out, "tuned", f"{problem}.json")
            chosen = {}
            if os.path.exists(chosen_path):
                with open(chosen_path) as f:
                    chosen = json.load(f)
            edges = {}
            for r in tune:
                lo, hi = edges.get(r["method"], (math.inf, -math.inf))
                edges[r["method"]] = (min(lo, r["value"]), max(hi, r["value"]))
            md += ["Tuning (final validation accuracy, seed 0; **chosen** in bold; a choice at the grid's "
                   "edge means the grid should be wider):", "", "| method | value | validation acc. |", "|---|---|---|"]
            for r in sorted(tune, key=lambda r: (r["method"], r["value"])):
                acc = r["epochs"][-1]["valid_acc"] if r["status"] == "ok" and r["epochs"] else None
                mark = chosen.get(r["method"]) == r["value"]
                edge = mark and len(set(edges[r["method"]])) == 2 and r["value"] in edges[r["method"]]
                v = _fmt_value(r["value"])
                md.append(f"| {_label(r['method'])} | {f'**{v}**' if mark else v}{' (grid edge)' if edge else ''} | "
                          f"{'diverged' if acc is None else f'{acc:.4f}'} |")
                tuning_rows.append([problem, r["method"], r["value"], r["status"], "" if acc is None else acc])
            md.append("")

        finals = [r for r in rs if r["phase"] == "final"]
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in finals:
            groups[r["method"]].append(r)
        md += ["| method | tuned value | seeds | test acc. mean ± sd [min, max] | test loss mean ± sd | train loss mean ± sd |",
               "|---|---|---|---|---|---|"]
        acc_series, loss_series, q_series = {}, {}, {}
        order = [m for m in methods_mod.METHODS if m in groups] + sorted(set(groups) - set(methods_mod.METHODS))
        for mid in order:
            g = sorted(groups[mid], key=lambda r: r["seed"])
            ok = [r for r in g if r["status"] == "ok" and r["epochs"]]
            for r in g:
                last = r["epochs"][-1] if r["epochs"] else {}
                results_rows.append([problem, mid, r["value"], r["seed"], r["status"], last.get("epoch", ""),
                                     last.get("test_acc", ""), last.get("test_loss", ""), last.get("train_loss", ""),
                                     last.get("train_acc", "")])
                for e in r["epochs"]:
                    curve_rows.append([problem, mid, r["seed"], e["epoch"], e.get("train_loss"), e.get("train_acc"),
                                       e.get("test_loss"), e.get("test_acc"), e.get("minibatch_loss"), e.get("seconds")])
                for q in r["quench_steps"]:
                    step_rows.append([problem, mid, r["seed"], q["step"], q["mean_eta"], q["median_bstar"]])
            diverged = len(g) - len(ok)
            if ok:
                a = _stats([r["epochs"][-1]["test_acc"] for r in ok])
                tl = _stats([r["epochs"][-1]["test_loss"] for r in ok])
                trl = _stats([r["epochs"][-1]["train_loss"] for r in ok])
                md.append(f"| {_label(mid)} | {_fmt_value(g[0]['value'])} | {len(ok)}{f' ({diverged} diverged)' if diverged else ''} | "
                          f"{a[0]:.4f} ± {a[1]:.4f} [{a[2]:.4f}, {a[3]:.4f}] | {tl[0]:.4f} ± {tl[1]:.4f} | {trl[0]:.4f} ± {trl[1]:.4f} |")
            else:
                md.append(f"| {_label(mid)} | {_fmt_value(g[0]['value'])} | 0 ({diverged} diverged) | - | - | - |")
            acc_series[mid] = defaultdict(list)
            loss_series[mid] = defaultdict(list)
            for r in ok:
                for e in r["epochs"]:
                    acc_series[mid][e["epoch"]].append(e["test_acc"])
                    loss_series[mid][e["epoch"]].append(e["train_loss"])
            if any(r["quench_steps"] for r in g):
                q_series[mid] = defaultdict(list)
                for r in g:
                    for q in r["quench_steps"]:
                        q_series[mid][q["step"]].append((q["mean_eta"], q["median_bstar"]))
        md.append("")
        if finals:
            _band_plot(os.path.join(out, f"{problem}_test_accuracy.png"), acc_series, "test accuracy",
                       f"{problem}: test accuracy (mean, min-max over seeds)", False)
            _band_plot(os.path.join(out, f"{problem}_train_loss.png"), loss_series, "training loss (10000 images)",
                       f"{problem}: training loss (mean, min-max over seeds)", True)
            md += [f"![test accuracy]({problem}_test_accuracy.png)", f"![training loss]({problem}_train_loss.png)", ""]
        if q_series:
            _quench_plot(os.path.join(out, f"{problem}_quench.png"), q_series, f"{problem}: quenching SGD's rates and windows")
            md += [f"![eta and B*]({problem}_quench.png)", ""]

    _csv(os.path.join(out, "results.csv"),
         ["problem", "method", "value", "seed", "status", "epoch", "test_acc", "test_loss", "train_loss", "train_acc"], results_rows)
    _csv(os.path.join(out, "curves.csv"),
         ["problem", "method", "seed", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "minibatch_loss", "seconds"], curve_rows)
    _csv(os.path.join(out, "tuning.csv"), ["problem", "method", "value", "status", "valid_acc"], tuning_rows)
    _csv(os.path.join(out, "quench_steps.csv"), ["problem", "method", "seed", "step", "mean_eta", "median_bstar"], step_rows)
    path = os.path.join(out, "report.md")
    _atomic_write(path, "\n".join(md) + "\n")
    paper_tex.write(out)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: report.py DIR", file=sys.stderr)
        sys.exit(2)
    try:
        print(write_report(sys.argv[1]))
    except ValueError as e:
        print(f"report: error: {e}", file=sys.stderr)
        sys.exit(2)
