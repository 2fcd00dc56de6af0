#!/usr/bin/env python3
"""The mutation campaign (docs/mutation.md): apply each one-line mutant of scripts/mutants.txt
to a scratch copy of the tree, rebuild incrementally, run the fast test labels and record
which tests kill it. Run through scripts/mutate.sh; `--help` lists the options.

Exit status: 0 when every mutant is killed or justified as equivalent; 1 when a mutant is
stale (its fragment does not occur exactly once), survives without a justification, or does
not compile; 2 for bad usage or a failing baseline (the unmutated tree must pass first).
"""

import argparse
import datetime
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

KEYS = ("id", "file", "find", "replace", "what", "equivalent")
REQUIRED = ("id", "file", "find", "replace", "what")
DEFAULT_LABELS = ("unit", "certified", "property", "oracle")
# Tests of the fast labels that do not test the code under mutation: the consumer test
# builds a separate project against an install (minutes, and it only checks packaging).
EXCLUDED_TESTS = r"^consumer\."
# Executables that are not tests: the benchmarks (their smoke tests are label `benchmark`).
NOT_TEST_TARGET = re.compile(r"^bench_")
# The scratch build: the campaign compiles every test once per header mutant, and debug
# information and -O2 roughly double the time of that.
DEFAULT_FLAGS = "-O1 -g0 -DNDEBUG"


class Mutant:
    def __init__(self, fields, line):
        self.line = line
        self.id = fields["id"]
        self.file = fields["file"]
        self.find = fields["find"]
        self.replace = fields["replace"]
        self.what = fields["what"]
        self.equivalent = fields.get("equivalent", "")


def parse_list(path):
    """Blocks of `key: value` lines separated by blank lines; # starts a comment line."""
    mutants, errors, block, start = [], [], {}, 0
    lines = path.read_text().splitlines() + [""]
    for number, raw in enumerate(lines, 1):
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if block:
                missing = [k for k in REQUIRED if k not in block]
                if missing:
                    errors.append(f"{path}:{start}: block lacks {', '.join(missing)}")
                else:
                    mutants.append(Mutant(block, start))
                block = {}
            continue
        key, sep, value = raw.partition(": ")
        if not sep or key not in KEYS:
            errors.append(f"{path}:{number}: expected 'key: value' with key in {', '.join(KEYS)}: {raw!r}")
            continue
        if key in block:
            errors.append(f"{path}:{number}: key '{key}' given twice in one block")
        if not block:
            start = number
        block[key] = value
    seen = {}
    for m in mutants:
        if m.id in seen:
            errors.append(f"{path}:{m.line}: id '{m.id}' already used at line {seen[m.id]}")
        seen[m.id] = m.line
        if m.find == m.replace:
            errors.append(f"{path}:{m.line}: mutant '{m.id}' replaces its fragment by itself")
    return mutants, errors


def stale_reason(root, m):
    """None when m's fragment occurs exactly once in its file, else a report that says where
    to look (the closest lines), so that a list made stale by a refactoring is quick to fix."""
    path = root / m.file
    if not path.is_file():
        return f"file {m.file} does not exist"
    text = path.read_text()
    count = text.count(m.find)
    if count == 1:
        return None
    lines = text.splitlines()
    if count == 0:
        # The lines that hold most of the fragment's characters, in order (a rewritten
        # constant or a renamed variable leaves most of them in place).
        def held(line):
            blocks = difflib.SequenceMatcher(None, m.find, line, autojunk=False).get_matching_blocks()
            return sum(b.size for b in blocks) / len(m.find)
        scored = sorted(((held(l), i, l.strip()) for i, l in enumerate(lines, 1) if l.strip()), reverse=True)
        hints = [f"      {m.file}:{i}: {l}" for score, i, l in scored[:3] if score >= 0.5]
        where = ("\n    closest lines:\n" + "\n".join(hints)) if hints else "\n    (no similar line in the file)"
        return f"fragment not found in {m.file}: {m.find!r}{where}"
    numbers = [i for i, l in enumerate(lines, 1) if m.find in l]
    return (f"fragment occurs {count} times in {m.file} (lines {', '.join(map(str, numbers))}): "
            f"{m.find!r}; lengthen it until it is unique")


