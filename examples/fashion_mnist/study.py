"""The Fashion-MNIST optimizer study: "is quenching desirable?", answered the way DeepOBS
benchmarks an optimizer.

    python examples/fashion_mnist/study.py --out DIR            # the planned study (README)
    python examples/fashion_mnist/study.py --out DIR --budget session  # the reduced, committed run
    python examples/fashion_mnist/study.py --out DIR --deepobs  # DeepOBS's full setting
    python examples/fashion_mnist/study.py --out DIR --smoke    # a tiny pipeline check

Protocol (DeepOBS, Schneider, Balles and Hennig 2019): for every problem and method, tune
the method's one meta-parameter on a log grid (seed 0), pick the value with the best final
validation accuracy, then rerun that value with seeds 1..S. Within a seed every method
starts from the same initial weights and sees the same minibatches in the same order.
Validation: 10000 of the 60000 training images are held out (a fixed split) and used only
for the choice; training uses the other 50000; test accuracy is reported, never used to
choose (DeepOBS 1.1 chose on the test set; this study does not).

Every run is written to DIR/runs/ as soon as it finishes (atomically); a second call with
the same settings skips the finished runs, so an interrupted study resumes. The report is
written at the end (and can be rewritten alone with report.py).
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist_data  # noqa: E402
import methods as methods_mod  # noqa: E402
import problems as problems_mod  # noqa: E402
import quench_adapter  # noqa: E402
import smoothness  # noqa: E402
from training import Diverged, evaluate, tensors, train_epoch  # noqa: E402

SPLIT_SEED = 20190506  # the fixed train/validation split
VALID_SIZE = 10000
TRAIN_EVAL_SIZE = 10000  # DeepOBS evaluates the training loss on 10000 training images
TUNE_SEED = 0
HESSIAN_SAMPLE = 1000

# The named budgets (README: the budget arithmetic). --deepobs replaces them with DeepOBS's.
ALL_METHODS = list(methods_mod.METHODS)
# quench_tuned_L fits the budget on the cheap convex problem only
_METHODS = {"fmnist_logreg": ALL_METHODS, "fmnist_mlp": [m for m in ALL_METHODS if m != "quench_tuned_L"],
            "fmnist_2c2d": [m for m in ALL_METHODS if m != "quench_tuned_L"]}
BUDGETS = {
    # about 90 minutes on the 2-core machine with --jobs 2
    "plan": {
        "problems": ["fmnist_logreg", "fmnist_mlp"],
        "methods": _METHODS,
        "epochs": {"fmnist_logreg": 50, "fmnist_mlp": 4, "fmnist_2c2d": 2},
        "tune_epochs": {"fmnist_logreg": 50, "fmnist_mlp": 1, "fmnist_2c2d": 1},
        "grid_points": {"fmnist_logreg": 7, "fmnist_mlp": 5, "fmnist_2c2d": 3},
        "seeds": 3,
    },
    # about 45 minutes on the same machine shared with other work (load 4 to 8): the plan with
    # 10 instead of 50 tuning epochs for fmnist_logreg and 2 instead of 4 final epochs for fmnist_mlp
    "session": {
        "problems": ["fmnist_logreg", "fmnist_mlp"],
        "methods": _METHODS,
        "epochs": {"fmnist_logreg": 50, "fmnist_mlp": 2, "fmnist_2c2d": 1},
        "tune_epochs": {"fmnist_logreg": 10, "fmnist_mlp": 1, "fmnist_2c2d": 1},
        "grid_points": {"fmnist_logreg": 7, "fmnist_mlp": 5, "fmnist_2c2d": 3},
        "seeds": 3,
    },
}
LR_RANGE = (1e-4, 10.0)  # the planned grid; DeepOBS: 1e-5 .. 1e2, 36 points
C_RANGE = (0.1, 1000.0)  # quenching SGD's factor on lambda_eta = c B/(32 L)
DEEPOBS_LR_RANGE, DEEPOBS_GRID_POINTS, DEEPOBS_SEEDS = (1e-5, 1e2), 36, 10


class StudyError(RuntimeError):
    """A setting or a state of DIR that stops the study, with what to do about it."""


@dataclass
class ProblemData:
    problem: problems_mod.Problem
    x: torch.Tensor
    y: torch.Tensor
    x_train_eval: torch.Tensor
    y_train_eval: torch.Tensor
    x_valid: torch.Tensor
    y_valid: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    train_images: np.ndarray  # uint8, for the smoothness bound


def split_indices(subset: int | None, eval_subset: int | None) -> tuple[np.ndarray, np.ndarray]:
    perm = np.random.default_rng(SPLIT_SEED).permutation(60000)
    valid, train = perm[:VALID_SIZE], perm[VALID_SIZE:]
    if subset is not None:
        train = train[:subset]
    if eval_subset is not None:
        valid = valid[:eval_subset]
    return train, valid


def load_data(args, problem: problems_mod.Problem, splits) -> ProblemData:
    train, test = splits
    train_idx, valid_idx = split_indices(args.subset, args.eval_subset)
    tr = fmnist_data.Split(train.images[train_idx], train.labels[train_idx])
    va = fmnist_data.Split(train.images[valid_idx], train.labels[valid_idx])
    te = test if args.eval_subset is None else fmnist_data.Split(test.images[: args.eval_subset], test.labels[: args.eval_subset])
    x, y = tensors(tr, problem.image_input)
    xv, yv = tensors(va, problem.image_input)
    xt, yt = tensors(te, problem.image_input)
    n_eval = min(TRAIN_EVAL_SIZE if args.eval_subset is None else args.eval_subset, x.shape[0])
    return ProblemData(problem, x, y, x[:n_eval], y[:n_eval], xv, yv, xt, yt, tr.images)


def smoothness_of(data: ProblemData, out: str) -> dict:
    """L for the problem (cached in DIR: the MLP's estimate costs a few epochs' time)."""
    path = os.path.join(out, "smoothness", f"{data.problem.name}.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    if data.problem.convex:
        b = smoothness.logreg_bound(data.train_images)
        info = {"L": b.L, "kind": "proven bound (1/2) lambda_max(M), Collatz-Wielandt",
                "trace_bound": b.trace_bound, "collatz_wielandt_bound": b.collatz_wielandt_bound}
    else:
        model = problems_mod.build(data.problem, TUNE_SEED)
        n = min(HESSIAN_SAMPLE, data.x.shape[0])
        L = smoothness.hessian_top_eigenvalue(model, data.x[:n], data.y[:n])
        info = {"L": L, "kind": f"estimate: top Hessian eigenvalue at the initial weights (seed {TUNE_SEED}), "
                f"power iteration on {n} training images; not a bound"}
    if not (math.isfinite(info["L"]) and info["L"] > 0):
        raise StudyError(f"{data.problem.name}: smoothness L = {info['L']} is not finite and > 0")
    write_json(path, info)
    return info


def write_json(path: str, obj) -> None:
    """Atomic: a reader sees the old file or the whole new one, never half of one."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def run_path(out: str, phase: str, problem: str, method: str, value, seed: int) -> str:
    v = "derived" if value is None else f"{value:.4g}"
    return os.path.join(out, "runs", problem, method, f"{phase}_{v}_seed{seed}.json")


