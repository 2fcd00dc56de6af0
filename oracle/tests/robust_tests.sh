#!/usr/bin/env bash
# Command-line tests of quench-oracle's files and messages under hostile use, one case per
# CTest test (label oracle):
#   robust_tests.sh CASE ORACLE_BINARY SOURCE_DIR WORK_DIR
# Inputs are never overwritten, outputs are all or nothing (and their temporaries are
# removed on errors and on SIGINT/SIGTERM), write errors on standard output are errors,
# parsers refuse what numpy and JSON refuse, and every message names what and where.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_name=$1 oracle=$2 src=$3 work=$4/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
golden=$src/golden

. "$here/cli_helpers.sh"
# No temporary of an output may be left in the given directories.
no_temporaries() {
  local left
  left=$(find "${@:-.}" -maxdepth 1 -name '.quench-oracle-*' -o -maxdepth 1 -name '*.tmp.*')
  [ -z "$left" ] || fail "temporaries left behind: $left"
}
# long_trace FILE ROWS: a trace of ROWS steps whose gradients are in FILE.npy (dimension 4).
long_trace() {
  perl -e 'srand(7); for (1..$ARGV[0]*4) { print pack("d<", 1 + rand()) }' "$2" > g.bin
  make_npy "$1.npy" '<f8' False "($2, 4)" g.bin
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":2,"lambda_rate":0.125},"options":{"eta_max":0.5},"phi0":[1,-1,2,3],"gradients":"'"$1.npy"'"}' > "$1"
}

case $case_name in
# ---- outputs never replace an input (same device and inode, whatever the name) ----
files_input_not_overwritten)
  trace '' '{"g":[1,2]}' '{"g":[2,1]}' '{"g":[1,3]}'
  cp t.jsonl keep.jsonl
  expect 2 "-o t.jsonl: is the trace t.jsonl; refusing to write over an input" -- "$oracle" run t.jsonl -o t.jsonl
  expect 2 "refusing to write over an input" -- "$oracle" run t.jsonl -o ./t.jsonl
  ln t.jsonl hard.jsonl
  expect 2 "-o hard.jsonl: is the trace t.jsonl" -- "$oracle" run t.jsonl -o hard.jsonl
  cmp -s t.jsonl keep.jsonl || fail "the trace was overwritten"
  expect 0 "" -- "$oracle" run t.jsonl -o c.jsonl
  cp c.jsonl c_keep.jsonl
  expect 2 "--report c.jsonl: is the candidate c.jsonl" -- \
    "$oracle" compare t.jsonl --candidate c.jsonl --ulps 1 --report c.jsonl
  grep -q verdict out.txt && fail "a verdict was printed before the refusal"
  cmp -s c.jsonl c_keep.jsonl || fail "the candidate was overwritten"
  expect 2 "--report t.jsonl: is the trace t.jsonl" -- \
    "$oracle" compare t.jsonl --candidate c.jsonl --ulps 1 --report t.jsonl
  # --npy-dir DIR would write DIR/phi.npy, which is the gradients file
  mkdir npy && doubles 1 2 2 1 1 3 > g.bin && make_npy npy/phi.npy '<f8' False '(3, 2)' g.bin
  cp npy/phi.npy phi_keep.npy
  trace ',"gradients":"npy/phi.npy"'
  expect 2 "--npy-dir npy/phi.npy: is the gradients .npy file npy/phi.npy" -- "$oracle" run t.jsonl --npy-dir npy
  cmp -s npy/phi.npy phi_keep.npy || fail "the gradients were overwritten"
  [ "$(ls npy)" = phi.npy ] || fail "outputs written beside the refusal: $(ls npy)"
  no_temporaries . npy ;;
