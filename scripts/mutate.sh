#!/usr/bin/env bash
# The mutation campaign (docs/mutation.md): applies every mutant of scripts/mutants.txt in a
# scratch copy of the tree ($TMPDIR/quench-mutation, one build kept there), rebuilds
# incrementally, runs the labels unit, certified, property and oracle, and writes
# docs/mutation-results.md. Not part of the test command (hours on 2 cores); the test
# command checks only that every fragment of the list still matches (`--check`).
#   bash scripts/mutate.sh                 # the whole list
#   bash scripts/mutate.sh --only X10-lambda-eta,E12-batch-16
#   bash scripts/mutate.sh --check         # stale fragments only, no build (seconds)
# Exit 0: every mutant killed or justified as equivalent; 1: a mutant is stale, survives
# unjustified or does not compile; 2: bad usage or a failing unmutated tree.
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 scripts/mutate.py "$@"