class Progress:
    """Prints one line per epoch with the study's estimated time left."""

    def __init__(self, total_epochs: dict[str, int]):
        self.left = dict(total_epochs)  # problem -> epochs still to run
        self.seconds: dict[str, list[float]] = {p: [] for p in total_epochs}
        self.start = time.perf_counter()

    def epoch_done(self, problem: str, seconds: float) -> None:
        self.left[problem] -= 1
        self.seconds[problem].append(seconds)

    def skip(self, problem: str, epochs: int) -> None:
        self.left[problem] -= epochs

    def eta(self) -> str:
        known = [s for v in self.seconds.values() for s in v]
        if not known:
            return "?"
        fallback = sum(known) / len(known)
        total = 0.0
        for p, n in self.left.items():
            per = sum(self.seconds[p]) / len(self.seconds[p]) if self.seconds[p] else fallback
            total += max(n, 0) * per
        return f"{total / 60:.1f} min"


def minibatch_order(n: int, seed: int, epoch: int) -> torch.Tensor:
    """The permutation of epoch `epoch` in seed `seed`: it depends on nothing else, so every
    method of a seed sees the same minibatches in the same order."""
    return torch.randperm(n, generator=torch.Generator().manual_seed(1_000_003 * seed + epoch))


def run_one(data: ProblemData, method: methods_mod.Method, value, seed: int, epochs: int, phase: str,
            qctx: methods_mod.QuenchContext, progress: Progress, label: str, config: dict) -> dict:
    p = data.problem
    model = problems_mod.build(p, seed)
    opt = methods_mod.make_optimizer(method, value, model.parameters(), qctx)
    final_only = phase == "tune"
    record = {"config": config, "phase": phase, "problem": p.name, "method": method.id, "value": value,
              "seed": seed, "epochs_planned": epochs, "status": "ok", "epochs": [], "quench_steps": [],
              "optimizer": f"{type(opt).__module__}.{type(opt).__qualname__}",
              "optimizer_file": inspect.getfile(type(opt))}

    def measure(epoch: int, minibatch_loss: float, seconds: float) -> None:
        row = {"epoch": epoch, "minibatch_loss": minibatch_loss, "seconds": seconds}
        row["train_loss"], row["train_acc"] = evaluate(model, data.x_train_eval, data.y_train_eval)
        if phase == "tune":
            row["valid_loss"], row["valid_acc"] = evaluate(model, data.x_valid, data.y_valid)
        else:
            row["test_loss"], row["test_acc"] = evaluate(model, data.x_test, data.y_test)
        record["epochs"].append(row)

    step = 0
    next_log = 1

    def after_step() -> None:
        nonlocal step, next_log
        step += 1
        if step >= next_log:
            eta, bstar = quench_adapter.diagnostics(opt)
            record["quench_steps"].append({"step": step, "mean_eta": eta, "median_bstar": bstar})
            next_log = max(next_log + 1, int(next_log * 1.05))

    if not final_only:
        measure(0, float("nan"), 0.0)
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        order = minibatch_order(data.x.shape[0], seed, epoch)
        try:
            mb = train_epoch(model, opt, data.x, data.y, order, p.batch_size,
                             after_step if method.uses_quench else None)
        except Diverged as e:
            record["status"] = "diverged"
            record["diverged"] = f"epoch {epoch}: {e}"
            progress.skip(p.name, epochs - epoch + 1)
            print(f"  {label}: diverged in epoch {epoch} ({e})", flush=True)
            break
        if not final_only or epoch == epochs:
            measure(epoch, mb, time.perf_counter() - t0)
        seconds = time.perf_counter() - t0
        progress.epoch_done(p.name, seconds)
        last = record["epochs"][-1] if record["epochs"] else {}
        acc = last.get("valid_acc", last.get("test_acc", float("nan"))) if last.get("epoch") == epoch else float("nan")
        print(f"  {label}: epoch {epoch}/{epochs}, minibatch loss {mb:.4f}, "
              f"{'valid' if phase == 'tune' else 'test'} acc {acc:.4f}, {seconds:.1f} s, study left ~{progress.eta()}",
              flush=True)
    return record


