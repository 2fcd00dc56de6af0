#!/usr/bin/python3
"""Runs the quench benchmarks and writes benchmarks/results/results.md and results.csv.

The paper and the README take their numbers from these files. Every ratio is between two
measurements of the same run (never against a stored number):
  - step vs limit: quench::step's bytes/s over the best triad's bytes/s (any thread count)
    at the same d, bytes counted as the loops really move them (bench_step.cpp);
  - step vs shape: the same over the best `shape` kernel's (the step's own access pattern,
    six arrays in and five out after a read pass, with one addition per value);
  - step vs Adam / SGD: coordinates per second, same d, same run;
  - cost of exactness: coordinates per second of double over that of each type;
  - oracle: steps per second of `quench-oracle run` (bench_oracle, in process, d = 10) at
    double and 50 digits, without and with --enclose; slowdown = double's steps/s over each;
  - property suite: cases per second of the heaviest properties, timed here (wall clock of
    the property binary run with RC_PARAMS="max_success=N seed=S" and --gtest_filter on one
    property, minus the binary's start-up time measured in the same run; the cases are the
    successful ones the property prints). Never a CTest test.

Usage: benchmarks/run_benchmarks.py [--build DIR] [--native-build DIR] [--max-d 1e8]
         [--min-time 0.5] [--repetitions 3] [--parts step,exactness,oracle,property]
         [--property-cases 1000] [--out benchmarks/results]
--build is a configured build tree with bench_step and bench_exactness (default: build);
--native-build, when given, is a second tree configured with -march=native, whose step
figures appear next to the default ones. --parts runs only some parts (the others are
reported as not measured: give --out elsewhere than benchmarks/results for such partial
runs). Standard library only (/usr/bin/python3).

results.csv: one row per measurement; `table` says which columns mean what. step and kernel
rows as their headers say; exactness: step_coords_per_s = coordinates/s, step_over_adam =
slowdown vs double; oracle: type = variant, d = 10, isa = the run's flags,
step_coords_per_s = steps/s, step_over_adam = slowdown vs double; property: type = the
GoogleTest name, d = cases, step_coords_per_s = cases/s.
"""
import argparse
import csv
import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_json(binary, args):
    """Runs one benchmark binary and returns its list of benchmark records."""
    cmd = [binary, "--benchmark_format=json"] + args
    print("running:", " ".join(cmd), file=sys.stderr, flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("run_benchmarks: %s failed (exit %d):\n%s" % (" ".join(cmd), done.returncode, done.stderr[-3000:]))
    return json.loads(done.stdout)["benchmarks"]


def machine(build):
    """A description of the machine and the build: CPU, cores, memory, compiler, flags."""
    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for key in ("Model name", "CPU(s)", "Thread(s) per core", "L3 cache"):
            m = re.search(r"^%s:\s*(.+)$" % re.escape(key), lscpu, re.M)
            if m:
                info[key] = m.group(1).strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
            info["Memory"] = "%.1f GiB" % (kb / 2**20)
    except (OSError, AttributeError):
        pass
    info["Kernel"] = platform.release()
    try:  # the machine is shared: the load when the run started says how noisy it was
        info["Load average (1, 5, 15 min) at start"] = "%.2f, %.2f, %.2f" % os.getloadavg()
    except OSError:
        pass
    cache = os.path.join(build, "CMakeCache.txt")
    if os.path.exists(cache):
        with open(cache) as f:
            text = f.read()
        for key in ("CMAKE_CXX_COMPILER", "CMAKE_BUILD_TYPE", "CMAKE_CXX_FLAGS"):
            m = re.search(r"^%s:\w+=(.*)$" % key, text, re.M)
            if m:
                info[key] = m.group(1).strip()
        if "CMAKE_BUILD_TYPE" in info:
            m = re.search(r"^CMAKE_CXX_FLAGS_%s:\w+=(.*)$" % info["CMAKE_BUILD_TYPE"].upper(), text, re.M)
            if m:
                info["CMAKE_CXX_FLAGS_" + info["CMAKE_BUILD_TYPE"].upper()] = m.group(1).strip()
    if "CMAKE_CXX_COMPILER" in info:
        v = subprocess.run([info["CMAKE_CXX_COMPILER"], "--version"], capture_output=True, text=True)
        info["Compiler"] = v.stdout.splitlines()[0] if v.stdout else "?"
    return info


def parse_name(name):
    """'step/double/1000/real_time' -> ['step', 'double', '1000']."""
    return [p for p in name.split("/") if p not in ("real_time",) and not p.startswith("min_time")
            and not p.startswith("iterations")]


def step_table(records, build_label):
    """Rows of the step table: per type and d, step vs triad, Adam and SGD."""
    by = {}  # best of the repetitions (as STREAM reports), for every kernel alike
    for r in records:
        if r.get("run_type") == "aggregate":
            continue
        key = tuple(parse_name(r["name"]))
        if key not in by or r["bytes_per_second"] > by[key]["bytes_per_second"]:
            by[key] = r
    rows = []
    types = sorted({k[1] for k in by if k[0] == "step"}, key=lambda t: t != "double")
    for t in types:
        dims = sorted({int(k[2]) for k in by if k[0] == "step" and k[1] == t})
        for d in dims:
            step = by[("step", t, str(d))]
            triads = [v for k, v in by.items() if k[0] == "triad" and k[1] == t and k[3] == str(d)]
            best_triad = max(triads, key=lambda v: v["bytes_per_second"])
            shapes = [v for k, v in by.items() if k[0] == "shape" and k[1] == t and k[3] == str(d)]
            best_shape = max(shapes, key=lambda v: v["bytes_per_second"]) if shapes else None
            adam = by.get(("adam", t, str(d)))
            sgd = by.get(("sgd", t, str(d)))
            kernels = {k[2] + "/" + k[3]: v["items_per_second"] for k, v in by.items()
                       if k[0] == "kernel" and k[1] == t and k[4] == str(d)}
            rows.append({
                "build": build_label, "type": t, "d": d,
                "isa": step.get("label", ""), "threads": int(step.get("threads", 1)),
                "step_coords_per_s": step["items_per_second"],
                "step_bytes_per_s": step["bytes_per_second"],
                "triad_bytes_per_s": best_triad["bytes_per_second"],
                "triad_threads": parse_name(best_triad["name"])[2],
                "ratio_to_triad": step["bytes_per_second"] / best_triad["bytes_per_second"],
                "shape_bytes_per_s": best_shape["bytes_per_second"] if best_shape else float("nan"),
                "ratio_to_shape": (step["bytes_per_second"] / best_shape["bytes_per_second"]
                                   if best_shape else float("nan")),
                "adam_coords_per_s": adam["items_per_second"] if adam else float("nan"),
                "sgd_coords_per_s": sgd["items_per_second"] if sgd else float("nan"),
                "step_over_adam": step["items_per_second"] / adam["items_per_second"] if adam else float("nan"),
                "step_over_sgd": step["items_per_second"] / sgd["items_per_second"] if sgd else float("nan"),
                "kernels": kernels,
            })
    return rows


def exact_table(records):
    rates = {}
    for r in records:
        parts = parse_name(r["name"])
        if parts[0] == "exact" and r.get("run_type") != "aggregate":
            rates[parts[1]] = max(rates.get(parts[1], 0.0), r["items_per_second"])
    base = rates.get("double")
    return [{"type": t, "coords_per_s": v, "slowdown_vs_double": base / v if base else float("nan")}
            for t, v in rates.items()]


def oracle_table(records):
    """Per variant of `quench-oracle run`: steps/s (best repetition) and slowdown vs double."""
    best = {}
    for r in records:
        parts = parse_name(r["name"])
        if parts[0] != "oracle_run" or r.get("run_type") == "aggregate":
            continue
        if "error_occurred" in r and r["error_occurred"]:
            sys.exit("run_benchmarks: %s failed: %s" % (r["name"], r.get("error_message", "?")))
        if parts[1] not in best or r["items_per_second"] > best[parts[1]]["items_per_second"]:
            best[parts[1]] = r
    base = best.get("double")
    return [{"variant": v, "flags": r.get("label", ""), "steps": int(r.get("steps", 0)),
             "steps_per_s": r["items_per_second"],
             "slowdown_vs_double": base["items_per_second"] / r["items_per_second"] if base else float("nan")}
            for v, r in best.items()]


def stepwise_table(records):
    """The stepwise verdict per variant and d: coordinate-steps/s (best repetition) and its
    cost relative to the core's double step at the same d in the same run (bench_stepwise)."""
    best = {}
    for r in records:
        if r.get("run_type") == "aggregate":
            continue
        if "error_occurred" in r and r["error_occurred"]:
            sys.exit("run_benchmarks: %s failed: %s" % (r["name"], r.get("error_message", "?")))
        parts = parse_name(r["name"])
        key = ("/".join(parts[:2]), int(parts[2]))
        if key not in best or r["items_per_second"] > best[key]:
            best[key] = r["items_per_second"]
    rows = []
    for (n, d), v in sorted(best.items(), key=lambda kv: (kv[0][0] != "core_step/double", kv[0][0], kv[0][1])):
        core = best.get(("core_step/double", d))
        rows.append({"variant": n, "d": d, "coords_per_s": v, "cost_vs_core_step": core / v if core else float("nan")})
    return rows


# The heaviest properties of the suite: the slowest per case (timed at 1000 cases each, about
# 1 to 2 ms a case against 0.1 to 0.3 ms for the others) and CrossPrecision.closed_forms, which
# runs 10000 cases by default and so costs the suite the most in total. The falsification
# searches (X4, X5, X8, X14) fix their own case count and are left out. (binary, test name)
HEAVY_PROPERTIES = [
    ("quench_property_cross_precision_trajectories", "CrossPrecision.trajectories_within_certified_bounds"),
    ("quench_property_containment", "Containment.trajectories"),
    ("quench_property_containment", "Containment.every_closed_form_on_the_same_inputs"),
    ("quench_property_concentration", "Concentration.E26_bounded_norm_distributions"),
    ("quench_property_concentration", "Concentration.binomial_test_rejects_a_too_small_radius"),
    ("quench_property_running_average", "RunningAverage.X14_defaults_keep_variance_positive"),
    ("quench_property_cross_precision", "CrossPrecision.closed_forms_within_certified_bounds"),
]
PROPERTY_SEED = 20170226  # fixed: every repetition and every run draws the same cases


def timed(cmd, env):
    """Wall-clock seconds of one run of cmd, and its standard output (fails on a non-zero exit)."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit("run_benchmarks: %s failed (exit %d):\n%s%s" % (" ".join(cmd), done.returncode,
                                                                 done.stdout[-3000:], done.stderr[-3000:]))
    return seconds, done.stdout


def property_table(build, cases, repetitions):
    """Cases per second of each heavy property: best repetition, start-up time subtracted."""
    env = dict(os.environ)
    env.pop("QUENCH_PROPERTY_LONG", None)
    env["RC_PARAMS"] = "max_success=%d seed=%d" % (cases, PROPERTY_SEED)
    rows = []
    for binary_name, test in HEAVY_PROPERTIES:
        path = os.path.join(build, "property_tests", binary_name)
        if not os.access(path, os.X_OK):
            sys.exit("run_benchmarks: %s not found; build the target %s in %s first" % (path, binary_name, build))
        # Start-up: the same binary running no test (gtest, RapidCheck and MPFR initialisation).
        startup = min(timed([path, "--gtest_filter=-*"], env)[0] for _ in range(repetitions))
        best = None
        for _ in range(repetitions):
            print("running: RC_PARAMS=%s %s --gtest_filter=%s" % (env["RC_PARAMS"], path, test),
                  file=sys.stderr, flush=True)
            seconds, out = timed([path, "--gtest_filter=" + test], env)
            m = re.search(r"^\[property\] %s: (\d+) cases passed.*\((\d+) evaluations\)" %
                          re.escape(test.replace(".", "/", 1)), out, re.M)
            if not m:
                sys.exit("run_benchmarks: %s %s printed no '[property] ... cases passed' line (renamed?)"
                         % (path, test))
            if best is None or seconds < best[0]:
                best = (seconds, int(m.group(1)), int(m.group(2)))
        seconds, passed, evaluations = best
        rows.append({"test": test, "cases": passed, "evaluations": evaluations, "seconds": seconds,
                     "startup": startup, "cases_per_s": passed / max(seconds - startup, 1e-9)})
    return rows


# From this d on (10^8: about 8 GB per family) bench_step runs once more on its own, with the
# headline families only (no per-instruction-set kernels) and one repetition: all families
# at every repetition did not finish in 25 minutes on the 2-core machine.
LARGE_D = 1e8


def step_records(binary_path, common, max_d, family_filter):
    """bench_step's records for d = 10^3 .. max_d (the largest sizes in a reduced second run)."""
    top = float(max_d)
    small = ["--max-d=%g" % min(top, LARGE_D / 10)]
    records = run_json(binary_path, common + small +
                       (["--benchmark_filter=" + family_filter] if family_filter else []))
    if top >= LARGE_D:
        large = [a for a in common if not a.startswith("--benchmark_repetitions=")]
        records += run_json(binary_path, large + ["--benchmark_repetitions=1", "--min-d=%g" % LARGE_D,
                                                  "--max-d=%g" % top,
                                                  "--benchmark_filter=^(step|triad|shape|adam|sgd)/"])
    return records


def fmt(x, digits=3):
    if isinstance(x, float):
        if x != x:
            return "-"
        if abs(x) >= 1e4:
            return "%.3g" % x
        return ("%." + str(digits) + "g") % x
    return str(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--native-build", default=None)
    ap.add_argument("--max-d", default="1e8")
    ap.add_argument("--min-time", default="0.5")
    ap.add_argument("--repetitions", default="3", help="the best of these is kept")
    ap.add_argument("--parts", default="step,exactness,oracle,stepwise,property",
                    help="comma-separated subset of step,exactness,oracle,stepwise,property")
    ap.add_argument("--property-cases", type=int, default=1000, help="RapidCheck cases per property")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    unknown = parts - {"step", "exactness", "oracle", "stepwise", "property"}
    if unknown:
        sys.exit("run_benchmarks: unknown --parts: %s" % ", ".join(sorted(unknown)))
    if args.property_cases < 1:
        sys.exit("run_benchmarks: --property-cases must be positive")

    def binary(build, name):
        path = os.path.join(build, "benchmarks", name)
        if not os.access(path, os.X_OK):
            sys.exit("run_benchmarks: %s not found; build the target %s in %s first" % (path, name, build))
        return path

    info = machine(args.build)  # before the runs: it records the load at the start
    common = ["--benchmark_min_time=" + args.min_time, "--benchmark_repetitions=" + args.repetitions]
    step_rows, exact_rows, oracle_rows, stepwise_rows, property_rows = [], [], [], [], []
    if "step" in parts:
        step_rows = step_table(step_records(binary(args.build, "bench_step"), common, args.max_d, None),
                               "default")
        if args.native_build:
            native = step_records(binary(args.native_build, "bench_step"), common, args.max_d,
                                  "^(step|triad|shape)/")
            step_rows += step_table(native, "native")
    if "exactness" in parts:
        exact_rows = exact_table(run_json(binary(args.build, "bench_exactness"), common))
    if "oracle" in parts:
        oracle_rows = oracle_table(run_json(binary(args.build, "bench_oracle"), common))
    if "stepwise" in parts:
        stepwise_rows = stepwise_table(run_json(binary(args.build, "bench_stepwise"), common))
    if "property" in parts:
        property_rows = property_table(args.build, args.property_cases, int(args.repetitions))

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["table", "build", "type", "d", "isa", "threads", "step_coords_per_s",
                    "step_bytes_per_s", "triad_bytes_per_s", "ratio_to_triad", "adam_coords_per_s",
                    "sgd_coords_per_s", "step_over_adam", "step_over_sgd", "shape_bytes_per_s",
                    "ratio_to_shape"])
        for r in step_rows:
            w.writerow(["step", r["build"], r["type"], r["d"], r["isa"], r["threads"],
                        "%.6g" % r["step_coords_per_s"], "%.6g" % r["step_bytes_per_s"],
                        "%.6g" % r["triad_bytes_per_s"], "%.4f" % r["ratio_to_triad"],
                        "%.6g" % r["adam_coords_per_s"], "%.6g" % r["sgd_coords_per_s"],
                        "%.4f" % r["step_over_adam"], "%.4f" % r["step_over_sgd"],
                        "%.6g" % r["shape_bytes_per_s"], "%.4f" % r["ratio_to_shape"]])
        for r in step_rows:
            for k, v in sorted(r["kernels"].items()):
                w.writerow(["kernel", r["build"], r["type"], r["d"], k.split("/")[0], k.split("/")[1],
                            "%.6g" % v, "", "", "", "", "", "", "", "", ""])
        for r in exact_rows:
            w.writerow(["exactness", "default", r["type"], 1000, "", 1, "%.6g" % r["coords_per_s"],
                        "", "", "", "", "", "%.4f" % r["slowdown_vs_double"], "", "", ""])
        for r in oracle_rows:
            w.writerow(["oracle", "default", r["variant"], 10, r["flags"], 1, "%.6g" % r["steps_per_s"],
                        "", "", "", "", "", "%.4f" % r["slowdown_vs_double"], "", "", ""])
        for r in stepwise_rows:
            w.writerow(["stepwise", "default", r["variant"], r["d"], "", 1, "%.6g" % r["coords_per_s"],
                        "", "", "", "", "", "%.4f" % r["cost_vs_core_step"], "", "", ""])
        for r in property_rows:
            w.writerow(["property", "default", r["test"], r["cases"], "", 1, "%.6g" % r["cases_per_s"],
                        "", "", "", "", "", "", "", "", ""])

    lines = ["# quench benchmark results", "",
             "Written by `benchmarks/run_benchmarks.py`; do not edit by hand. Every ratio compares "
             "two measurements of the same run.", "", "## Machine", ""]
    lines += ["- %s: %s" % (k, v) for k, v in info.items()]
    if "step" in parts:
        lines += ["", "## Step throughput against the memory-bandwidth limit and the usual optimisers", "",
                  "Bytes per coordinate: step 12 values (validation read of ghat, then the fused pass "
                  "reads 6 arrays and writes 5), triad `a = b + s c` 4 per element (b, c read; a written, "
                  "with its write-allocate read), in-place triad `a += s b` 3, shape 12 (the step's own "
                  "passes with one addition per value), Adam 7, SGD 3. `ratio` = step bytes/s over the "
                  "best triad's bytes/s (either triad, 1 or 2 threads) at the same d; `vs shape` = step "
                  "bytes/s over the best shape kernel's, the limit of the step's own access pattern "
                  "(six streams in, five out). Every figure is the best of the repetitions (d = 1e8: one "
                  "run, headline families only). `vs Adam`, `vs SGD` = coordinates per second "
                  "of the step over theirs (above 1: the step is faster).", "",
                  "| build | type | d | isa | threads | coords/s | GB/s | triad GB/s | ratio | shape GB/s | vs shape | vs Adam | vs SGD |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in step_rows:
            lines.append("| %s | %s | %.0e | %s | %d | %s | %.2f | %.2f | **%.2f** | %.2f | %.2f | %s | %s |" % (
                r["build"], r["type"], r["d"], r["isa"], r["threads"], fmt(r["step_coords_per_s"]),
                r["step_bytes_per_s"] / 1e9, r["triad_bytes_per_s"] / 1e9, r["ratio_to_triad"],
                r["shape_bytes_per_s"] / 1e9, r["ratio_to_shape"],
                fmt(r["step_over_adam"]), fmt(r["step_over_sgd"])))
        lines += ["", "## The fused pass per instruction set (coordinates per second, default build)", "",
                  "`scalar` is the generic loop of quench_sgd.hpp (what every non-builtin type runs); "
                  "`baseline` is the x86-64 (SSE2) vectorised pass; `/N` is the thread count.", ""]
        default_rows = [r for r in step_rows if r["build"] == "default"]
        if default_rows:
            keys = sorted({k for r in default_rows for k in r["kernels"]})
            lines.append("| type | d | " + " | ".join(keys) + " |")
            lines.append("|---|---|" + "---|" * len(keys))
            for r in default_rows:
                lines.append("| %s | %.0e | %s |" % (r["type"], r["d"], " | ".join(
                    fmt(r["kernels"].get(k, float("nan"))) for k in keys)))
    else:
        lines += ["", "Step throughput: not measured in this run."]
    if "exactness" in parts:
        lines += ["", "## Cost of exactness (one step per coordinate, d = 1000)", "",
                  "| type | coords/s | slower than double by |", "|---|---|---|"]
        for r in exact_rows:
            lines.append("| %s | %s | %s |" % (r["type"], fmt(r["coords_per_s"]), fmt(r["slowdown_vs_double"])))
    else:
        lines += ["", "Cost of exactness: not measured in this run."]
    if oracle_rows:
        steps = oracle_rows[0]["steps"]
        lines += ["", "## Oracle: `quench-oracle run` (d = 10, %d steps)" % steps, "",
                  "In process (bench_oracle): one complete `run` per iteration (read the JSON Lines trace, "
                  "step the core at the working type, write the JSON Lines trajectory) on a generated "
                  "signal-dominated trace (benchmarks/oracle_bench_trace.hpp). `--enclose` at 50 digits uses "
                  "centred forms (tight over 10^4 noisy steps, benchmarks/results/enclosure_widths.md); "
                  "`--enclosure interval` plain MPFI intervals, whose width grows geometrically with the steps. "
                  "Best of the repetitions.",
                  "", "| flags | type | steps/s | slower than double by |", "|---|---|---|---|"]
        types = {"double": "double", "double_enclose": "rigorous_interval", "50": "mpfr, 50 digits",
                 "50_enclose": "mpfi centred forms, 50 digits",
                 "50_enclose_interval": "mpfi intervals, 50 digits"}
        for r in oracle_rows:
            lines.append("| `--precision %s` | %s | %s | %s |" % (r["flags"], types.get(r["variant"], r["variant"]),
                                                                   fmt(r["steps_per_s"]), fmt(r["slowdown_vs_double"])))
    elif "oracle" not in parts:
        lines += ["", "Oracle throughput: not measured in this run."]
    if stepwise_rows:
        lines += ["", "## Oracle: the stepwise verdict per coordinate-step", "",
                  "bench_stepwise (its top comment says what each variant measures): stepwise_check = "
                  "the engine as compare runs it, records in memory; stepwise_npy = compare end to end on "
                  ".npy files; stepwise_reference = the previous per-coordinate path; each against "
                  "`quench::step<double>` at the same d in the same run. Best of the repetitions, CPU time.",
                  "", "| variant | d | coordinate-steps/s | cost vs the double step |", "|---|---|---|---|"]
        for r in stepwise_rows:
            lines.append("| %s | %.0e | %s | %s |" % (r["variant"], r["d"], fmt(r["coords_per_s"]),
                                                      fmt(r["cost_vs_core_step"])))
    elif "stepwise" not in parts:
        lines += ["", "Stepwise-verdict cost: not measured in this run."]
    if property_rows:
        lines += ["", "## Property suite: the heaviest properties", "",
                  "Each property binary run on one property with RC_PARAMS=\"max_success=%d seed=%d\" "
                  "(`--gtest_filter`), wall clock, best of the repetitions, minus the binary's start-up "
                  "(running no test, same run). `cases` = successful cases (the property's own count); "
                  "`evaluations` include the discarded ones." % (args.property_cases, PROPERTY_SEED), "",
                  "| property | cases | evaluations | seconds | start-up s | cases/s |", "|---|---|---|---|---|---|"]
        for r in property_rows:
            lines.append("| %s | %d | %d | %.3f | %.3f | %s |" % (r["test"], r["cases"], r["evaluations"],
                                                                 r["seconds"], r["startup"], fmt(r["cases_per_s"])))
    elif "property" not in parts:
        lines += ["", "Property-suite throughput: not measured in this run."]
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", os.path.join(args.out, "results.md"), "and results.csv", file=sys.stderr)


if __name__ == "__main__":
    main()
