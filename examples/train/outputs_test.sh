#!/usr/bin/env bash
# The examples' output folder (examples/common/output_folder.hpp) under failure, through
# quench-train, one case per CTest test (label example):
#   outputs_test.sh CASE TRAIN_BINARY DIGITS_DATA WORK_DIR
# A run that fails writes none of its files (the previous report stays whole), leaves no
# temporary, removes the folders it created, and a signal does the same; the data file is
# never overwritten.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_name=$1 train=$2 data=$3 work=$4/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# fail, and expect STATUS REGEX -- command...: the oracle's command-line test helpers.
. "$here/../../oracle/tests/cli_helpers.sh"
no_temporaries() {
  local left
  left=$(find "$@" -name '.quench-train-*' 2>/dev/null)
  [ -z "$left" ] || fail "temporaries left behind: $left"
}

case $case_name in
# A target refused late in the run (the TeX table, written after the CSVs, plots and macros):
# not one file of the run appears, the old report is untouched.
all_or_nothing)
  mkdir -p out/tex/train-table.tex
  echo "old report" > out/report.md
  expect 2 "--out out/tex/train-table.tex: is a directory" -- "$train" --epochs 1 --out out
  [ "$(cat out/report.md)" = "old report" ] || fail "the old report was replaced"
  for f in train.csv quenching.csv train_loss.svg tex/train-macros.tex tex/train_loss.tex; do
    [ ! -e "out/$f" ] || fail "out/$f was written by a failed run"
  done
  no_temporaries out
  rmdir out/tex/train-table.tex && expect 0 "ok: checks hold" -- "$train" --epochs 1 --out out
  grep -q "^# quench-train" out/report.md && [ -s out/train.csv ] || fail "the report was not written"
  no_temporaries out ;;
# A run that fails before writing removes the output folders it created, and only those.
folders_removed_on_error)
  mkdir kept
  expect 2 "no-such-file.csv.gz: cannot open the data file" -- \
    "$train" --data no-such-file.csv.gz --epochs 1 --out kept/new/deeper
  [ -d kept ] && [ ! -e kept/new ] || fail "the folders created by the failed run are left: $(find kept)"
  # The data file is an input: an output that is the same file (here a hard link) is
  # refused, after the whole run, and the data kept.
  cp "$data" data.csv.gz && cp data.csv.gz data.keep
  mkdir same && ln data.csv.gz same/report.md
  expect 2 "--out same/report.md: is the data file data.csv.gz; refusing to write over an input" -- \
    "$train" --data data.csv.gz --epochs 1 --out same
  cmp -s data.csv.gz data.keep || fail "the data file was overwritten"
  [ "$(ls same)" = report.md ] || fail "a failed run wrote: $(ls same)"
  no_temporaries same ;;
# SIGTERM and SIGINT during the run: the folder the run created is removed, nothing is left.
folders_removed_on_signal)
  set -m  # job control: a background job keeps SIGINT (else bash ignores it there)
  for sig in TERM INT; do
    "$train" --epochs 100000 --out "fresh-$sig/report" > /dev/null 2>&1 &
    pid=$!
    timeout 20 bash -c "until [ -d fresh-$sig/report ]; do sleep 0.05; done" ||
      fail "SIG$sig: the output folder was not created while running"
    sleep 0.5
    kill -s $sig $pid
    wait $pid; rc=$?
    [ $rc -ge 128 ] || fail "SIG$sig: exit $rc (expected death by the signal)"
    [ ! -e "fresh-$sig" ] || fail "SIG$sig: the folders of the interrupted run are left: $(find "fresh-$sig")"
  done ;;
*) fail "unknown case" ;;
esac
echo "ok [$case_name]"