def final_score(record: dict) -> float:
    """The tuning criterion: final validation accuracy; a diverged run scores -inf."""
    if record["status"] != "ok" or not record["epochs"]:
        return -math.inf
    return record["epochs"][-1]["valid_acc"]


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Fashion-MNIST optimizer study (DeepOBS protocol)")
    ap.add_argument("--out", required=True, help="output folder (runs, report); reused to resume")
    ap.add_argument("--data", default=fmnist_data.DEFAULT_DIRECTORY)
    ap.add_argument("--problems", nargs="+", choices=sorted(problems_mod.PROBLEMS))
    ap.add_argument("--methods", nargs="+", choices=list(methods_mod.METHODS),
                    help="methods of every problem (default: the plan's, per problem)")
    ap.add_argument("--epochs", type=int, help="epochs of every final run (default: the plan's, per problem)")
    ap.add_argument("--tune-epochs", type=int, help="epochs of every tuning run (default: the plan's)")
    ap.add_argument("--subset", type=int, help="train on the first N of the 50000 training images")
    ap.add_argument("--eval-subset", type=int, help="evaluate on N images (train-eval, validation, test)")
    ap.add_argument("--seeds", type=int, help="final runs per method (seeds 1..S)")
    ap.add_argument("--grid-points", type=int, help="points of each log grid")
    ap.add_argument("--warmup", type=int, default=20, help="quenching SGD's warm-up K (steps)")
    ap.add_argument("--tempering", nargs="*", default=["eta_min_fraction=0.1"], metavar="NAME=VALUE",
                    help="QuenchSGD options of quench_tempered (README: the core's tempering options)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 or 2; README: why 1)")
    ap.add_argument("--budget", choices=sorted(BUDGETS), default="plan",
                    help="the named setting of epochs, grid points and seeds (README: the budget)")
    ap.add_argument("--deepobs", action="store_true",
                    help="DeepOBS's full setting: its epochs, the 36-point grid 1e-5..1e2, 10 seeds")
    ap.add_argument("--smoke", action="store_true",
                    help="pipeline check: 2000 images, 1 epoch, 2 grid points, 2 seeds")
    ap.add_argument("--jobs", type=int, default=1,
                    help="run up to N problems at once, one process (of --threads threads) each")
    ap.add_argument("--no-report", action="store_true")
    args = ap.parse_args(argv)
    if args.deepobs and args.smoke:
        ap.error("--deepobs and --smoke exclude each other")
    if (args.deepobs or args.smoke) and args.budget != "plan":
        ap.error(f"--budget {args.budget} and --{'deepobs' if args.deepobs else 'smoke'} exclude each other")
    for name in ("epochs", "tune_epochs", "subset", "eval_subset", "seeds", "grid_points", "warmup", "jobs"):
        v = getattr(args, name)
        if v is not None and v < 1:
            ap.error(f"--{name.replace('_', '-')} must be >= 1 (got {v})")
    if args.subset is not None and args.subset > 50000:
        ap.error(f"--subset must be <= 50000 (got {args.subset})")
    if not 1 <= args.threads <= 2:
        ap.error(f"--threads must be 1 or 2 (got {args.threads}): the machine has 2 cores")
    return args


