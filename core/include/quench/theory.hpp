// quench/theory.hpp - the closed forms of docs/spec.md (E4-E29), one small function each,
// over any quench::Scalar. Every function names its equation; the corrections of the
// errata (X3: |ghat|, X4: the domain of E23, X5: the norm hypothesis of E26, X6/X7: the
// vector case, X9/X10: scaling and caps) are built in, and inputs outside a formula's
// domain throw quench::invalid_input (for interval types: unless the condition certainly
// holds), and a value that overflows the type's range throws quench::overflow_error (never
// a silent NaN or infinity).
//
// Conventions: sigma >= 0 is the per-example standard deviation sigmahat (E6), g or ghat
// the (minibatch) gradient, L > 0 the smoothness constant, B > 0 the batch size in
// examples, r the concentration radius of E26 (the slides' overloaded "eta", X7).
#pragma once

#include "quench/errors.hpp"
#include "quench/scalar.hpp"

#include <string>

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp
namespace quench::theory {

namespace detail {
// The checks build their message only when they fail: a closed form that passes them costs
// a comparison or two, no string (these run once per formula evaluation, in loops).

/// Throws invalid_input "quench::theory::<function>: requires <name><condition>".
[[noreturn]] inline void domain_failure(const char* function, const char* name, const char* condition) {
    throw invalid_input(std::string("quench::theory::") + function + ": requires " + name + condition);
}
template <Scalar T>
void require(bool ok, const char* function, const char* condition) {
    if (!ok) domain_failure(function, "", condition);
}
template <Scalar T>
void require_positive(const T& x, const char* function, const char* name) {
    if (!(quench::is_finite(x) && certainly_positive(x))) domain_failure(function, name, " finite and > 0");
}
template <Scalar T>
void require_nonnegative(const T& x, const char* function, const char* name) {
    if (!(quench::is_finite(x) && certainly_nonnegative(x)))
        domain_failure(function, name, " finite and >= 0");
}
template <Scalar T>
void require_finite(const T& x, const char* function, const char* name) {
    if (!quench::is_finite(x)) domain_failure(function, name, " finite");
}
template <Scalar T>
void require_nonzero(const T& x, const char* function, const char* name) {
    if (!(quench::is_finite(x) && !possibly_zero(x))) domain_failure(function, name, " finite and != 0");
}
template <Scalar T>
T square(const T& x) { return quench::square(x); }
/// A closed form's value, or overflow_error when it is not finite: every input was checked
/// finite (require_*), so an infinite or NaN value means an intermediate overflowed (inf - inf is NaN).
template <Scalar T>
T finite(T value, const char* function) {
    if (!quench::is_finite(value))
        throw overflow_error(std::string("quench::theory::") + function +
                             ": the value is not finite (an intermediate overflowed the type's "
                             "range); rescale the inputs");
    return value;
}
}  // namespace detail

// ---- Learning-rate scaling (E1-E4) ---------------------------------------------------

/// E3: the per-example rate eta_1 = eta* / B*.
template <Scalar T>
T per_example_rate(const T& eta_star, const T& batch_star) {
    detail::require_finite(eta_star, "per_example_rate", "eta*");
    detail::require_positive(batch_star, "per_example_rate", "B*");
    return detail::finite(T(eta_star / batch_star), "per_example_rate");
}

/// E4: eta_B = (B / B*) eta* (linear scaling, E1). Meaningful for B <= B* (E13, X9).
template <Scalar T>
T scaled_rate(const T& B, const T& batch_star, const T& eta_star) {
    detail::require_positive(B, "scaled_rate", "B");
    detail::require_positive(batch_star, "scaled_rate", "B*");
    detail::require_finite(eta_star, "scaled_rate", "eta*");
    return detail::finite(T(B / batch_star * eta_star), "scaled_rate");
}

// ---- One dimension (E5-E13, E21-E23) -------------------------------------------------

/// E5: the half-width 2 sigma / sqrt(B) of the interval g = ghat +- 2 sigma/sqrt(B).
/// A ~95% normal-approximation heuristic, not a bound (X12); E26 is the rigorous one.
template <Scalar T>
T gradient_confidence_radius(const T& sigma, const T& B) {
    detail::require_nonnegative(sigma, "gradient_confidence_radius", "sigma");
    detail::require_positive(B, "gradient_confidence_radius", "B");
    return detail::finite(T(T(2) * sigma / quench::sqrt(B)), "gradient_confidence_radius");
}

/// E9/E10: the descent-lemma bound on loss(beta - D) - loss(beta) for a step D when
/// loss'' <= L: -g D + L D^2 / 2.
template <Scalar T>
T descent_bound(const T& g, const T& D, const T& L) {
    detail::require_finite(g, "descent_bound", "g");
    detail::require_finite(D, "descent_bound", "D");
    detail::require_positive(L, "descent_bound", "L");
    return detail::finite(T(-g * D + L * detail::square(D) / T(2)), "descent_bound");
}

/// E11: the progress guarantee. If |g - ghat| <= 2 sigma/sqrt(B), then
///   loss(beta - eta ghat) - loss(beta) <= -eta (|ghat| - 2 sigma/sqrt(B)) |ghat| + L eta^2 ghat^2/2.
/// Returns the right-hand side (the bound on the change of the loss). |ghat| per X3.
template <Scalar T>
T progress_bound(const T& ghat, const T& sigma, const T& B, const T& L, const T& eta) {
    detail::require_finite(ghat, "progress_bound", "ghat");
    detail::require_finite(eta, "progress_bound", "eta");
    detail::require_positive(L, "progress_bound", "L");
    const T a = quench::abs(ghat);
    const T radius = gradient_confidence_radius(sigma, B);
    return detail::finite(
        T(-eta * (a - radius) * a + L * detail::square(eta) * detail::square(ghat) / T(2)),
        "progress_bound");
}

/// The domain boundary of E23 (X4): B0 = 4 sigma^2/ghat^2. For B < B0 the guarantee is
/// vacuous (rate_at_batch < 0); for B = B0 it is 0.
template <Scalar T>
T vacuous_batch_threshold(const T& sigma, const T& ghat) {
    detail::require_nonnegative(sigma, "vacuous_batch_threshold", "sigma");
    detail::require_nonzero(ghat, "vacuous_batch_threshold", "ghat");
    return detail::finite(T(T(4) * detail::square(sigma) / detail::square(ghat)),
                          "vacuous_batch_threshold");
}

/// E21: the eta that minimises the right side of E11 for batch size B:
///   eta*(B) = (1/L)(1 - 2 sigma/(|ghat| sqrt(B))).
/// It is negative for B < 4 sigma^2/ghat^2 (vacuous_batch_threshold): there the bound
/// cannot promise progress for any eta >= 0 (the best eta >= 0 is 0). The value is returned
/// as is, so that callers can see the sign; clamp it at 0 to get a usable rate.
template <Scalar T>
T rate_at_batch(const T& B, const T& ghat, const T& sigma, const T& L) {
    detail::require_positive(L, "rate_at_batch", "L");
    detail::require_nonzero(ghat, "rate_at_batch", "ghat");
    detail::require_nonnegative(sigma, "rate_at_batch", "sigma");
    detail::require_positive(B, "rate_at_batch", "B");
    return detail::finite(T((T(1) - T(2) * sigma / T(quench::abs(ghat) * quench::sqrt(B))) / L),
                          "rate_at_batch");
}

/// E22: at eta = eta*(B) the bound of E11 equals -(L/2) eta^2 ghat^2; returns the
/// guaranteed decrease (L/2) eta^2 ghat^2 (meaningful for eta = eta*(B) >= 0).
template <Scalar T>
T guaranteed_decrease(const T& eta, const T& ghat, const T& L) {
    detail::require_finite(eta, "guaranteed_decrease", "eta");
    detail::require_finite(ghat, "guaranteed_decrease", "ghat");
    detail::require_positive(L, "guaranteed_decrease", "L");
    return detail::finite(T(L / T(2) * detail::square(eta) * detail::square(ghat)),
                          "guaranteed_decrease");
}

/// E23: the progress per example, eta*(B)^2 / B = (1/L^2)(1/sqrt(B) - 2 sigma/(|ghat| B))^2.
/// On B >= 4 sigma^2/ghat^2 it is maximal at B* = 16 sigma^2/ghat^2 (E12); below that
/// domain it grows without bound as B -> 0 (X4), which is why the domain matters.
template <Scalar T>
T progress_per_example(const T& B, const T& ghat, const T& sigma, const T& L) {
    return detail::finite(T(detail::square(rate_at_batch(B, ghat, sigma, L)) / B),
                          "progress_per_example");
}

/// E12: the optimal batch size B* = 16 sigma^2 / g^2.
template <Scalar T>
T optimal_batch(const T& sigma, const T& g) {
    detail::require_nonnegative(sigma, "optimal_batch", "sigma");
    detail::require_nonzero(g, "optimal_batch", "g");
    return detail::finite(T(T(16) * detail::square(sigma) / detail::square(g)), "optimal_batch");
}

/// E12: the optimal rate eta* = eta*(B*) = 1/(2L).
template <Scalar T>
T optimal_rate(const T& L) {
    detail::require_positive(L, "optimal_rate", "L");
    return detail::finite(T(T(1) / (T(2) * L)), "optimal_rate");
}

/// E13: eta_B = (B/B*) eta* = B g^2 / (32 sigma^2 L). Valid for B <= B*; for B >= B* the
/// guarantee gives eta* = 1/(2L) (X9), see capped_scaled_rate.
template <Scalar T>
T linear_scaled_rate(const T& B, const T& g, const T& sigma, const T& L) {
    detail::require_positive(B, "linear_scaled_rate", "B");
    detail::require_finite(g, "linear_scaled_rate", "g");
    detail::require_positive(sigma, "linear_scaled_rate", "sigma");
    detail::require_positive(L, "linear_scaled_rate", "L");
    return detail::finite(T(B * detail::square(g) / (T(32) * detail::square(sigma) * L)),
                          "linear_scaled_rate");
}

/// E13 with the X9 cap: min(B g^2/(32 sigma^2 L), 1/(2L)).
template <Scalar T>
T capped_scaled_rate(const T& B, const T& g, const T& sigma, const T& L) {
    return quench::min(linear_scaled_rate(B, g, sigma, L), optimal_rate(L));
}

// ---- Meta-parameters from the theory (X10) -------------------------------------------

/// lambda_B = 16 (E12, E17).
template <Scalar T>
T lambda_batch_from_theory() { return T(16); }

/// lambda_eta = B/(32 L): E18 is the per-example rate, so batch size B needs the factor B
/// (X10); with the per-example statistic (X13) eta = lambda_eta gt^2/(B var) is then E13.
template <Scalar T>
T lambda_eta_from_smoothness(const T& B, const T& L) {
    detail::require_positive(B, "lambda_eta_from_smoothness", "B");
    detail::require_positive(L, "lambda_eta_from_smoothness", "L");
    return detail::finite(T(B / (T(32) * L)), "lambda_eta_from_smoothness");
}

// ---- Vector case (E24-E29) -----------------------------------------------------------

/// E26 (corrected, X5): if ||g_n - g||_2 <= b almost surely (the Euclidean norm, not each
/// coordinate), then with probability >= 1 - delta, ||ghat - g|| <= r/sqrt(k) with
/// r = b (1 + sqrt(2 ln(1/delta))). Returns r. Requires 0 < delta < 1.
template <Scalar T>
T concentration_radius(const T& b, const T& delta) {
    detail::require_nonnegative(b, "concentration_radius", "b");
    detail::require_positive(delta, "concentration_radius", "delta");
    detail::require<T>(certainly_less(delta, T(1)), "concentration_radius", "delta < 1");
    return detail::finite(T(b * T(T(1) + quench::sqrt(T(T(2) * quench::log(T(T(1) / delta)))))),
                          "concentration_radius");
}

/// E26: the deviation bound r/sqrt(k) for a minibatch of k examples.
template <Scalar T>
T concentration_bound(const T& b, const T& delta, const T& k) {
    detail::require_positive(k, "concentration_bound", "k");
    return detail::finite(T(concentration_radius(b, delta) / quench::sqrt(k)),
                          "concentration_bound");
}

/// E27: if ||ghat - g|| <= r/sqrt(k), then l(Phi - eta ghat) - l(Phi) is at most
///   -eta ||ghat|| (||ghat|| - r/sqrt(k)) + (L/2) eta^2 ||ghat||^2 (Cauchy-Schwarz).
template <Scalar T>
T vector_progress_bound(const T& norm_ghat, const T& r, const T& k, const T& L, const T& eta) {
    detail::require_nonnegative(norm_ghat, "vector_progress_bound", "||ghat||");
    detail::require_nonnegative(r, "vector_progress_bound", "r");
    detail::require_positive(k, "vector_progress_bound", "k");
    detail::require_positive(L, "vector_progress_bound", "L");
    detail::require_finite(eta, "vector_progress_bound", "eta");
    return detail::finite(T(-eta * norm_ghat * (norm_ghat - r / quench::sqrt(k)) +
                            L / T(2) * detail::square(eta) * detail::square(norm_ghat)),
                          "vector_progress_bound");
}

/// E28: the minimiser over eta of E27: eta(k) = (1/L)(1 - r/(||ghat|| sqrt(k))) (the
/// slides' sign typo X6 corrected). Negative for k < r^2/||ghat||^2 (vacuous, as in E21).
template <Scalar T>
T vector_rate_at_batch(const T& k, const T& norm_ghat, const T& r, const T& L) {
    detail::require_positive(k, "vector_rate_at_batch", "k");
    detail::require_positive(norm_ghat, "vector_rate_at_batch", "||ghat||");
    detail::require_nonnegative(r, "vector_rate_at_batch", "r");
    detail::require_positive(L, "vector_rate_at_batch", "L");
    return detail::finite(T((T(1) - r / T(norm_ghat * quench::sqrt(k))) / L),
                          "vector_rate_at_batch");
}

/// E29: maximising eta(k)^2/k over k >= r^2/||ghat||^2 gives k* = (2r/||ghat||)^2, with
/// eta(k*) = 1/(2L). With the 1-D radius r = 2 sigma this is E12's 16 sigma^2/ghat^2 (the
/// slides print "22 sigma", X7).
template <Scalar T>
T optimal_k(const T& r, const T& norm_ghat) {
    detail::require_nonnegative(r, "optimal_k", "r");
    detail::require_positive(norm_ghat, "optimal_k", "||ghat||");
    return detail::finite(detail::square(T(T(2) * r / norm_ghat)), "optimal_k");
}

}  // namespace quench::theory

QUENCH_NO_CONTRACT_END
