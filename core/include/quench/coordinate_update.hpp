// quench/coordinate_update.hpp - one coordinate of quenching SGD (steps 1-6 and E15-E20,
// the slides' indexing), written once over a scalar type T: the loop body of the generic
// pass (quench_sgd.hpp) and of every vectorised variant (vector_pass.hpp).
//
// The state keeps the *raw* running averages m (of ghat) and v (of ghat^2), their mass
// c = 1 - prod(1 - w) when bias correction is on (X15; c = 1 otherwise), and the weight w
// for the next gradient (w = B/Bstar, E19 step 1). The slides' quantities are
//     gt = m/c,   st = v/c,   var = st - gt^2 = (c v - m^2)/c^2 =: D/c^2.
// Every formula of the update needs var only through D and gt^2/var = m^2/D, so one step
// costs one division per coordinate (1/D) and no sqrt:
//     eta    = (lambda_eta / s) * m^2 / D                      (E18/E20)
//     B/Bstar = (B / (lambda_B s)) * (m^2 + eps c^2) / D       (E17/E19 step 6, then step 1)
// where s = B for the per-example statistic (X13) and s = 1 for the literal one.
//
// Branches: only on the step's StepPolicy (step_policy.hpp), at compile time, never on a
// coordinate's value, so the same code is right for interval types and vectorises for double.
//
// Order of operations. A sum never has a product as an operand in the same statement:
// Boost's expression templates evaluate `a*b + c` and `a*b - c` as one fused multiply-add for
// MPFR (one rounding), so the N-digit step would not follow this expression graph, the one
// that double, the intervals and the certified bounds (proofs/rounding) follow. Written as
// below, every type rounds every + - * / once, in this order (tests/mpfr_path_test.cpp checks
// it against a plain MPFR transcription, tests/certified against the certified expressions).
// The three formulas that the accessors share with the update (D, m^2 + eps c^2 and Bstar)
// are written once, in assign_scaled_variance, assign_window_scale and assign_batch_star.
#pragma once

#include "quench/errors.hpp"
#include "quench/hyperparameters.hpp"
#include "quench/scalar.hpp"
#include "quench/step_policy.hpp"

#include <cstddef>
#include <limits>
#include <optional>

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp

namespace quench::detail {

// ---- The formulas the update shares with the accessors --------------------------------

/// d = D = c v - m^2 = c^2 var (E16), given m2 = m^2; without bias correction c = 1 and
/// d = v - m^2. The callers then clamp it at 0 under X11 (in floating point the difference
/// can round below zero even with clamped weights), each with a zero it already holds.
template <Scalar T, bool Bias>
void assign_scaled_variance(T& d, const T& c, const T& v, const T& m2) {
    if constexpr (Bias) {
        d = c * v;
        d -= m2;
    } else {
        d = v - m2;
    }
}

/// scale = m^2 + eps c^2 = c^2 (gt^2 + eps), the numerator of E17's window (c2 = c^2).
template <Scalar T>
void assign_window_scale(T& scale, const T& epsilon, const T& c2, const T& m2) {
    scale = epsilon * c2;
    scale += m2;  // + is commutative in every rounding
}

/// Bstar = batch_factor D / (m^2 + eps c^2) = lambda_B s var / (gt^2 + eps) (E17), with the
/// scale of assign_window_scale. Two roundings: the product, then the quotient.
template <Scalar T>
void assign_batch_star(T& out, const T& batch_factor, const T& d, const T& scale) {
    out = batch_factor * d;
    out /= scale;
}

// ---- The step's constants ------------------------------------------------------------

/// w under the X8 clamp and the X14 limit, then the min_weight floor (tempering), each only
/// when its option is on.
template <Scalar T>
T limit_weight(const T& w, const Options<T>& o) {
    T r = w;
    if (o.clamp_weight) r = quench::min(r, T(1));
    if (o.max_weight) r = quench::min(r, *o.max_weight);
    if (o.min_weight) r = quench::max(r, *o.min_weight);
    return r;
}

/// The weight during warm-up: B/Bstar with Bstar = K (E17), under the weight limits and floor.
template <Scalar T>
T warmup_weight(const Hyperparameters<T>& h) {
    return limit_weight(T(h.batch_size / T(static_cast<double>(h.warmup))), h.options);
}

/// The factors of E17/E18 for the chosen statistic (X13: s = B per example, else s = 1).
template <Scalar T>
T rate_factor(const Hyperparameters<T>& h) {  // lambda_eta / s
    return h.options.noise == NoiseStatistic::per_example ? T(h.lambda_rate / h.batch_size)
                                                          : h.lambda_rate;
}
template <Scalar T>
T weight_factor(const Hyperparameters<T>& h) {  // B / (lambda_B s)
    return h.options.noise == NoiseStatistic::per_example ? T(T(1) / h.lambda_batch)
                                                          : T(h.batch_size / h.lambda_batch);
}
template <Scalar T>
T batch_factor(const Hyperparameters<T>& h) {  // lambda_B s (for reporting Bstar)
    return h.options.noise == NoiseStatistic::per_example ? T(h.lambda_batch * h.batch_size)
                                                          : h.lambda_batch;
}

/// A factor of E17/E18, refused when B, lambda_B or lambda_eta make it overflow.
template <Scalar T>
T finite_factor(T factor) {
    if (!quench::is_finite(factor))
        throw invalid_hyperparameter("quench: lambda_eta/B, B/lambda_B or lambda_B*B overflows");
    return factor;
}

/// The per-step constants, computed once per step from the hyper-parameters: the values the
/// update reads. Which of them it reads is the StepPolicy's business (policy() below).
template <Scalar T>
struct StepConstants {
    T rate_factor;    // lambda_eta / s
    T weight_factor;  // B / (lambda_B s)
    T batch_factor;   // lambda_B s (for reporting Bstar)
    T epsilon;
    T warm_weight;
    T variance_floor;  // keeps 1/D finite (X11): see smallest_safe_divisor()

