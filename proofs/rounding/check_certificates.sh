#!/bin/sh
# CTest rounding.coq_certificates: every Gappa script's proof, exported with
# `gappa -Bcoq`, is re-checked by Coq's kernel (with the Gappa support library of
# libcoq-gappa), and Print Assumptions on each certificate's final lemma may show
# only the axioms of axioms.allow.
# usage: check_certificates.sh GAPPA COQC SRC_DIR OUT_DIR [SCRIPT_DIR]
# SCRIPT_DIR (default SRC_DIR) holds the scripts: stepwise/ for the oracle's model.
set -eu
gappa=$1; coqc=$2; src=$3; out=$4; scripts=${5:-$3}
mkdir -p "$out"
all="$out/GappaCertificates.v"
echo "Require Import Gappa.Gappa_library." > "$all"
n=0
for g in "$scripts"/*.g; do
  name=$(basename "$g" .g)
  if ! "$gappa" -Bcoq "$g" > "$out/$name.cert" 2> "$out/$name.err" || [ -s "$out/$name.err" ]; then
    echo "FAIL: gappa -Bcoq $g"; cat "$out/$name.err"; exit 1
  fi
  # Each certificate in its own module (they reuse the names f1, l1, ...).
  { echo "Module Cert_$name."
    grep -v '^Require Import Gappa.Gappa_library.' "$out/$name.cert"
    echo "End Cert_$name."
    echo "Print Assumptions Cert_$name.l1."; } >> "$all"
  n=$((n + 1))
done
cd "$out"
coqc -q GappaCertificates.v > assumptions.out
sh "$src/filter_assumptions.sh" assumptions.out "$src/axioms.allow" "$n"
echo "OK: Coq checked the $n Gappa certificates"
