// quench/certified_bounds.hpp - certified rounding-error bounds of the double path.
//
// Every constant below is a coefficient of u = 2^-53 (binary64 round-to-nearest-even) that a
// Coq theorem of proofs/rounding/RoundingLink.v proves for the expression exactly as the core
// evaluates it (no fused multiply-add: see quench/no_contract.hpp), with Flocq's rounding and
// only the input ranges as premises: each theorem is a Gappa script's certificate restated in
// Flocq's terms, or RoundingGlue.v's composition of them where terms can cancel.
// Each constant names its theorem as [proof: RoundingLink.theorem];
// CTest rounding.header_constants checks mechanically that the constant is the bound that
// theorem proves (proofs/rounding/check_header_constants.sh), so the two cannot drift.
// "rel" bounds: |computed - exact| <= bound * |exact|; "abs" bounds: |computed - exact| <=
// bound * (the magnitude named in the comment), because cancellation rules out a relative
// bound. "exact" is the real-number value of the same formula on the same double inputs.
// Each bound holds under the input ranges named next to it (the Range constants), which keep
// every intermediate out of the subnormal and overflow ranges; exact zeros are exact.
// proofs/rounding/README.md lists each bound with its file, and the per-step and t-step
// bounds derived from them. tests/certified takes its bounds from here; the property and
// oracle tests are meant to as well (one source for every tolerance).
#pragma once