    /// The smallest positive normal number, or 1/max where that is larger: MPFR's exponent
    /// range is asymmetric (mpfr_float_100: min ~ 2e-323228497, max ~ 1e323228496), so
    /// 1/min would overflow there. For IEEE types 1/max is subnormal and min wins.
    static T smallest_safe_divisor() {
        using E = endpoint_t<T>;
        const E tiny = std::numeric_limits<E>::min();
        const E reciprocal_of_max = E(E(1) / std::numeric_limits<E>::max());
        return T(tiny < reciprocal_of_max ? reciprocal_of_max : tiny);
    }
    bool clamp_variance;
    bool clamp_weight;
    std::optional<T> max_weight;
    std::optional<T> eta_max;
    T warmup_batch;    // K, reported as Bstar during warm-up
    /// The one upper limit of the weight: max_weight under X14 (validate() makes it <= 1, so
    /// the X8 clamp at 1 adds nothing: min(min(w, 1), m) = min(w, m) exactly, for the select
    /// forms, the interval end points and MPFR alike), else 1 under X8. Derived from
    /// clamp_weight and max_weight here; a caller that changes those recomputes it.
    T weight_limit;
    std::optional<T> eta_min;     // tempering: the floors as the options give them
    std::optional<T> min_weight;
    /// The floors the tempered update applies (StepPolicy::temper): eta_min and min_weight,
    /// or -infinity for the one that is not set. max(x, -inf) is x for every x (NaN and
    /// -inf included, in the select form and on interval end points), so an unset floor
    /// changes no bit. Like weight_limit, derived here from the options.
    T eta_floor;
    T weight_floor;
    T zero{0}, one{1};  // named, so that the update creates no number per coordinate

    explicit StepConstants(const Hyperparameters<T>& h)
        : rate_factor(finite_factor(detail::rate_factor(h))),
          weight_factor(finite_factor(detail::weight_factor(h))),
          batch_factor(finite_factor(detail::batch_factor(h))),
          epsilon(h.epsilon),
          warm_weight(warmup_weight(h)),
          variance_floor(smallest_safe_divisor()),
          clamp_variance(h.options.clamp_variance),
          clamp_weight(h.options.clamp_weight),
          max_weight(h.options.max_weight),
          eta_max(h.options.eta_max),
          warmup_batch(T(static_cast<double>(h.warmup))),
          weight_limit(max_weight ? *max_weight : T(1)),
          eta_min(h.options.eta_min),
          min_weight(h.options.min_weight),
          eta_floor(eta_min ? *eta_min : minus_infinity()),
          weight_floor(min_weight ? *min_weight : minus_infinity()) {}

    static T minus_infinity() { return T(-std::numeric_limits<double>::infinity()); }

