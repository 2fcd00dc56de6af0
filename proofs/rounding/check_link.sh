#!/bin/sh
# CTest rounding.coq_link: RoundingLink.v compiles against the Coq-checked Gappa certificates
# (GappaCertificates.vo of rounding.coq_certificates) and RoundingGlue.vo (of rounding.coq_glue),
# and Print Assumptions on every Theorem of RoundingLink.v (all of them, read from the file, so
# none escapes) shows only the axioms of axioms.allow.
# usage: check_link.sh COQC SRC_DIR CERTIFICATES_DIR GLUE_DIR OUT_DIR
set -eu
coqc=$1; src=$2; certs=$3; glue=$4; out=$5
for f in "$certs/GappaCertificates.vo" "$glue/RoundingGlue.vo"; do
  [ -f "$f" ] || { echo "FAIL: $f missing (rounding.coq_certificates and rounding.coq_glue build it)"; exit 1; }
done
mkdir -p "$out"
cp "$src/RoundingLink.v" "$out/"
cd "$out"
"$coqc" -q -Q "$certs" "" -Q "$glue" "" RoundingLink.v
# Theorem names outside comments (a comment is replaced by blanks first).
theorems=$(perl -0777 -pe '1 while s/\(\*((?:(?!\(\*|\*\)).)*)\*\)/" " . ("\n" x ($1 =~ tr!\n!!))/gse' RoundingLink.v \
           | sed -n -E 's/^[[:space:]]*Theorem[[:space:]]+([A-Za-z0-9_'"'"']+).*/\1/p')
[ -n "$theorems" ] || { echo "FAIL: no Theorem in RoundingLink.v"; exit 1; }
{ echo "Require Import RoundingLink."
  for t in $theorems; do echo "Print Assumptions $t."; done; } > LinkAssumptions.v
"$coqc" -q -Q "$certs" "" -Q "$glue" "" -Q . "" LinkAssumptions.v > link_assumptions.out 2>&1 \
  || { cat link_assumptions.out; exit 1; }
set -- $theorems
sh "$src/filter_assumptions.sh" link_assumptions.out "$src/axioms.allow" $#
echo "OK: RoundingLink.v checked, $# theorems linked to the certificates"
