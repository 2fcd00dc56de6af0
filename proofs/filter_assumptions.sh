#!/bin/sh
# usage: filter_assumptions.sh OUTPUT ALLOWLIST [EXPECTED_BLOCKS]
# OUTPUT is what coqc printed for a file of Print Assumptions commands.  Each
# command prints either "Closed under the global context" or "Axioms:"
# followed by one entry per axiom, the entry's first line starting in
# column 0 with the axiom's name.  Every line starting in column 0 that is not
# one of these two headers is taken as an assumption and must be on the
# allow-list (one name per line, '#' starts a comment).  Anything else Coq
# might print in column 0 (another header such as "Section Variables:") is
# therefore reported too: the check fails closed.
set -eu
output=$1
allow=$2
expected=${3:-}
names=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$allow" | grep -v '^$' || true)
status=0
# (Coq does not always end a block with a newline, so the next header can be
# glued to the previous line: count the headers wherever they appear.)
blocks=$(grep -oE 'Axioms:|Closed under the global context' "$output" | wc -l)
if [ -n "$expected" ] && [ "$blocks" -ne "$expected" ]; then
  echo "FAIL: expected $expected Print Assumptions results, found $blocks"
  status=1
fi
found=$(grep -E '^[^[:space:]]' "$output" \
        | grep -vE '^(Axioms:|Closed under the global context)$' \
        | sed -e 's/[[:space:]].*//' | sort -u || true)
for a in $found; do
  if printf '%s\n' "$names" | grep -qxF "$a"; then
    :
  else
    echo "FAIL: assumption not on the allow-list: $a"
    status=1
  fi
done
if [ $status -eq 0 ]; then
  echo "OK: $blocks theorems checked; assumptions used:"
  printf '  %s\n' $found
fi
exit $status