# ---- targets that are not regular files, or are read-only ----
files_special_targets)
  trace '' '{"g":[1,2]}' '{"g":[2,1]}' '{"g":[1,3]}'
  echo data > real.jsonl && ln -s real.jsonl link.jsonl
  expect 2 "-o link.jsonl: is a symbolic link" -- "$oracle" run t.jsonl -o link.jsonl
  [ -L link.jsonl ] && [ "$(cat real.jsonl)" = data ] || fail "the link or its target changed"
  echo data > ro.jsonl && chmod 444 ro.jsonl
  expect 2 "-o ro.jsonl: is read-only" -- "$oracle" run t.jsonl -o ro.jsonl
  [ "$(cat ro.jsonl)" = data ] || fail "a read-only file was replaced"
  mkdir dir.jsonl
  expect 2 "-o dir.jsonl: is a directory" -- "$oracle" run t.jsonl -o dir.jsonl
  mkfifo fifo.jsonl
  expect 2 "-o fifo.jsonl: is a FIFO" -- "$oracle" run t.jsonl -o fifo.jsonl
  [ -p fifo.jsonl ] || fail "the FIFO was replaced"
  # a device node: refused, never renamed over (as root that would replace /dev/null itself)
  expect 2 "-o /dev/null: is a character device" -- "$oracle" run t.jsonl -o /dev/null
  [ -c /dev/null ] || fail "/dev/null is no longer a device"
  ln -s real.jsonl gt.npy
  expect 2 "--npy-dir ./gt.npy: is a symbolic link" -- "$oracle" run t.jsonl --npy-dir .
  [ ! -e x.jsonl ] || fail "an output was written"
  no_temporaries ;;
# ---- write errors on standard output ----
files_stdout_errors)
  trace '' '{"g":[1,2]}' '{"g":[2,1]}'
  "$oracle" run t.jsonl -o - > /dev/full 2>err.txt; rc=$?
  cat err.txt; [ $rc -eq 2 ] || fail "-o - > /dev/full: exit $rc"
  grep -q "standard output: write error: No space left on device" err.txt || fail "message"
  "$oracle" run t.jsonl -o - >&- 2>err.txt; rc=$?
  cat err.txt; [ $rc -eq 2 ] || fail "-o - with standard output closed: exit $rc"
  grep -q "standard output: write error" err.txt || fail "message (closed)"
  "$oracle" run t.jsonl -o c.jsonl || fail "run"
  "$oracle" compare t.jsonl --candidate c.jsonl --ulps 1 > /dev/full 2>err.txt; rc=$?
  cat err.txt; [ $rc -eq 2 ] || fail "compare > /dev/full: exit $rc"
  # standard output closed, with an output file: the file must not be opened as descriptor 1
  "$oracle" run t.jsonl -o f.jsonl >&- || fail "run -o FILE with standard output closed"
  head -1 f.jsonl | grep -q '"format":"quench-trajectory"' || fail "f.jsonl is not a trajectory" ;;
# ---- all of the outputs or none ----
files_all_or_nothing)
  long_trace l.jsonl 50
  mkdir -p out/phi.npy  # the last .npy target cannot be replaced
  expect 2 "--npy-dir out/phi.npy: is a directory" -- "$oracle" run l.jsonl -o r.jsonl --npy-dir out
  [ ! -e r.jsonl ] || fail "r.jsonl written although the .npy outputs failed"
  [ "$(ls out)" = phi.npy ] || fail "some .npy outputs written: $(ls out)"
  rmdir out/phi.npy
  expect 0 "" -- "$oracle" run l.jsonl -o r.jsonl --npy-dir out
  [ "$(ls out | wc -l)" -eq 6 ] && [ -s r.jsonl ] || fail "outputs missing"
  # a write error (file size limit, as a full disk) in one output: no output is replaced
  cp r.jsonl r_keep.jsonl
  long_trace big.jsonl 3000
  ( trap '' XFSZ; ulimit -f 100; exec "$oracle" run big.jsonl -o r.jsonl --npy-dir out ) >out.txt 2>err.txt; rc=$?
  cat err.txt; [ $rc -eq 2 ] || fail "exit $rc under a file size limit"
  grep -Eq "write error: File too large; no output was written" err.txt || fail "message"
  cmp -s r.jsonl r_keep.jsonl || fail "r.jsonl was replaced"
  [ "$(head -c 80 out/phi.npy | grep -c "(50, 4)")" -eq 1 ] || fail "out/phi.npy was replaced"
  no_temporaries . out ;;
