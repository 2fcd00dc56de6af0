# Shared pieces of the oracle's command-line tests (cli_tests.sh, robust_tests.sh), sourced
# after they set case_name and oracle: a failure, an expected status and message, a small
# trace, and .npy files written byte by byte.

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# expect STATUS REGEX -- command...: runs the command, checks status and stderr+stdout.
expect() {
  local status=$1 regex=$2; shift 3
  "$@" >out.txt 2>err.txt; local rc=$?
  cat out.txt err.txt
  [ "$rc" -eq "$status" ] || fail "exit status $rc, expected $status: $*"
  [ -z "$regex" ] || grep -Eq -- "$regex" out.txt err.txt || fail "output does not match /$regex/: $*"
}
header='{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":2,"lambda_rate":0.125},"options":{"eta_max":0.5},"phi0":[1,-1]'
trace() { printf '%s\n' "$header$1}" "${@:2}" > t.jsonl; }
# make_npy FILE DESCR FORTRAN SHAPE DATA_FILE [TEXT AFTER THE DICTIONARY]: an .npy file
# (version 1.0) written byte by byte, so that the tests do not depend on numpy.
make_npy() {
  local dict="{'descr': '$2', 'fortran_order': $3, 'shape': $4, }${6:-}"
  local len=$(( (${#dict} + 11 + 63) / 64 * 64 - 10 ))
  dict=$(printf "%-$((len - 1))s" "$dict")
  { printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $((len % 256)))\\x$(printf %02x $((len / 256)))";
    printf '%s\n' "$dict"; cat "$5"; } > "$1"
}
doubles() { perl -e 'print pack("d<*", @ARGV)' "$@"; }
