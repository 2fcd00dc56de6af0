#!/usr/bin/env bash
# A long random campaign of the property tests, outside the test command. The test command
# runs every property from a fixed seed (reproducible: a red run is a regression); this
# script runs them again from fresh random seeds with QUENCH_PROPERTY_LONG times the cases,
# to look for counterexamples the fixed seeds do not reach. Every failure is printed with
# its seed and the RC_PARAMS line that replays it.
#   bash scripts/property_campaign.sh [--build DIR] [--rounds N] [--long M]
#     --build DIR  a configured and built tree (default: build, the default preset)
#     --rounds N   random seeds to try per test executable (default 10)
#     --long M     QUENCH_PROPERTY_LONG for each run: M times the cases (default 10)
# Exit 0 when no run failed, 1 otherwise, 2 for bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build rounds=10 long=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --long) long="$2"; shift 2 ;;
    *) echo "property_campaign: unknown argument '$1' (see the top of $0)" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$long" =~ ^[1-9][0-9]*$ ]] ||
  { echo "property_campaign: --rounds and --long take positive integers" >&2; exit 2; }
shopt -s nullglob
executables=("$build"/property_tests/quench_property_*)
[[ ${#executables[@]} -gt 0 ]] ||
  { echo "property_campaign: no property test executables in $build/property_tests (build them first)" >&2; exit 2; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failures=0 runs=0 start=$SECONDS
for ((round = 1; round <= rounds; ++round)); do
  for exe in "${executables[@]}"; do
    [[ -x "$exe" && ! -d "$exe" ]] || continue
    seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
    runs=$((runs + 1))
    if RC_PARAMS="seed=$seed" QUENCH_PROPERTY_LONG="$long" "$exe" >"$log" 2>&1; then
      echo "round $round: $(basename "$exe") seed=$seed: passed"
    else
      failures=$((failures + 1))
      echo "round $round: $(basename "$exe") seed=$seed: FAILED"
      grep -E '^\[  FAILED  \] [A-Za-z0-9_./]+ \(' "$log" | sed 's/^/    /' || true
      echo "    whole run: RC_PARAMS=\"seed=$seed\" QUENCH_PROPERTY_LONG=$long $exe"
      grep -E '^ *RC_PARAMS="' "$log" | sed 's/^ */    counterexample: /' || true
    fi
  done
done
echo "property_campaign: $runs runs ($rounds rounds, QUENCH_PROPERTY_LONG=$long), $failures failed, $((SECONDS - start)) s"
[[ $failures -eq 0 ]]