def settings(args) -> dict:
    """Every setting that decides the runs' numbers (stored in every run, checked on resume)."""
    if args.smoke:
        base = {"problems": ["fmnist_logreg", "fmnist_mlp"], "epochs": {}, "tune_epochs": {},
                "grid_points": {}, "seeds": 2, "subset": 2000, "eval_subset": 1000}
        default_epochs, default_tune, default_grid = 1, 1, 2
    elif args.deepobs:
        base = {"problems": ["fmnist_logreg", "fmnist_mlp", "fmnist_2c2d"],
                "epochs": {k: p.epochs for k, p in problems_mod.PROBLEMS.items()},
                "tune_epochs": {k: p.epochs for k, p in problems_mod.PROBLEMS.items()},
                "grid_points": {k: DEEPOBS_GRID_POINTS for k in problems_mod.PROBLEMS},
                "seeds": DEEPOBS_SEEDS, "subset": None, "eval_subset": None}
        default_epochs = default_tune = default_grid = None
    else:
        base = dict(BUDGETS[args.budget], subset=None, eval_subset=None)
        default_epochs = default_tune = default_grid = None
    probs = args.problems or base["problems"]
    s = {
        "problems": probs,
        "methods": {p: args.methods or base.get("methods", {}).get(p, ALL_METHODS) for p in probs},
        "epochs": {p: args.epochs or base["epochs"].get(p, default_epochs) for p in probs},
        "tune_epochs": {p: args.tune_epochs or base["tune_epochs"].get(p, default_tune) for p in probs},
        "grid_points": {p: args.grid_points or base["grid_points"].get(p, default_grid) for p in probs},
        "seeds": args.seeds or base["seeds"],
        "subset": args.subset if args.subset is not None else base["subset"],
        "eval_subset": args.eval_subset if args.eval_subset is not None else base["eval_subset"],
        "lr_range": DEEPOBS_LR_RANGE if args.deepobs else LR_RANGE,
        "c_range": C_RANGE,
        "warmup": args.warmup,
        "tempering": methods_mod.parse_tempering(args.tempering),
        "budget": "deepobs" if args.deepobs else "smoke" if args.smoke else args.budget,
        "deepobs": args.deepobs,
        "smoke": args.smoke,
    }
    for p, ms in s["methods"].items():
        for m in ms:
            source = methods_mod.METHODS[m].tuned_from
            if source and source not in ms:
                raise StudyError(f"{p}: {m} takes its tuned value from {source}; add {source} to --methods")
    return s


