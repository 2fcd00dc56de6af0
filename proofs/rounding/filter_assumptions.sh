#!/bin/sh
# usage: filter_assumptions.sh PRINT_ASSUMPTIONS_OUTPUT AXIOMS_ALLOW N
# The output of N `Print Assumptions` commands must name only axioms listed in
# AXIOMS_ALLOW (one name per line, '#' comments), and must have N reports.
set -eu
out=$1; allow=$2; n=$3
reports=$(grep -cE '^(Axioms:|Closed under the global context)' "$out" || true)
if [ "$reports" -ne "$n" ]; then
  echo "FAIL: expected $n Print Assumptions reports, found $reports"; cat "$out"; exit 1
fi
allowed=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$allow" | grep -v '^$' || true)
bad=0
for ax in $(grep -E '^[A-Za-z_][A-Za-z0-9_.]* :' "$out" | sed 's/ :.*//' | sort -u); do
  if ! printf '%s\n' "$allowed" | grep -qx "$ax"; then
    echo "FAIL: assumption $ax is not in $allow"; bad=1
  fi
done
[ $bad -eq 0 ] && echo "OK: $n reports, only allowed axioms"
exit $bad
