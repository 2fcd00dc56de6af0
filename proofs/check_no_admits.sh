#!/bin/sh
# CTest proofs.no_admits.
# usage: check_no_admits.sh DIR
# Fails if a .v file directly in DIR contains, outside comments, one of the
# commands that add an unproved fact: Admitted, admit, Axiom(s),
# Parameter(s), Conjecture, Admit.
set -eu
dir=$1
status=0
found_any=0
for f in "$dir"/*.v; do
  [ -e "$f" ] || continue
  found_any=1
  # strip (nested) comments, then look for the forbidden words
  # (a comment is replaced by its newlines, so line numbers stay right)
  hits=$(perl -0777 -pe '1 while s/\(\*((?:(?!\(\*|\*\)).)*)\*\)/" " . ("\n" x ($1 =~ tr!\n!!))/gse' "$f" \
         | grep -nwE 'Admitted|admit|Admit|Axiom|Axioms|Parameter|Parameters|Conjecture' || true)
  if [ -n "$hits" ]; then
    echo "FAIL: $f:"
    printf '%s\n' "$hits"
    status=1
  fi
done
if [ $found_any -eq 0 ]; then
  echo "FAIL: no .v files in $dir"
  exit 1
fi
[ $status -eq 0 ] && echo "OK: no Admitted/admit/Axiom/Parameter/Conjecture in $dir/*.v"
exit $status
