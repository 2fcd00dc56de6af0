#!/bin/sh
# CTest proofs.assumptions.
# usage: check_assumptions.sh SRC_DIR OUT_DIR
# Builds the development (incrementally), compiles Assumptions.v, which runs
# Print Assumptions on every main theorem, and fails unless every axiom it
# reports is on the allow-list SRC_DIR/axioms.allow.
set -eu
src=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/build.sh" "$src" "$out" >/dev/null
cd "$out"
coqc -q -R . Quench -w -ambiguous-paths Assumptions.v > assumptions.out
exec sh "$here/filter_assumptions.sh" "$out/assumptions.out" "$src/axioms.allow" \
  "$(grep -c '^Print Assumptions' "$src/Assumptions.v")"
