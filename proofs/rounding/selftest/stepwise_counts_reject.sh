#!/bin/sh
# CTest rounding.selftest.stepwise_counts_reject: check_stepwise_counts.sh must reject a
# ModelCounts whose ratio count is below what the Gappa scripts of stepwise/ prove. The
# drifted header is made from the real one (only the ratio count lowered to 4), so the
# self-test follows every other change of the model.
# usage: stepwise_counts_reject.sh CHECKER HEADER STEPWISE_DIR WORK_DIR
set -eu
checker=$1 header=$2 stepwise=$3 work=$4
mkdir -p "$work"
drifted=$work/drifted_model_counts.hpp
sed 's/\(static constexpr int ratio = \)[0-9][0-9]*;/\14;/' "$header" > "$drifted"
if cmp -s "$header" "$drifted" || ! grep -q 'static constexpr int ratio = 4;' "$drifted"; then
  echo "FAIL: no 'static constexpr int ratio = N;' in $header to lower" >&2; exit 1
fi
if out=$(sh "$checker" "$drifted" "$stepwise" 2>&1); then
  printf '%s\n' "$out"; echo "FAIL: the checker accepted ratio = 4" >&2; exit 1
fi
printf '%s\n' "$out"
if ! printf '%s\n' "$out" | grep -q 'more than the model allows for ratio = 4'; then
  echo "FAIL: the checker failed, but not for the lowered ratio count" >&2; exit 1
fi
echo "OK: the checker rejects ratio = 4"
