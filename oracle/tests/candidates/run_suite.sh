#!/usr/bin/env bash
# The candidate suite (README "Tests"): every correct implementation must AGREE and every
# wrong one DISAGREE with its first wrong step and quantity named, with no tolerance given.
#   run_suite.sh numpy|cpp STEPS ORACLE PYTHON SOURCE_DIR WORK_DIR [CPP_CANDIDATES]
set -u
kind=$1 steps=$2 oracle=$3 python=$4 src=$5 work=$6/$1_$2 cpp=${7:-}
rm -rf "$work" && mkdir -p "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
if [ "$kind" = numpy ]; then
  "$python" "$src/numpy_candidates.py" "$work" "$steps" 2>/dev/null || fail "numpy_candidates.py failed"
else
  "$python" "$src/numpy_candidates.py" "$work" "$steps" --trace-only || fail "numpy_candidates.py --trace-only failed"
  for name in $("$cpp" --list); do
    "$cpp" "$name" "$work" >> "$work/manifest.tsv" || fail "cpp_candidates $name failed"
  done
fi
agree=0 disagree=0 errors=0
while IFS=$'\t' read -r name expected step quantity; do
  dir=$work/$name
  npy=gt=$dir/gt.npy,st=$dir/st.npy,var=$dir/var.npy,Bstar=$dir/Bstar.npy,eta=$dir/eta.npy,phi=$dir/phi.npy
  "$oracle" compare "$work/trace.jsonl" --candidate-npy "$npy" > "$work/$name.txt" 2>&1; rc=$?
  verdict=$(grep '^verdict:' "$work/$name.txt")
  if [ "$expected" = agree ]; then
    if [ $rc -eq 0 ]; then agree=$((agree + 1)); printf '%-26s AGREE     %s\n' "$name" "$(grep -E '^(gt|eta|phi) ' "$work/$name.txt" | awk '{printf "%s %s  ", $1, $4}')"
    else errors=$((errors + 1)); echo "WRONG VERDICT $name (correct): exit $rc: $verdict"; cat "$work/$name.txt"; fi
  else
    want="verdict: DISAGREE (first outside: $quantity at step $step,"
    if [ $rc -eq 1 ] && [ "${verdict#"$want"}" != "$verdict" ]; then
      disagree=$((disagree + 1)); printf '%-26s DISAGREE  %s\n' "$name" "$(grep '^first outside' "$work/$name.txt" | sed -E 's/, admissible \[[^]]*\], reference \[[^]]*\],/,/; s/ from the reference//')"
    else errors=$((errors + 1)); echo "WRONG VERDICT $name: exit $rc, expected '$want', got: $verdict"; fi
  fi
  # Only eta and phi recorded: the hidden-state check must still accept every correct one.
  if [ "$expected" = agree ]; then
    "$oracle" compare "$work/trace.jsonl" --candidate-npy "eta=$dir/eta.npy,phi=$dir/phi.npy" > "$work/$name.hidden.txt" 2>&1 ||
      { errors=$((errors + 1)); echo "WRONG VERDICT $name (correct) with only eta and phi: $(grep '^verdict' "$work/$name.hidden.txt")"; }
  fi
done < "$work/manifest.tsv"
echo "$kind, $steps steps: $agree correct AGREE, $disagree wrong DISAGREE at their first wrong step, $errors wrong verdicts"
[ $errors -eq 0 ] && [ $((agree + disagree)) -gt 0 ] || fail "suite"
