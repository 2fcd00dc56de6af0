#!/usr/bin/python3
"""Runs the quench benchmarks and writes benchmarks/results/results.md and results.csv.

The paper and the README take their numbers from these files. Every ratio is between two
measurements of the same run (never against a stored number):
  - step vs limit: quench::step's bytes/s over the best triad's bytes/s (any thread count)
    at the same d, bytes counted as the loops really move them (bench_step.cpp);
  - step vs Adam / SGD: coordinates per second, same d, same run;
  - cost of exactness: coordinates per second of double over that of each type.

Usage: benchmarks/run_benchmarks.py [--build DIR] [--native-build DIR] [--max-d 1e8]
         [--min-time 0.5] [--out benchmarks/results]
--build is a configured build tree with bench_step and bench_exactness (default: build);
--native-build, when given, is a second tree configured with -march=native, whose step
figures appear next to the default ones. Standard library only (/usr/bin/python3).
"""
import argparse
import csv
import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_json(binary, args):
    """Runs one benchmark binary and returns its list of benchmark records."""
    cmd = [binary, "--benchmark_format=json"] + args
    print("running:", " ".join(cmd), file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["benchmarks"]


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
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()

    def binary(build, name):
        path = os.path.join(build, "benchmarks", name)
        if not os.access(path, os.X_OK):
            sys.exit("run_benchmarks: %s not found; build the target %s in %s first" % (path, name, build))
        return path

    common = ["--benchmark_min_time=" + args.min_time, "--benchmark_repetitions=" + args.repetitions]
    step_rows = step_table(run_json(binary(args.build, "bench_step"), common + ["--max-d=" + args.max_d]),
                           "default")
    if args.native_build:
        native = run_json(binary(args.native_build, "bench_step"),
                          common + ["--max-d=" + args.max_d, "--benchmark_filter=^(step|triad)/"])
        step_rows += step_table(native, "native")
    exact_rows = exact_table(run_json(binary(args.build, "bench_exactness"), common))
    extra = []
    for name in ("bench_oracle", "bench_property"):
        path = os.path.join(args.build, "benchmarks", name)
        if os.access(path, os.X_OK):
            for r in run_json(path, common):
                extra.append({"name": r["name"], "items_per_second": r.get("items_per_second", float("nan"))})

    os.makedirs(args.out, exist_ok=True)
    info = machine(args.build)
    with open(os.path.join(args.out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["table", "build", "type", "d", "isa", "threads", "step_coords_per_s",
                    "step_bytes_per_s", "triad_bytes_per_s", "ratio_to_triad", "adam_coords_per_s",
                    "sgd_coords_per_s", "step_over_adam", "step_over_sgd"])
        for r in step_rows:
            w.writerow(["step", r["build"], r["type"], r["d"], r["isa"], r["threads"],
                        "%.6g" % r["step_coords_per_s"], "%.6g" % r["step_bytes_per_s"],
                        "%.6g" % r["triad_bytes_per_s"], "%.4f" % r["ratio_to_triad"],
                        "%.6g" % r["adam_coords_per_s"], "%.6g" % r["sgd_coords_per_s"],
                        "%.4f" % r["step_over_adam"], "%.4f" % r["step_over_sgd"]])
        for r in step_rows:
            for k, v in sorted(r["kernels"].items()):
                w.writerow(["kernel", r["build"], r["type"], r["d"], k.split("/")[0], k.split("/")[1],
                            "%.6g" % v, "", "", "", "", "", "", ""])
        for r in exact_rows:
            w.writerow(["exactness", "default", r["type"], 1000, "", 1, "%.6g" % r["coords_per_s"],
                        "", "", "", "", "", "%.4f" % r["slowdown_vs_double"], ""])
        for r in extra:
            w.writerow(["extra", "default", r["name"], "", "", "", "%.6g" % r["items_per_second"],
                        "", "", "", "", "", "", ""])

    lines = ["# quench benchmark results", "",
             "Written by `benchmarks/run_benchmarks.py`; do not edit by hand. Every ratio compares "
             "two measurements of the same run.", "", "## Machine", ""]
    lines += ["- %s: %s" % (k, v) for k, v in info.items()]
    lines += ["", "## Step throughput against the memory-bandwidth limit and the usual optimisers", "",
              "Bytes per coordinate: step 12 values (validation read of ghat, then the fused pass "
              "reads 6 arrays and writes 5), triad `a = b + s c` 4 per element (b, c read; a written, "
              "with its write-allocate read), in-place triad `a += s b` 3, Adam 7, SGD 3. `ratio` = "
              "step bytes/s over the best limit kernel's bytes/s (either triad, 1 or 2 threads) at "
              "the same d; every figure is the best of the repetitions. `vs Adam`, `vs SGD` = coordinates per second "
              "of the step over theirs (above 1: the step is faster).", "",
              "| build | type | d | isa | threads | coords/s | GB/s | triad GB/s | ratio | vs Adam | vs SGD |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in step_rows:
        lines.append("| %s | %s | %.0e | %s | %d | %s | %.2f | %.2f | **%.2f** | %s | %s |" % (
            r["build"], r["type"], r["d"], r["isa"], r["threads"], fmt(r["step_coords_per_s"]),
            r["step_bytes_per_s"] / 1e9, r["triad_bytes_per_s"] / 1e9, r["ratio_to_triad"],
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
    lines += ["", "## Cost of exactness (one step per coordinate, d = 1000)", "",
              "| type | coords/s | slower than double by |", "|---|---|---|"]
    for r in exact_rows:
        lines.append("| %s | %s | %s |" % (r["type"], fmt(r["coords_per_s"]), fmt(r["slowdown_vs_double"])))
    if extra:
        lines += ["", "## Oracle and property suite", "", "| benchmark | items/s |", "|---|---|"]
        lines += ["| %s | %s |" % (r["name"], fmt(r["items_per_second"])) for r in extra]
    else:
        lines += ["", "Oracle and property-suite throughput: not built in this tree (no bench_oracle / "
                  "bench_property target)."]
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", os.path.join(args.out, "results.md"), "and results.csv", file=sys.stderr)


if __name__ == "__main__":
    main()