def check_quench(method_ids: list[str], qctx: methods_mod.QuenchContext) -> None:
    """Quenching SGD needs quench.torch; every quench method is built once on a dummy
    parameter so that a missing option fails before any run starts."""
    wanted = [methods_mod.METHODS[m] for m in method_ids]
    if not any(m.uses_quench for m in wanted):
        return
    cls, why = quench_adapter.load()
    if cls is None:
        raise StudyError(f"{why}. Install the project's Python package (bash scripts/setup_python.sh), "
                         "or run only the baselines: --methods sgd momentum adam")
    for m in wanted:
        if m.uses_quench:
            try:
                methods_mod.make_optimizer(m, 1.0, [torch.zeros(3, requires_grad=True)], qctx)
            except Exception as e:
                raise StudyError(f"method {m.id}: QuenchSGD cannot be built ({type(e).__name__}: {e})") from None


def child_argv(argv: list[str], problem: str) -> list[str]:
    """`argv` without --jobs, --problems and --no-report, for one problem, with no report."""
    out, skip = [], False
    for tok in argv:
        if skip and not tok.startswith("--"):
            continue
        skip = False
        name = tok.split("=", 1)[0]
        if name in ("--jobs", "--problems"):
            skip = "=" not in tok
            continue
        if name == "--no-report":
            continue
        out.append(tok)
    return out + ["--problems", problem, "--jobs", "1", "--no-report"]