namespace quench::certified {

/// Unit roundoff of binary64, u = 2^-53.
inline constexpr double unit_roundoff = 0x1p-53;

/// A closed range of magnitudes [lo, hi] (a hypothesis of a bound).
struct Range {
    double lo, hi;
    constexpr bool contains(double x) const { return x >= lo && x <= hi; }
};

// ---- Hypotheses (input ranges) ----------------------------------------------------------
inline constexpr Range weight_range{0x1p-100, 1.0};        ///< w (keep = 1 - w)
inline constexpr Range mass_range{0x1p-100, 1.0};          ///< c, bias-correction mass
inline constexpr Range value_range{0x1p-250, 0x1p250};     ///< |m|, |ghat| (raw mean, gradient)
inline constexpr Range second_range{0x1p-500, 0x1p500};    ///< v (raw second moment), c v
inline constexpr Range divisor_range{0x1p-300, 0x1p300};   ///< Dd = max(D, DBL_MIN), reported D
inline constexpr Range factor_range{0x1p-60, 0x1p60};      ///< rate_factor, weight_factor, batch_factor
inline constexpr Range epsilon_range{0x1p-200, 0x1p100};   ///< eps
inline constexpr Range eta_range{0x1p-300, 0x1p300};       ///< eta in phi - eta g
inline constexpr Range accessor_range{0x1p-500, 0x1p500};  ///< |m|, v, D in the accessors

// ---- One step, per formula (inputs: the doubles the formula reads) ----------------------
/// X15 mass c' = keep c + w, rel. (w, c in their ranges) [proof: RoundingLink.step_mass_certified]
inline constexpr double mass_rel = 0x3.000001p-53;
/// E15 mean m' = keep m + w g, abs w.r.t. (1 - w)|m| + w|g|, from step_mean_*_term.g
/// [proof: RoundingLink.mean_certified]
inline constexpr double mean_abs = 0x3.000002p-53;
/// E16 second v' = keep v + w (g g), rel. [proof: RoundingLink.step_second_certified]
inline constexpr double second_rel = 0x3.000001p-53;
/// E16/X11 D = c v - m m (and max(D, 0)), abs w.r.t. c v + m^2, from step_variance_*_term.g.
/// Relative error <= variance_abs * kappa_D, kappa_D = (c v + m^2)/|D|.
/// [proof: RoundingLink.variance_certified]
inline constexpr double variance_abs = 0x2.000001p-53;
/// E18/E20 eta = (rate_factor m2) (1/Dd), then min with eta_max (RoundingGlue.min_error), rel.
/// [proof: RoundingLink.step_rate_certified]
inline constexpr double rate_rel = 0x4.000001p-53;
/// E17 + step 1 w = (weight_factor (m2 + eps c2)) (1/Dd), then the limits, rel.
/// [proof: RoundingLink.step_weight_certified]
inline constexpr double weight_rel = 0x6.000001p-53;
/// E20 phi' = phi - eta g, abs w.r.t. |phi| + |eta g|, from step_parameter_term.g.
/// [proof: RoundingLink.parameter_certified]
inline constexpr double parameter_abs = 0x2.000001p-53;
/// E17 reported Bstar = (batch_factor D) / (m2 + eps c2), rel. [proof: RoundingLink.step_batch_star_certified]
inline constexpr double batch_star_rel = 0x5.000001p-53;
/// gt = m/c and st = v/c (running_mean, running_second_moment), rel. [proof: RoundingLink.accessor_mean_certified]
inline constexpr double running_mean_rel = 0x1p-53;
/// var = D/(c c) given the double D (running_variance), rel. [proof: RoundingLink.accessor_variance_certified]
inline constexpr double running_variance_rel = 0x2.000001p-53;

// ---- One step, composed (inputs: the state before the step, exact) ----------------------
// README.md "Per-step bounds": with S_m = (1 - w)|m| + w|g|, C, V, M, D* the exact step values,
//   |D' - D*| <= step_variance_abs * (C V + S_m^2),
//   |eta'/eta* - 1| <= (1 + rate_rel)(1 + mean_abs kappa_M)^2 / (1 - step_variance_abs kappa_D) - 1,
//   |w'/w* - 1| <= (1 + weight_rel)(1 + step_numerator_rel kappa_N) / (1 - step_variance_abs kappa_D) - 1,
// kappa_M = S_m/|M|, kappa_D = (C V + S_m^2)/|D*|, kappa_N = (S_m^2 + eps C^2)/(M^2 + eps C^2).
// The D, eta and w bounds are RoundingLink.step_variance_certified,
// step_rate_composed_certified and step_weight_composed_certified
// (phi: step_parameter_composed_certified).
/// Coefficient of (C V + S_m^2) in the error of D after a step from exact inputs.
/// [proof: RoundingLink.step_variance_certified]
inline constexpr double step_variance_abs = 0x8.0001p-53;
/// Relative error of m'^2 + eps c'^2 w.r.t. M^2 + eps C^2, per unit of kappa_N: the error is at
/// most step_numerator_rel (S_m^2 + eps C^2). [proof: RoundingLink.step_numerator_certified]
inline constexpr double step_numerator_rel = 0x6.0001p-53;

// ---- Closed forms of theory.hpp ---------------------------------------------------------
inline constexpr double per_example_rate_rel = 0x1p-53;              ///< E3 [proof: RoundingLink.theory_per_example_rate_certified]
inline constexpr double scaled_rate_rel = 0x2.000001p-53;            ///< E4 [proof: RoundingLink.theory_scaled_rate_certified]
/// E5 [proof: RoundingLink.theory_gradient_confidence_radius_certified]
inline constexpr double gradient_confidence_radius_rel = 0x2.000001p-53;
/// X4 [proof: RoundingLink.theory_vacuous_batch_threshold_certified]
inline constexpr double vacuous_batch_threshold_rel = 0x3.000001p-53;
inline constexpr double optimal_batch_rel = 0x3.000001p-53;          ///< E12 [proof: RoundingLink.theory_optimal_batch_certified]
inline constexpr double optimal_rate_rel = 0x1p-53;                  ///< E12 [proof: RoundingLink.theory_optimal_rate_certified]
/// E13 (and the capped rate, with RoundingGlue.min_error) [proof: RoundingLink.theory_linear_scaled_rate_certified]
inline constexpr double linear_scaled_rate_rel = 0x5.000001p-53;
/// X10 [proof: RoundingLink.theory_lambda_eta_from_smoothness_certified]
inline constexpr double lambda_eta_from_smoothness_rel = 0x1p-53;
/// E22 [proof: RoundingLink.theory_guaranteed_decrease_certified]
inline constexpr double guaranteed_decrease_rel = 0x5.000001p-53;
inline constexpr double optimal_k_rel = 0x3.000001p-53;              ///< E29 [proof: RoundingLink.theory_optimal_k_certified]
/// E9/E10 descent_bound, abs w.r.t. |g D| + L D^2/2, from theory_descent_bound_terms.g.
/// [proof: RoundingLink.descent_bound_certified]
inline constexpr double descent_bound_abs = 0x4.000002p-53;
/// E21 rate_at_batch and E28 vector_rate_at_batch, abs w.r.t. (1 + X)/L, X = 2 sigma/(|g| sqrt B)
/// (resp. r/(||g|| sqrt k), RoundingLink.vector_rate_at_batch_certified), from
/// theory_*rate_at_batch_term.g. [proof: RoundingLink.rate_at_batch_certified]
inline constexpr double rate_at_batch_abs = 0x5.000003p-53;

// Ranges of the closed forms (see each .g file): per_example_rate [2^-500, 2^500];
// scaled_rate [2^-300, 2^300]; gradient_confidence_radius [2^-400, 2^400];
// vacuous_batch_threshold, optimal_batch, optimal_k [2^-250, 2^250]; optimal_rate
// [2^-500, 2^500]; lambda_eta_from_smoothness [2^-400, 2^400]; linear_scaled_rate,
// guaranteed_decrease, descent_bound: B, L in [2^-100, 2^100], the others in
// [2^-200, 2^200]; rate_at_batch, vector_rate_at_batch: all in [2^-200, 2^200].
inline constexpr Range theory_wide_range{0x1p-250, 0x1p250};
inline constexpr Range theory_scale_range{0x1p-100, 0x1p100};
inline constexpr Range theory_value_range{0x1p-200, 0x1p200};

}  // namespace quench::certified
