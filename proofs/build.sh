#!/bin/sh
# Build the Coq development out of the source tree.
# usage: build.sh SRC_DIR OUT_DIR [JOBS]
# Copies _CoqProject, the .v files and Assumptions.v from SRC_DIR to OUT_DIR
# (only when changed, so make stays incremental), runs coq_makefile there and
# make.  No .vo file is written into SRC_DIR.
set -eu
src=$1
out=$2
jobs=${3:-2}
mkdir -p "$out"
for f in _CoqProject Assumptions.v AssumptionsX5.v $(grep -E '^[^-#].*\.v$' "$src/_CoqProject"); do
  if ! cmp -s "$src/$f" "$out/$f"; then
    cp "$src/$f" "$out/$f"
  fi
done
cd "$out"
coq_makefile -f _CoqProject -o CoqMakefile >/dev/null
${MAKE:-make} -f CoqMakefile -j"$jobs"