def run(cmd, log, cwd=None, env=None, timeout=None):
    with open(log, "a") as out:
        out.write(f"\n$ {' '.join(map(str, cmd))}\n")
        out.flush()
        try:
            return subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            out.write(f"timed out after {timeout} s\n")
            return 124


def git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout


def refresh_copy(root, src):
    """Copy the tracked files of the checkout into src, writing only files whose content
    differs (so that the scratch build stays incremental from one campaign to the next)."""
    names = [n for n in git(root, "ls-files", "-z").split("\0") if n]
    for name in names:
        a, b = root / name, src / name
        if not a.is_file():
            continue  # deleted in the working tree
        data = a.read_bytes()
        if b.is_file() and b.read_bytes() == data:
            continue
        b.parent.mkdir(parents=True, exist_ok=True)
        b.write_bytes(data)
        shutil.copymode(a, b)


def test_targets(build):
    """{target name: output path} of every test executable of the scratch build."""
    text = (build / "build.ninja").read_text()
    found = re.findall(r"^build ([^:]+): CXX_EXECUTABLE_LINKER__(\S+)_RelWithDebInfo\b", text, re.M)
    return {name: str(build / outputs.split()[0]) for outputs, name in found if not NOT_TEST_TARGET.match(name)}


def list_tests(build, labels, executables):
    """{number: (name, [the test executables its command runs or names])} for the fast
    labels; numbers are ctest's own (for `ctest -I`). A test whose executable is not built
    (a partial --targets build) is left out."""
    out = subprocess.run(["ctest", "--show-only=json-v1", "-L", labels, "-E", EXCLUDED_TESTS],
                         cwd=build, check=True, capture_output=True, text=True).stdout
    everything = subprocess.run(["ctest", "--show-only=json-v1"], cwd=build, check=True,
                                capture_output=True, text=True).stdout
    number = {t["name"]: i for i, t in enumerate(json.loads(everything)["tests"], 1)}
    tests = {}
    for t in json.loads(out)["tests"]:
        command = t.get("command", [])
        if not command or command[0].endswith("_NOT_BUILT"):
            continue  # an executable left out by --targets: gtest_discover_tests' placeholder
        used = [a for a in command if a in executables]
        if all(os.path.exists(a) for a in used):
            tests[number[t["name"]]] = (t["name"], used)
    return tests


def executables_mtimes(tests):
    files = {f for _, used in tests.values() for f in used}
    return {f: os.stat(f).st_mtime_ns for f in files if os.path.exists(f)}


def run_tests(build, numbers, jobs, timeout, log):
    """Run the given ctest numbers; return the names of the tests that failed."""
    failed_log = build / "Testing" / "Temporary" / "LastTestsFailed.log"
    if failed_log.exists():
        failed_log.unlink()
    if not numbers:
        return []
    spec = "0,0,0," + ",".join(str(n) for n in sorted(numbers))
    run(["ctest", "-I", spec, "-j", str(jobs), "--timeout", str(timeout)], log, cwd=build)
    if not failed_log.exists():
        return []
    return [line.split(":", 1)[1].strip() for line in failed_log.read_text().splitlines() if ":" in line]


