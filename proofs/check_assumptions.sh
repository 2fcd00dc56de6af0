#!/bin/sh
# CTest proofs.assumptions.
# usage: check_assumptions.sh SRC_DIR OUT_DIR
# Builds the development (incrementally), compiles Assumptions.v and
# AssumptionsX5.v, which run Print Assumptions on every theorem, and fails
# unless every axiom reported for a theorem of Assumptions.v is on
# SRC_DIR/axioms.allow, and every axiom reported for the X5 theorems
# (AssumptionsX5.v, the interval tactic) is on axioms.allow or
# axioms_interval.allow: the allow-list is per theorem.
set -eu
src=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/build.sh" "$src" "$out" >/dev/null
cd "$out"
coqc -q -R . Quench -w -ambiguous-paths Assumptions.v > assumptions.out
coqc -q -R . Quench -w -ambiguous-paths AssumptionsX5.v > assumptions_x5.out
cat "$src/axioms.allow" "$src/axioms_interval.allow" > axioms_x5.allow
status=0
sh "$here/filter_assumptions.sh" "$out/assumptions.out" "$src/axioms.allow" \
  "$(grep -c '^Print Assumptions' "$src/Assumptions.v")" || status=1
sh "$here/filter_assumptions.sh" "$out/assumptions_x5.out" "$out/axioms_x5.allow" \
  "$(grep -c '^Print Assumptions' "$src/AssumptionsX5.v")" || status=1
exit $status
