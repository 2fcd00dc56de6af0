#!/bin/sh
# CTest rounding.coq_glue: RoundingGlue.v compiles (Coq + Flocq), and Print Assumptions on
# every theorem it exports shows only the axioms of axioms.allow.
# usage: check_glue.sh COQC SRC_DIR OUT_DIR
set -eu
coqc=$1; src=$2; out=$3
mkdir -p "$out"
cp "$src/RoundingGlue.v" "$out/"
cd "$out"
"$coqc" -q RoundingGlue.v
theorems="plus_rel rnd_rel_normal rel_to_abs sum_error scale_error min_error max0_error
  mean_error variance_error parameter_error descent_bound_error rate_at_batch_error
  prod_error perturbed_le step_variance_error step_numerator_error ratio_error step_rate_error
  ratio_error_linear step_weight_error step_parameter_error
  average_propagation average_error_bounded average_error_linear"
{ echo "Require Import RoundingGlue."
  for t in $theorems; do echo "Print Assumptions $t."; done; } > GlueAssumptions.v
"$coqc" -q -R . "" GlueAssumptions.v > glue_assumptions.out 2>&1 || { cat glue_assumptions.out; exit 1; }
set -- $theorems
sh "$src/filter_assumptions.sh" glue_assumptions.out "$src/axioms.allow" $#
echo "OK: RoundingGlue.v checked"