# ---- SIGINT and SIGTERM remove the temporaries ----
files_signal_cleanup)
  set -m  # job control: a background job keeps SIGINT (else bash ignores it there)
  long_trace l.jsonl 20000
  mkdir out
  for sig in TERM INT; do
    "$oracle" run l.jsonl -o r.jsonl --npy-dir out --precision 40 > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 200); do
      [ -n "$(find . out -maxdepth 1 -name '.quench-oracle-*' -size +10k)" ] && break
      sleep 0.05
    done
    [ -n "$(find . out -maxdepth 1 -name '.quench-oracle-*')" ] || fail "no temporary seen while running"
    kill -s $sig $pid
    wait $pid; rc=$?
    [ $rc -ge 128 ] || fail "SIG$sig: exit $rc (expected death by the signal)"
    [ ! -e r.jsonl ] && [ -z "$(ls out)" ] || fail "SIG$sig: outputs written"
    no_temporaries . out
  done ;;
# ---- an output directory that a failed run created is removed again ----
files_output_directory_cleanup)
  # The third row is refused after the outputs were opened (gradient above the limit).
  trace '' '{"g":[1,2]}' '{"g":[2,1]}' '{"g":[1e300,1]}'
  expect 2 "largest_gradient" -- "$oracle" run t.jsonl --npy-dir new/deep/npy
  [ ! -e new ] || fail "the failed run left the directories it created: $(find new)"
  mkdir keep
  expect 2 "largest_gradient" -- "$oracle" run t.jsonl -o r.jsonl --npy-dir keep/sub
  [ -d keep ] || fail "a directory that existed before the run was removed"
  [ ! -e keep/sub ] && [ ! -e r.jsonl ] || fail "outputs left by the failed run: $(find keep) $(ls)"
  # SIGTERM while running removes the new directory with the temporaries in it.
  set -m
  long_trace l.jsonl 20000
  "$oracle" run l.jsonl --npy-dir fresh/npy --precision 40 > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 200); do
    [ -n "$(find fresh/npy -maxdepth 1 -name '.quench-oracle-*' -size +10k 2>/dev/null)" ] && break
    sleep 0.05
  done
  [ -d fresh/npy ] || fail "no output directory seen while running"
  kill -s TERM $pid
  wait $pid; rc=$?
  [ $rc -ge 128 ] || fail "SIGTERM: exit $rc (expected death by the signal)"
  [ ! -e fresh ] || fail "SIGTERM left the directories the run created: $(find fresh)"
  # A successful run keeps the directory it created.
  trace '' '{"g":[1,2]}' '{"g":[2,1]}'
  expect 0 "" -- "$oracle" run t.jsonl --npy-dir made/npy
  [ -f made/npy/phi.npy ] || fail "the committed outputs are missing: $(find made)" ;;
# ---- output paths are checked before the work ----
files_checked_before_work)
  "$oracle" run "$golden/golden_small.jsonl" -o c.jsonl || fail "run"
  expect 2 "--report /nonexistent-dir/r.json: cannot create a file in /nonexistent-dir" -- \
    "$oracle" compare "$golden/golden_small.jsonl" --candidate c.jsonl --ulps 1 --report /nonexistent-dir/r.json
  grep -q "verdict" out.txt && fail "the verdict was printed before the output path was checked"
  expect 2 "-o /nonexistent-dir/r.jsonl: cannot create a file in /nonexistent-dir" -- \
    "$oracle" run "$golden/golden_small.jsonl" -o /nonexistent-dir/r.jsonl
  expect 2 "-o: the output file name is empty" -- "$oracle" run "$golden/golden_small.jsonl" -o ""
  expect 2 "--report: the output file name is empty" -- \
    "$oracle" compare "$golden/golden_small.jsonl" --candidate c.jsonl --ulps 1 --report ""
  name=$(printf 'n%.0s' $(seq 247)).jsonl  # 253 bytes: a valid name (NAME_MAX is 255)
  expect 0 "" -- "$oracle" run "$golden/golden_small.jsonl" -o "$name"
  [ -s "$name" ] || fail "the 253-byte name was not written"
  no_temporaries ;;
