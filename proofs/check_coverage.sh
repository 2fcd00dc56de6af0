#!/bin/sh
# CTest proofs.assumptions_cover.
# usage: check_coverage.sh SRC_DIR
# Fails if a Theorem or Corollary of a file listed in SRC_DIR/_CoqProject has
# no "Print Assumptions File.Name." line in SRC_DIR/Assumptions.v or
# SRC_DIR/AssumptionsX5.v, so that no theorem escapes the axiom check.
set -eu
src=$1
status=0
count=0
for f in $(grep -E '^[^-#].*\.v$' "$src/_CoqProject"); do
  mod=$(basename "$f" .v)
  # strip (nested) comments first, as check_no_admits.sh does
  names=$(perl -0777 -pe '1 while s/\(\*((?:(?!\(\*|\*\)).)*)\*\)/" " . ("\n" x ($1 =~ tr!\n!!))/gse' "$src/$f" \
          | sed -n -E 's/^[[:space:]]*(Theorem|Corollary)[[:space:]]+([A-Za-z0-9_'"'"']+).*/\2/p')
  for n in $names; do
    count=$((count + 1))
    if ! cat "$src/Assumptions.v" "$src/AssumptionsX5.v" | grep -qxF "Print Assumptions $mod.$n."; then
      echo "FAIL: $mod.$n is not in Assumptions.v or AssumptionsX5.v"
      status=1
    fi
  done
done
[ $status -eq 0 ] && echo "OK: all $count theorems of _CoqProject are checked by Print Assumptions"
exit $status