def markdown_table(mutants, latest, runs):
    """The table of the latest result of every listed mutant, and the runs that produced them."""
    rows = [latest.get(m.id) for m in mutants]
    count = lambda status: sum(1 for r in rows if r and r["status"] == status)
    not_run = sum(1 for r in rows if r is None)
    lines = [
        "# Mutation campaign: results",
        "",
        "Written by `scripts/mutate.sh` (see [mutation.md](mutation.md)); each row is the latest",
        "result of its mutant, the column `run` says which run of the list below produced it.",
        "",
        f"**{len(mutants)} mutants listed: {count('killed')} killed, {count('survived')} survived, "
        f"{count('equivalent')} equivalent (justified), {count('stale')} stale, "
        f"{count('build-error')} do not compile, {not_run} not run yet.**",
        "",
        "| run | date | commit | labels | executables built | mutants | run time (baseline) |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(runs, 1):
        lines.append(f"| {i} | {r['date']} | `{r['commit']}`{' + uncommitted changes' if r['dirty'] else ''} | "
                     f"{r['labels']} | {r['targets']} | {r['done']} | {r['elapsed']} ({r['baseline']}) |")
    lines += [
        "",
        "A mutant is *killed* when at least one test fails on it. `failing tests` counts distinct",
        "tests: a typed test that fails for several scalar types counts once (the types are in",
        "parentheses). Build flags of every run: the script's default unless the run says otherwise.",
        "",
        "| mutant | what it breaks | run | status | failing tests | first failing tests | time |",
        "|---|---|---|---|---|---|---|",
    ]
    cell = lambda text: text.replace("|", "\\|")  # a | inside a cell would end it
    for m, r in zip(mutants, rows):
        if r is None:
            lines.append(f"| `{m.id}` | {cell(m.what)} | | not run | | | |")
            continue
        if r.get("from_table") and r["status"] != "equivalent":
            lines.append(f"| `{m.id}` | {cell(m.what)} | {r['run']} | {r['status']} | {r['count']} | "
                         f"{cell(r['shown'])} | {r['seconds']:.0f} s |")
            continue
        names = r.get("failed", [])
        # A typed test fails once per scalar type (Suite.Name<T>): one test, n instances.
        distinct = {}
        for n in names:
            base = re.sub(r"<.*>$", "", n)
            distinct[base] = distinct.get(base, 0) + 1
        label = lambda base: f"`{base}`" + (f" ({distinct[base]} types)" if distinct[base] > 1 else "")
        bases = list(distinct)
        shown = ", ".join(label(b) for b in bases[:4]) + (f" and {len(bases) - 4} more" if len(bases) > 4 else "")
        if r["status"] in ("stale", "build-error"):
            shown = r.get("detail", "").splitlines()[0][:120]
        if r["status"] == "equivalent":
            shown = "equivalent: " + m.equivalent
        lines.append(f"| `{m.id}` | {cell(m.what)} | {r.get('run', '')} | {r['status']} | "
                     f"{len(bases) if r['status'] == 'killed' else 0} | {cell(shown)} | {r.get('seconds', 0):.0f} s |")
    return "\n".join(lines) + "\n"


def table_cells(line):
    """The cells of one Markdown table row, `\\|` (a | inside a cell) read back as |."""
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [c.strip().replace("\\|", "|") for c in cells]


def history_from_table(path, listed):
    """The runs and the latest result of every mutant, read back from a results table that
    markdown_table wrote: a fresh machine has lost the work directory's history.json, and the
    committed table is then where a campaign continues from. A mutant's failing tests are kept
    as the table shows them (`shown`, `count`): the table holds only the first four names."""
    saved = {"runs": [], "latest": {}}
    if not path.is_file():
        return saved
    for line in path.read_text().splitlines():
        if not line.startswith("| "):
            continue
        c = table_cells(line)
        if len(c) == 7 and c[0].isdigit():  # a run
            run_time = re.fullmatch(r"(.*) \((.*)\)", c[6])
            commit = re.fullmatch(r"`([0-9a-f]+)`( \+ uncommitted changes)?", c[2])
            if not run_time or not commit:
                raise ValueError(f"{path}: a run row that this script did not write: {line!r}")
            saved["runs"].append({"date": c[1], "commit": commit.group(1), "dirty": bool(commit.group(2)),
                                  "labels": c[3], "targets": c[4], "done": int(c[5]),
                                  "elapsed": run_time.group(1), "baseline": run_time.group(2)})
        elif len(c) == 7 and c[0].startswith("`") and c[3] != "not run":  # a mutant's result
            mid = c[0].strip("`")
            if mid not in listed:
                continue  # retired from the list since
            seconds = re.fullmatch(r"(\d+) s", c[6])
            if not c[2].isdigit() or not seconds or not c[4].isdigit():
                raise ValueError(f"{path}: a mutant row that this script did not write: {line!r}")
            entry = {"id": mid, "run": int(c[2]), "status": c[3], "seconds": float(seconds.group(1)),
                     "count": int(c[4]), "shown": c[5], "from_table": True}
            if c[3] in ("stale", "build-error"):
                entry["detail"] = c[5]
            saved["latest"][mid] = entry
    return saved


def human(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min" if seconds >= 3600 else f"{seconds // 60} min {seconds % 60:02d} s"


def main():
    root = Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--list", type=Path, default=root / "scripts" / "mutants.txt", help="the mutants (default scripts/mutants.txt)")
    p.add_argument("--check", action="store_true", help="only check that every fragment matches exactly once (no build)")
    p.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "quench-mutation",
                   help="scratch directory: the copy of the tree and its one build (default $TMPDIR/quench-mutation)")
    p.add_argument("--only", default="", help="comma-separated mutant ids to run (default: all)")
    p.add_argument("--labels", default=",".join(DEFAULT_LABELS), help="test labels to run (default unit,certified,property,oracle)")
    p.add_argument("--jobs", type=int, default=2, help="build and test jobs (default 2)")
    p.add_argument("--timeout", type=int, default=900, help="seconds per test before it counts as failed (a hang kills)")
    p.add_argument("--flags", default=os.environ.get("QUENCH_MUTATION_CXX_FLAGS", DEFAULT_FLAGS),
                   help="compiler flags of the scratch build (default -O1 -g0 -DNDEBUG: the campaign compiles every "
                        "test once per mutant, and debug information and -O2 double the time)")
    p.add_argument("--all-tests", action="store_true",
                   help="run every test of the labels for each mutant, not only those whose executables were rebuilt")
    p.add_argument("--targets", default="",
                   help="comma-separated test executables to build (default: all); tests of the others are left "
                        "out, and the table says so (a partial campaign on a slow machine)")
    p.add_argument("--table", action="store_true",
                   help="only write the table again from the work directory's history (no build)")
    p.add_argument("--fresh", action="store_true",
                   help="forget the results of earlier runs (in the work directory's history.json, or, when it is "
                        "absent, in the table that --out names)")
    p.add_argument("--out", type=Path, default=root / "docs" / "mutation-results.md", help="the results table (Markdown)")
    a = p.parse_args()

    mutants, errors = parse_list(a.list)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    selected = mutants
    if a.only:
        wanted = a.only.split(",")
        unknown = [w for w in wanted if w not in {m.id for m in mutants}]
        if unknown:
            print(f"mutate: unknown mutant ids: {', '.join(unknown)}", file=sys.stderr)
            return 2
        by_id = {m.id: m for m in mutants}
        selected = [by_id[w] for w in wanted]  # in the order given
    else:
        # Cheapest first: a mutant of a .cpp file rebuilds one object, one of a header
        # rebuilds every test that includes it.
        selected = sorted(mutants, key=lambda m: not m.file.endswith(".cpp"))

    stale = {m.id: r for m in selected if (r := stale_reason(root, m))}
    for mid, reason in stale.items():
        print(f"STALE {mid}: {reason}", file=sys.stderr)
    if a.check:
        print(f"mutate: {len(selected)} mutants, {len(stale)} stale")
        return 1 if stale else 0

    labels = "^(" + "|".join(re.escape(l) for l in a.labels.split(",")) + ")$"
    a.work.mkdir(parents=True, exist_ok=True)
    src, build, log = a.work / "src", a.work / "build", a.work / "campaign.log"
    history = a.work / "history.json"  # every run and every mutant's latest result, for the table
    if a.fresh:
        saved = {"runs": [], "latest": {}}
    elif history.exists():
        saved = json.loads(history.read_text())
    else:
        # A fresh machine: continue from the committed table (its runs and latest results).
        try:
            saved = history_from_table(a.out, {m.id for m in mutants})
        except ValueError as error:
            print(f"mutate: {error}", file=sys.stderr)
            return 2
        if saved["runs"]:
            print(f"mutate: no {history}; continuing from the {len(saved['runs'])} runs and "
                  f"{len(saved['latest'])} results of {a.out}", flush=True)
    if a.table:
        a.out.write_text(markdown_table(mutants, saved["latest"], saved["runs"]))
        print(f"mutate: table written to {a.out} from {history if history.exists() else 'the table itself'}")
        return 0
    log.write_text("")
    started = time.time()
    commit = git(root, "rev-parse", "--short=12", "HEAD").strip()
    # Uncommitted changes other than the table itself, which the campaign rewrites.
    table = os.path.relpath(a.out.resolve(), root)
    dirty = any(line[3:] != table for line in git(root, "status", "--porcelain", "--untracked-files=no").splitlines())
    this_run = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "commit": commit, "dirty": dirty, "labels": a.labels,
                "targets": "every test executable" if not a.targets else a.targets.replace(",", ", "),
                "flags": a.flags, "done": 0, "elapsed": "-", "baseline": "-"}
    if a.flags != DEFAULT_FLAGS:
        this_run["labels"] += f" (flags `{a.flags}`)"
    print(f"mutate: {len(selected)} of {len(mutants)} mutants on {commit}{' (dirty)' if dirty else ''}; "
          f"scratch {a.work}; log {log}", flush=True)

    refresh_copy(root, src)
    if run(["cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
            f"-DCMAKE_CXX_FLAGS_RELWITHDEBINFO={a.flags}", "-DQUENCH_BUILD_PROOFS=OFF",
            "-DQUENCH_BUILD_EXAMPLES=OFF", "-DQUENCH_WARNINGS_AS_ERRORS=OFF"], log) != 0:
        print(f"mutate: configuring the scratch build failed; see {log}", file=sys.stderr)
        return 2
    executables = test_targets(build)
    targets = list(executables)
    if a.targets:
        unknown = [t for t in a.targets.split(",") if t not in executables]
        if unknown:
            print(f"mutate: not test executables of this build: {', '.join(unknown)}", file=sys.stderr)
            return 2
        targets = a.targets.split(",")
    build_cmd = ["cmake", "--build", build, "-j", str(a.jobs), "--target", *targets]
    if run(build_cmd, log) != 0:
        print(f"mutate: the unmutated tree does not build; see {log}", file=sys.stderr)
        return 2
    # Only the executables built now: an older build may hold stale copies of the others.
    tests = list_tests(build, labels, {executables[t] for t in targets})
    if a.targets:
        tests = {n: t for n, t in tests.items() if t[1]}
    failed = run_tests(build, tests.keys(), a.jobs, a.timeout, log)
    if failed:
        print(f"mutate: the unmutated tree fails {len(failed)} tests ({', '.join(failed[:5])}); fix them first",
              file=sys.stderr)
        return 2
    this_run["baseline"] = human(time.time() - started)
    saved["runs"].append(this_run)
    run_number = len(saved["runs"])
    print(f"mutate: baseline passes {len(tests)} tests ({this_run['baseline']})", flush=True)

    def write_table():
        this_run["elapsed"] = human(time.time() - started)
        history.write_text(json.dumps(saved, indent=1))
        a.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = a.out.with_suffix(".tmp")
        tmp.write_text(markdown_table(mutants, saved["latest"], saved["runs"]))
        tmp.replace(a.out)

    results = []
    for m in selected:
        t0 = time.time()
        entry = {"id": m.id, "run": run_number}
        if m.id in stale:
            entry.update(status="stale", detail=stale[m.id])
        else:
            path = src / m.file
            original = path.read_text()
            before = executables_mtimes(tests)
            path.write_text(original.replace(m.find, m.replace, 1))
            try:
                with open(log, "a") as out:
                    out.write(f"\n==== mutant {m.id}: {m.file}: {m.find!r} -> {m.replace!r}\n")
                if run(build_cmd, log) != 0:
                    entry.update(status="build-error", detail="the mutant does not compile: fix the list")
                else:
                    after = executables_mtimes(tests)
                    changed = {f for f in after if after[f] != before.get(f)}
                    numbers = [n for n, (_, used) in tests.items() if a.all_tests or changed & set(used)]
                    names = run_tests(build, numbers, a.jobs, a.timeout, log)
                    entry.update(ran=len(numbers), failed=names,
                                 status="killed" if names else ("equivalent" if m.equivalent else "survived"))
            finally:
                path.write_text(original)
        entry["seconds"] = time.time() - t0
        results.append(entry)
        saved["latest"][m.id] = entry
        this_run["done"] += 1
        print(f"mutate: {m.id}: {entry['status']}"
              + (f" by {len(entry['failed'])} of {entry['ran']} tests run" if entry["status"] == "killed" else "")
              + f" ({entry['seconds']:.0f} s)", flush=True)
        write_table()
    write_table()
    bad = [r for r in results if r["status"] in ("stale", "survived", "build-error")]
    for r in bad:
        print(f"mutate: {r['id']}: {r['status']}", file=sys.stderr)
    print(f"mutate: table written to {a.out} ({this_run['elapsed']})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