# ---- parsers refuse what JSON and numpy refuse ----
parse_nul_and_trailing)
  trace ''; printf '{"g":[1,2]}\0 garbage\n' >> t.jsonl
  expect 2 "t.jsonl:2: malformed JSON: NUL byte at column 12" -- "$oracle" run t.jsonl -o r.jsonl
  printf '%s\0\n' "$header}" > t.jsonl
  expect 2 "t.jsonl:1: malformed JSON in the header: NUL byte" -- "$oracle" run t.jsonl -o r.jsonl
  trace '' '{"g":[1,2]}'
  "$oracle" run t.jsonl -o c.jsonl || fail "run"
  { head -1 c.jsonl; printf '{"t":1,"phi":[1,-1]}\0x\n'; } > bad.jsonl
  expect 2 "bad.jsonl:2: malformed JSON: NUL byte" -- "$oracle" compare t.jsonl --candidate bad.jsonl --ulps 1
  doubles 1 2 3 4 > d.bin
  make_npy g.npy '<f8' False '(2, 2)' d.bin " x"
  trace ',"gradients":"g.npy"'
  expect 2 "g.npy: malformed .npy header: text after the header dictionary" -- "$oracle" run t.jsonl -o r.jsonl
  make_npy g.npy '<f8' False '(2, 2)' d.bin
  expect 0 "" -- "$oracle" run t.jsonl -o r.jsonl
  [ ! -e bad.npy ] ;;
# ---- inputs that are not regular files ----
input_not_regular)
  mkdir d.jsonl
  expect 2 "d.jsonl: is a directory, not a file; the trace must be a regular file" -- "$oracle" run d.jsonl -o r.jsonl
  mkfifo f.npy
  trace ',"gradients":"f.npy"'
  expect 2 "f.npy: is a FIFO \(named pipe\), not a file; the gradients .npy file must be a regular file" -- \
    "$oracle" run t.jsonl -o r.jsonl
  mkdir g.npy
  trace ',"gradients":"g.npy"'
  expect 2 "g.npy: is a directory" -- "$oracle" run t.jsonl -o r.jsonl
  expect 2 "missing.jsonl: cannot open the trace: No such file or directory" -- "$oracle" run missing.jsonl -o r.jsonl
  trace '' '{"g":[1,2]}'
  expect 2 "d.jsonl: is a directory, not a file; the candidate must be a regular file" -- \
    "$oracle" compare t.jsonl --candidate d.jsonl --ulps 1
  [ ! -e r.jsonl ] || fail "output written" ;;
# ---- messages: numbers and fields ----
message_numbers)
  trace '' '{"g":[1,2]}'
  "$oracle" run t.jsonl -o c.jsonl || fail "run"
  expect 2 "--ulps: must be a finite number >= 0 \(got -1\)" -- "$oracle" compare t.jsonl --candidate c.jsonl --ulps -1
  [ "$(wc -c < err.txt)" -lt 200 ] || fail "the --ulps message is $(wc -c < err.txt) bytes long"
  expect 2 "--ulps: must be a finite number >= 0 \(got inf\)" -- "$oracle" compare t.jsonl --candidate c.jsonl --ulps inf
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":18446744073709551616,"lambda_rate":0.125},"phi0":[1]}' > w.jsonl
  expect 2 "w.jsonl:1: hyperparameters.warmup: 18446744073709551616 is too large \(at most 18446744073709551615\)" -- \
    "$oracle" run w.jsonl -o r.jsonl
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1e308,"warmup":1,"lambda_rate":0.125},"phi0":[1]}' '{"g":[1]}' > b.jsonl
  expect 2 "b.jsonl:1: invalid meta-parameters: quench: lambda_batch \\* batch_size \\(lambda_B B\\) overflows or underflows to 0" -- "$oracle" run b.jsonl -o r.jsonl
  [ ! -e r.jsonl ] || fail "output written" ;;