    /// The one conversion of the options to a step's policy (step_policy.hpp): what the
    /// update then branches on, at compile time, through dispatch_policy.
    StepPolicy policy(bool warm, bool bias, bool report_eta = false,
                      bool report_batch_star = false) const {
        StepPolicy p;
        p.warm = warm;
        p.bias = bias;
        // A warm-up pass reads none of these (policy_fields::read_by).
        p.clamp_variance = !warm && clamp_variance;
        p.eta_max = !warm && eta_max.has_value();
        p.limit_weight = !warm && (clamp_weight || max_weight.has_value());
        p.temper = !warm && (eta_min.has_value() || min_weight.has_value());
        p.report_eta = report_eta;
        p.report_batch_star = report_batch_star;
        return p;
    }

    /// What the update divides by: D, floored at smallest_safe_divisor() when
    /// the variance is clamped, so that 1/D is finite (X9, X11). Meant for a variance that
    /// is (numerically) zero, where it makes eta = eta_max; it also acts when gradients are
    /// so small that D underflows (float ~1e-19, double ~1e-154), where the rate it gives is
    /// wrong: quench/gradient_range.hpp states that range and detects it.
    T divisor(const T& d) const { return clamp_variance ? quench::max(d, variance_floor) : d; }

    /// The rules "eta, w and Bstar are always finite" hold for every input when the
    /// variance is clamped (1/D finite), the rate capped and the weight limited.
    bool always_finite() const { return policy(false, false).always_finite(); }
};

// ---- One coordinate ------------------------------------------------------------------

/// One coordinate's new values. A plain struct so that the checked path can compute it
/// without writing (strong exception guarantee) and the passes can store it.
template <Scalar T>
struct CoordinateUpdate {
    T mass, mean, second, weight, eta;
    T scaled_variance;  // D = c^2 var, clamped at 0 when clamp_variance is on
    T batch_star;       // Bstar(t) (E17), set only when the policy reports it
};

/// The intermediate values of one coordinate's update. The generic pass keeps one for the
/// whole pass: for MPFR and MPFI numbers every fresh temporary is a heap allocation, and
/// values that are assigned into, never constructed, per coordinate make an MPFR update
/// allocate nothing (tests/mpfr_path_test.cpp counts). For float and double the kernel
/// keeps it in registers.
template <Scalar T>
struct CoordinateScratch {
    T keep;      // 1 - w
    T g2;        // ghat^2
    T m2;        // m^2 (c^2 gt^2)
    T divisor;   // D, floored under X11
    T inverse;   // 1/divisor: the one division
    T c2;        // c^2 (1 without bias correction)
    T scale;     // m^2 + eps c^2
    T product;   // a product about to be added (see the top of this file)
    T phi;       // the new parameter (E20)
};

/// Steps 1-6 for one coordinate, into u, under the policy P. `weight` is
/// w = min(limits, B/Bstar(t-1)) (step 1). u and s must not alias the inputs.
template <Scalar T, StepPolicy P>
inline void update_coordinate_into(CoordinateUpdate<T>& u, CoordinateScratch<T>& s,
                                   const StepConstants<T>& k, const T& g, const T& mean,
                                   const T& second, const T& mass, const T& weight) {
    s.keep = k.one - weight;
    // X15: the mass of the zero-initialised averages; c = 1 without bias correction.
    if constexpr (P.bias) {
        u.mass = s.keep * mass;
        u.mass += weight;
    } else {
        u.mass = k.one;
    }
    u.mean = s.keep * mean;  // E15: gt' = (1 - w) gt + w ghat
    s.product = weight * g;
    u.mean += s.product;
    assign_square(s.g2, g);
    u.second = s.keep * second;  // E16: st' = (1 - w) st + w ghat^2
    s.product = weight * s.g2;
    u.second += s.product;
    assign_square(s.m2, u.mean);
    assign_scaled_variance<T, P.bias>(u.scaled_variance, u.mass, u.second, s.m2);  // D (E16)
    if constexpr (P.clamp_variance) assign_max(u.scaled_variance, k.zero);              // X11
    if constexpr (P.warm) {
        u.eta = k.zero;              // E18: eta = 0 for t <= K
        u.weight = k.warm_weight;    // E17: Bstar = K for t <= K
        if constexpr (P.report_batch_star) u.batch_star = k.warmup_batch;
    } else {
        s.divisor = u.scaled_variance;
        if constexpr (P.clamp_variance) assign_max(s.divisor, k.variance_floor);  // see divisor()
        s.inverse = k.one / s.divisor;                   // the one division
        u.eta = k.rate_factor * s.m2 * s.inverse;        // E18/E20: lambda_eta gt^2 / var
        if constexpr (P.eta_max) assign_min(u.eta, *k.eta_max);  // X9
        // Tempering: eta = max(eta, eta_min) after the cap (eta_min <= eta_max, validate()).
        // max is exact in every type (it picks an operand, or end points for intervals) and
        // |max(a, f) - max(b, f)| <= |a - b|, so a certified bound on the rounding error of
        // eta bounds that of the floored eta too, and an enclosure stays an enclosure.
        if constexpr (P.temper) assign_max(u.eta, k.eta_floor);
        if constexpr (P.bias) assign_square(s.c2, u.mass);
        else s.c2 = k.one;
        // E17 then step 1: w = B / Bstar = B (gt^2 + eps) / (lambda_B s var)
        assign_window_scale(s.scale, k.epsilon, s.c2, s.m2);
        u.weight = k.weight_factor * s.scale * s.inverse;
        if constexpr (P.limit_weight) assign_min(u.weight, k.weight_limit);  // X8, X14
        // Tempering: w = max(w, min_weight) after the limits (min_weight <= the limit,
        // validate()); exact, like the floor of eta. The warm-up weight is floored once per
        // step, in warm_weight.
        if constexpr (P.temper) assign_max(u.weight, k.weight_floor);
        // The reported Bstar divides the clamped D, not the floored divisor (X11).
        if constexpr (P.report_batch_star)
            assign_batch_star(u.batch_star, k.batch_factor, u.scaled_variance, s.scale);
    }
}

/// Steps 1-6 and E20 for coordinate i, stored in place, with the per-step outputs the policy
/// reports; the new phi is also left in s.phi for the caller's overflow test. The one loop
/// body of both passes: the generic one (quench_sgd.hpp) and the vectorised one
/// (vector_pass.hpp). `mass`, `eta` and `batch_star` are unused (may be null) when P says so.
template <Scalar T, StepPolicy P>
[[gnu::always_inline]] inline void update_and_store(CoordinateUpdate<T>& u, CoordinateScratch<T>& s,
                                                   const StepConstants<T>& k, const T* ghat, T* phi,
                                                   T* mean, T* second, T* mass, T* weight,
                                                   T* eta, T* batch_star, std::size_t i) {
    update_coordinate_into<T, P>(u, s, k, ghat[i], mean[i], second[i],
                                 P.bias ? mass[i] : k.one, weight[i]);
    mean[i] = u.mean;
    second[i] = u.second;
    if constexpr (P.bias) mass[i] = u.mass;
    weight[i] = u.weight;
    s.product = u.eta * ghat[i];  // E20: Phi' = Phi - eta ghat
    s.phi = phi[i] - s.product;
    phi[i] = s.phi;
    if constexpr (P.report_eta) eta[i] = u.eta;
    if constexpr (P.report_batch_star) batch_star[i] = u.batch_star;
}

/// update_coordinate_into with a fresh workspace and the options of k, returning the new
/// values (for tests and the certified-bound checks, which compare single coordinates).
template <Scalar T, bool Warm, bool Bias>
CoordinateUpdate<T> update_coordinate(const StepConstants<T>& k, const T& g, const T& mean,
                                      const T& second, const T& mass, const T& weight) {
    return dispatch_policy<outputs_unused>(k.policy(false, Bias), [&]<StepPolicy After>() {
        constexpr StepPolicy P = Warm ? After.as_warmup() : After;  // keeps the X11 clamp
        CoordinateUpdate<T> u;
        CoordinateScratch<T> s;
        update_coordinate_into<T, P>(u, s, k, g, mean, second, mass, weight);
        return u;
    });
}

/// Bstar(t)[i] as the slides define it (E17), from an update's mass, mean and clamped D:
/// what a step reports (the same three formulas), for the tests that replay one coordinate.
template <Scalar T, bool Warm, bool Bias>
T reported_batch_star(const StepConstants<T>& k, const CoordinateUpdate<T>& u) {
    if constexpr (Warm) {
        return k.warmup_batch;
    } else {
        T m2, c2, scale, star;
        assign_square(m2, u.mean);
        if constexpr (Bias) assign_square(c2, u.mass);
        else c2 = k.one;
        assign_window_scale(scale, k.epsilon, c2, m2);
        assign_batch_star(star, k.batch_factor, u.scaled_variance, scale);
        return star;
    }
}

}  // namespace quench::detail

QUENCH_NO_CONTRACT_END