def run_parallel(argv: list[str], problem_names: list[str], jobs: int) -> int:
    """One child process per problem, at most `jobs` at once, their output relayed with the
    problem's name in front; returns the first non-zero exit code (0 if none)."""
    pending = list(problem_names)
    running: dict[str, subprocess.Popen] = {}
    relays = []
    code = 0

    def relay(name, stream):
        for line in stream:
            print(f"[{name}] {line}", end="", flush=True)

    while pending or running:
        while pending and len(running) < jobs:
            name = pending.pop(0)
            proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), *child_argv(argv, name)],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            t = threading.Thread(target=relay, args=(name, proc.stdout), daemon=True)
            t.start()
            relays.append(t)
            running[name] = proc
        for name, proc in list(running.items()):
            if proc.poll() is not None:
                del running[name]
                if proc.returncode != 0 and code == 0:
                    code = proc.returncode
        time.sleep(0.2)
    for t in relays:
        t.join()
    return code


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    s = settings(args)
    out = args.out
    os.makedirs(out, exist_ok=True)
    if args.jobs > 1 and len(s["problems"]) > 1:
        start = time.perf_counter()
        # the most expensive problems first, so that the cheap ones fill the gaps
        cost = {"fmnist_2c2d": 0, "fmnist_mlp": 1, "fmnist_logreg": 2}
        code = run_parallel(argv, sorted(s["problems"], key=lambda p: cost.get(p, 3)), args.jobs)
        if code != 0:
            raise StudyError(f"a problem's process failed (exit {code}); its finished runs are kept, "
                             "the same command resumes")
        if not args.no_report:
            import report
            print(f"study: report in {report.write_report(out)}", flush=True)
        print(f"study: done in {(time.perf_counter() - start) / 60:.1f} min", flush=True)
        return 0
    print(f"study: torch {torch.__version__}, {torch.get_num_threads()} thread(s); settings {json.dumps(s)}", flush=True)

    splits = fmnist_data.load(args.data)
    args.subset, args.eval_subset = s["subset"], s["eval_subset"]

    # Every run of the study, in order: tuning runs first, then final runs (which need the choice).
    plan_total = {}
    prepared = {}
    # The check builds each quench method once with a placeholder L; the real L comes later.
    wanted = [m for m in ALL_METHODS if any(m in s["methods"][p] for p in s["problems"])]
    check_quench(wanted, methods_mod.QuenchContext(128, 1.0, s["warmup"], s["tempering"]))
    for name in s["problems"]:
        data = load_data(args, problems_mod.PROBLEMS[name], splits)
        method_ids = s["methods"][name]
        L = smoothness_of(data, out) if any(methods_mod.METHODS[m].uses_quench for m in method_ids) else None
        qctx = methods_mod.QuenchContext(data.problem.batch_size, L["L"] if L else 1.0, s["warmup"], s["tempering"])
        prepared[name] = (data, L, qctx, method_ids)
        tuned = [m for m in method_ids if methods_mod.METHODS[m].tuned and not methods_mod.METHODS[m].tuned_from]
        plan_total[name] = len(tuned) * s["grid_points"][name] * s["tune_epochs"][name] + len(method_ids) * s["seeds"] * s["epochs"][name]
    progress = Progress(plan_total)
    # what decides a run's numbers (the list of problems and methods does not)
    config_common = {k: v for k, v in s.items() if k not in ("problems", "methods")}

    for name, (data, L, qctx, method_ids) in prepared.items():
        config = dict(config_common, problem=name, smoothness=L)
        chosen: dict[str, float | None] = {}
        # ---- tuning ----------------------------------------------------------------------
        for mid in method_ids:
            m = methods_mod.METHODS[mid]
            if not m.tuned or m.tuned_from:
                continue
            grid = methods_mod.log_grid(*(s["lr_range"] if m.tuned == "lr" else s["c_range"]), s["grid_points"][name])
            scores = []
            for v in grid:
                rec = run_cached(out, "tune", data, m, v, TUNE_SEED, s["tune_epochs"][name], qctx, progress, config)
                scores.append(final_score(rec))
            best = int(np.argmax(scores))
            if not math.isfinite(scores[best]):
                raise StudyError(f"{name} {mid}: every value of the grid {grid} diverged")
            chosen[mid] = grid[best]
            print(f"study: {name} {mid}: tuned {m.tuned} = {grid[best]:.4g} (validation accuracy {scores[best]:.4f})", flush=True)
        for mid in method_ids:
            m = methods_mod.METHODS[mid]
            if m.tuned_from:
                if m.tuned_from not in chosen:
                    raise StudyError(f"{mid} takes its value from {m.tuned_from}: run both (--methods)")
                chosen[mid] = chosen[m.tuned_from]
            elif not m.tuned:
                chosen[mid] = None
        write_json(os.path.join(out, "tuned", f"{name}.json"), chosen)
        # ---- final runs ------------------------------------------------------------------
        for mid in method_ids:
            for seed in range(1, s["seeds"] + 1):
                run_cached(out, "final", data, methods_mod.METHODS[mid], chosen[mid], seed, s["epochs"][name], qctx, progress, config)

    if not args.no_report:
        import report
        path = report.write_report(out)
        print(f"study: report in {path}", flush=True)
    print(f"study: done in {(time.perf_counter() - progress.start) / 60:.1f} min", flush=True)
    return 0


def run_cached(out, phase, data, method, value, seed, epochs, qctx, progress, config) -> dict:
    if method.id != "quench_tempered":  # the tempering options decide only the tempered runs
        config = {k: v for k, v in config.items() if k != "tempering"}
    path = run_path(out, phase, data.problem.name, method.id, value, seed)
    label = f"{phase} {data.problem.name} {method.id} {'derived' if value is None else f'{value:.4g}'} seed {seed}"
    if os.path.exists(path):
        with open(path) as f:
            rec = json.load(f)
        if rec.get("config") != json.loads(json.dumps(config)):
            raise StudyError(f"{path} was made with other settings; use another --out (or delete it)")
        progress.skip(data.problem.name, epochs)
        print(f"  {label}: done before, skipped", flush=True)
        return rec
    print(f"  {label}: start", flush=True)
    rec = run_one(data, method, value, seed, epochs, phase, qctx, progress, label, config)
    write_json(path, rec)
    return rec


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (StudyError, fmnist_data.IdxError, ValueError) as e:
        print(f"study: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("study: interrupted; finished runs are kept, run the same command to resume", file=sys.stderr)
        sys.exit(130)