# ---- no infinity or NaN in any output, with exit 0 ----
nonfinite_outputs)
  # gradients at exactly the accepted limit sqrt(DBL_MAX)/2 = 0x1.fffffffffffffp+511 / 2
  perl -e 'my $l = sqrt(1.7976931348623157e308) / 2; print pack("d<", $_ % 2 ? -$l : $l) for 0..5' > lim.bin
  make_npy lim.npy '<f8' False '(6, 1)' lim.bin
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":1,"lambda_rate":0.125},"options":{"eta_max":0.5},"phi0":[0],"gradients":"lim.npy"}' > lim.jsonl
  for out in "-o r.jsonl" "--npy-dir npy" "-o - --npy-dir npy"; do
    expect 2 "lim.npy row 1: step 2, coordinate 0: Bstar = inf is not finite in double: .*overflows in lambda_B s D.*accepted limit" -- \
      "$oracle" run lim.jsonl $out
    [ ! -e r.jsonl ] && [ -z "$(ls npy 2>/dev/null)" ] || fail "an output was written ($out)"
  done
  # 50 digits compute it: Bstar(2) = lambda_B B var/(gt^2 + eps) = 16 * 8 = 128
  expect 0 "" -- "$oracle" run lim.jsonl --precision 50 -o r.jsonl --npy-dir npy50
  grep '"t":2,' r.jsonl | grep -q '"Bstar":\[1.28e2\]' || fail "Bstar at 50 digits"
  # a double-interval run whose enclosures widen until a bound is infinite (step 535)
  perl -e 'srand(11); print pack("d<", 1 + 4*(rand()-0.5)) for 1..3000*3' > nz.bin
  make_npy nz.npy '<f8' False '(3000, 3)' nz.bin
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":8,"warmup":10,"lambda_rate":0.125},"options":{"eta_max":0.25},"phi0":[0,0,0],"gradients":"nz.npy"}' > nz.jsonl
  expect 2 "step [0-9]+, coordinate [0-9]: (the enclosure of gt\\^2 or D = c\\^2 var reaches below|[A-Za-z]+ = \\[.*inf\\] is not finite in double: the enclosure became unbounded)" -- \
    "$oracle" run nz.jsonl --enclose --npy-dir nzo
  [ -z "$(ls nzo)" ] || fail "enclosure .npy files written"
  no_temporaries . npy nzo ;;
# ---- one input rule at every precision, decided on the exact decimal ----
one_input_rule)
  precisions=("--precision double" "--precision double --enclose" "--precision 50" "--precision 50 --enclose")
  for p in "${precisions[@]}"; do
    trace '' '{"g":[1e-400,1]}'
    expect 2 "t.jsonl:2: g\[0\]: 1e-400 is below the smallest normal double" -- "$oracle" run t.jsonl $p -o r.jsonl
    trace '' '{"g":[2e-310,1]}'  # subnormal in double
    expect 2 "t.jsonl:2: g\[0\]: 2e-310 is below the smallest normal double" -- "$oracle" run t.jsonl $p -o r.jsonl
    # the exact decimal value of largest_gradient<double>() is accepted, one more digit is not
    lim=6703903964971297805504158820401467141232103632979553510733027378047188286790809527426306120963978227825379998199351891206054816589407081033784756801634304
    trace '' "{\"g\":[$lim,1]}"
    expect 0 "" -- "$oracle" run t.jsonl $p -o r.jsonl
    trace '' "{\"g\":[${lim}.000001,1]}"
    expect 2 "t.jsonl:2: g\[0\]: .*: \|gradient\| exceeds sqrt\(DBL_MAX\)/2 = 6.7039039649712978e\+153, the accepted limit" -- \
      "$oracle" run t.jsonl $p -o r.jsonl
    printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":2,"lambda_rate":0.125,"epsilon":1e-320},"phi0":[1]}' > e.jsonl
    expect 2 "e.jsonl:1: hyperparameters.epsilon: 1e-320 is below the smallest normal double" -- "$oracle" run e.jsonl $p -o r.jsonl
  done
  rm -f r.jsonl ;;
