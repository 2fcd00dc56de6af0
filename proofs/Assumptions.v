(** * Assumptions.v: [Print Assumptions] on every theorem but X5's.

    Compiled by check_assumptions.sh (CTest: proofs.assumptions), which fails
    if any axiom outside axioms.allow appears in the output (the X5 theorems,
    which may also use the interval tactic's primitive floats, are in
    AssumptionsX5.v).  check_coverage.sh (CTest: proofs.assumptions_cover)
    fails if a Theorem or Corollary of a _CoqProject file is listed in
    neither.  Not part of the _CoqProject build, so the normal build stays
    quiet. *)

From Quench Require Import Vectors RunningAverage Scaling OptimalRate OptimalBatch
  Descent1D Hoeffding Quadratic Progress Smooth Concentration EndToEnd Algorithm.

(* RunningAverage.v *)
Print Assumptions RunningAverage.X8_variance_update_identity.
Print Assumptions RunningAverage.X8_nonneg.
Print Assumptions RunningAverage.X8_nonneg_clamped.
Print Assumptions RunningAverage.X8_counterexample.
Print Assumptions RunningAverage.X8_negative_for_every_w_gt_1.
Print Assumptions RunningAverage.X14_one_step_weight_one_zero_variance.
Print Assumptions RunningAverage.X15_one_step_zero_init_spurious_variance.

(* Scaling.v *)
Print Assumptions Scaling.E1_E4_linear_scaling.
Print Assumptions Scaling.E13_linear_scaling.
Print Assumptions Scaling.E13_validity_range.
Print Assumptions Scaling.E13_capped_rate.
Print Assumptions Scaling.E13_no_guarantee_beyond_range.

(* OptimalRate.v *)
Print Assumptions OptimalRate.E21_first_order_condition.
Print Assumptions OptimalRate.E21_optimal_rate_minimises.
Print Assumptions OptimalRate.E21_optimal_rate_unique.
Print Assumptions OptimalRate.E21_constrained_optimal_rate.
Print Assumptions OptimalRate.E22_value_at_optimum.
Print Assumptions OptimalRate.E28_first_order_condition.
Print Assumptions OptimalRate.E28_optimal_rate_minimises.
Print Assumptions OptimalRate.E28_value_at_optimum.
Print Assumptions OptimalRate.E28_constrained_optimal_rate.

(* OptimalBatch.v *)
Print Assumptions OptimalBatch.E23_ratio_formula.
Print Assumptions OptimalBatch.E23_first_order_condition.
Print Assumptions OptimalBatch.E23_optimal_batch.
Print Assumptions OptimalBatch.E23_optimal_batch_unique.
Print Assumptions OptimalBatch.E12_rate_at_optimal_batch.
Print Assumptions OptimalBatch.X4_unbounded_without_domain.
Print Assumptions OptimalBatch.E29_optimal_sample_size.
Print Assumptions OptimalBatch.E29_optimal_sample_size_unique.
Print Assumptions OptimalBatch.E29_rate_at_optimal_sample_size.
Print Assumptions OptimalBatch.X7_k_star_is_B_star.

(* Descent1D.v *)
Print Assumptions Descent1D.E9_descent_lemma.
Print Assumptions Descent1D.E10_sgd_step.

(* Hoeffding.v *)
Print Assumptions Hoeffding.E26_hoeffding_lemma.
Print Assumptions Hoeffding.E26_hoeffding_lemma_centered.

(* Quadratic.v *)
Print Assumptions Quadratic.E24_smoothness_quadratic_form.
Print Assumptions Quadratic.E25_quadratic_expansion.
Print Assumptions Quadratic.E25_gradient_is_directional_derivative.
Print Assumptions Quadratic.E25_descent_bound_quadratic.

(* Progress.v *)
Print Assumptions Progress.E11_progress_guarantee.
Print Assumptions Progress.X3_counterexample.
Print Assumptions Progress.E22_loss_decrease.
Print Assumptions Progress.E27_progress_guarantee.
Print Assumptions Progress.E27_progress_guarantee_quadratic.
Print Assumptions Progress.E28_loss_decrease.

(* Smooth.v *)
Print Assumptions Smooth.E25_descent_bound.
Print Assumptions Smooth.E27_progress_guarantee_smooth.
Print Assumptions Smooth.E28_loss_decrease_smooth.

(* Concentration.v *)
Print Assumptions Concentration.E26_jensen.
Print Assumptions Concentration.E26_second_moment.
Print Assumptions Concentration.E26_bounded_differences.
Print Assumptions Concentration.E26_radius_sum.
Print Assumptions Concentration.E26_mcdiarmid_tail_is_delta.
Print Assumptions Concentration.E26_mcdiarmid.
Print Assumptions Concentration.E26_concentration.
Print Assumptions Concentration.E26_chebyshev.

(* EndToEnd.v *)
Print Assumptions EndToEnd.appendix_II_decrease_with_probability.
Print Assumptions EndToEnd.appendix_II_decrease_with_probability_chebyshev.

(* Algorithm.v *)
Print Assumptions Algorithm.X8_all_runs_variance_nonneg.
Print Assumptions Algorithm.X8_X14_all_runs_weight_range.
Print Assumptions Algorithm.X9_all_runs_rate_range.
Print Assumptions Algorithm.X8_all_runs_counterexample.
Print Assumptions Algorithm.step_total_always_finite.
Print Assumptions Algorithm.X14_clamp_alone_absorbing.
Print Assumptions Algorithm.X14_no_absorbing_state.
Print Assumptions Algorithm.X15_constant_gradients_exact.
Print Assumptions Algorithm.X15_constant_gradients_mean.
Print Assumptions Algorithm.D_recurrence.
Print Assumptions Algorithm.E18_is_E13.
Print Assumptions Algorithm.quenching_limit.