# ---- a zero variance says how it was decided (rounded point, possibly or certainly 0) ----
zero_variance_decision)
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":1,"lambda_rate":0.125},"options":{"bias_correction":false},"phi0":[1]}' > cz.jsonl
  for i in $(seq 300); do echo '{"g":[0.3]}'; done >> cz.jsonl
  expect 2 "is zero in this type's rounding after warm-up \(D = c\^2 var = 0\)" -- "$oracle" run cz.jsonl --precision 30 -o r.jsonl
  expect 2 "is possibly zero \(its enclosure holds 0\)" -- "$oracle" run cz.jsonl --precision 30 --enclose -o r.jsonl
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":1,"lambda_rate":0.125},"phi0":[1]}' '{"g":[1]}' '{"g":[1]}' > c1.jsonl
  expect 2 "c1.jsonl:3: .*is certainly zero after warm-up" -- "$oracle" run c1.jsonl --precision 30 --enclose -o r.jsonl
  [ ! -e r.jsonl ] || fail "output written" ;;
# ---- gradients below the accepted range: refused, never a floor-decided rate ----
small_gradients)
  # mean 1, spread 0.5, scale 1e-155: D = c^2 var is subnormal in double from step 11
  perl -e 'srand(5); for (1..40*4) { my $z = 0; $z += rand() for 1..12; print pack("d<", (1 + 0.5 * ($z - 6)) * 1e-155) }' > s.bin
  make_npy s.npy '<f8' False '(40, 4)' s.bin
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":8,"warmup":10,"lambda_rate":0.125},"options":{"eta_max":0.25},"phi0":[0,0,0,0],"gradients":"s.npy"}' > s.jsonl
  expect 2 "s.npy row [0-9]+, column [0-9]: \|gradient\| .* is below smallest_gradient = sqrt\(DBL_MIN\) = 1.4916681462400413e-154" -- \
    "$oracle" run s.jsonl -o r.jsonl
  # uniform in [0.5, 1.5] times 4e-154: every gradient is accepted, but D ~ s^2/12 is
  # subnormal: the step is refused by name
  perl -e 'srand(5); print pack("d<", (0.5 + rand()) * 4e-154) for 1..40*4' > s.bin
  make_npy s.npy '<f8' False '(40, 4)' s.bin
  expect 2 "step 11, coordinate [0-9]: the gradients' scale is below the accepted range of this precision" -- \
    "$oracle" run s.jsonl -o r.jsonl
  expect 0 "" -- "$oracle" run s.jsonl --precision 30 -o r.jsonl
  rm r.jsonl
  for p in "--precision double" "--precision 40"; do
    trace '' '{"g":[1e-160,1]}'
    expect 2 "t.jsonl:2: g\[0\]: 1e-160: \|gradient\| is below smallest_gradient" -- "$oracle" run t.jsonl $p -o r.jsonl
  done
  trace '' '{"g":[0,1]}' '{"g":[1.5e-154,1]}'
  expect 0 "" -- "$oracle" run t.jsonl -o r.jsonl ;;
*) fail "unknown case" ;;
esac
echo "PASS [$case_name]"
