// quench/quench_sgd.hpp - the complete quenching SGD algorithm of docs/spec.md (E15-E20, steps
// 1-6, per coordinate, the slides' indexing), written once over a scalar type T.
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
// Branches: only on options and on the step number (warm-up), never on a coordinate's
// value, so the same code is right for interval types and vectorises for double.
#pragma once

#include "quench/errors.hpp"
#include "quench/hyperparameters.hpp"
#include "quench/scalar.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace quench {

/// Per-coordinate state of the algorithm. The vectors are the raw averages described at
/// the top of this file; read the slides' quantities through running_mean() etc.
template <Scalar T>
struct State {
    std::vector<T> mean;    ///< m: raw running average of ghat (E15).
    std::vector<T> second;  ///< v: raw running average of ghat^2 (E16).
    std::vector<T> mass;    ///< c = 1 - prod(1 - w); empty without bias correction (X15).
    std::vector<T> weight;  ///< w = B/Bstar for the next gradient; starts at B/K (E17).
    std::uint64_t t = 0;    ///< Steps taken.

    State() = default;
    /// A fresh state for `dimension` coordinates: gt = st = 0, Bstar = K (docs/spec.md, section 4).
    State(std::size_t dimension, const Hyperparameters<T>& h) {
        h.validate();
        mean.assign(dimension, T(0));
        second.assign(dimension, T(0));
        if (h.options.bias_correction) mass.assign(dimension, T(0));
        weight.assign(dimension, warmup_weight(h));
    }
    std::size_t dimension() const { return mean.size(); }

    /// The weight during warm-up: B/Bstar with Bstar = K, under the weight limits.
    static T warmup_weight(const Hyperparameters<T>& h) {
        return limit_weight(T(h.batch_size / T(static_cast<double>(h.warmup))), h.options);
    }
    /// w under the X8 clamp and the X14 limit (each only when its option is on).
    static T limit_weight(const T& w, const Options<T>& o) {
        T r = w;
        if (o.clamp_weight) r = quench::min(r, T(1));
        if (o.max_weight) r = quench::min(r, *o.max_weight);
        return r;
    }
};

/// Optional per-step outputs: when a span is non-empty it must have the state's dimension
/// and receives, for every coordinate, the value of this step.
template <Scalar T>
struct StepOutputs {
    std::span<T> eta;         ///< eta^t[i] (E18/E20), 0 during warm-up.
    std::span<T> batch_star;  ///< Bstar(t)[i] (E17), K during warm-up, before any limit.
};

namespace detail {

/// The per-step constants, computed once per step from the hyper-parameters.
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
    T zero{0}, one{1};  // named, so that the update creates no number per coordinate

    explicit StepConstants(const Hyperparameters<T>& h)
        : rate_factor(h.options.noise == NoiseStatistic::per_example
                          ? T(h.lambda_rate / h.batch_size) : h.lambda_rate),
          weight_factor(h.options.noise == NoiseStatistic::per_example
                            ? T(T(1) / h.lambda_batch) : T(h.batch_size / h.lambda_batch)),
          batch_factor(h.options.noise == NoiseStatistic::per_example
                           ? T(h.lambda_batch * h.batch_size) : h.lambda_batch),
          epsilon(h.epsilon),
          warm_weight(State<T>::warmup_weight(h)),
          variance_floor(smallest_safe_divisor()),
          clamp_variance(h.options.clamp_variance),
          clamp_weight(h.options.clamp_weight),
          max_weight(h.options.max_weight),
          eta_max(h.options.eta_max),
          warmup_batch(T(static_cast<double>(h.warmup))) {
        if (!quench::is_finite(rate_factor) || !quench::is_finite(weight_factor) ||
            !quench::is_finite(batch_factor))
            throw invalid_hyperparameter(
                "quench: lambda_eta/B, B/lambda_B or lambda_B*B overflows");
    }

    /// What the update divides by: D, floored at smallest_safe_divisor() when
    /// the variance is clamped, so that 1/D is finite (X9, X11). The floor changes nothing
    /// unless var is (numerically) zero, where it makes eta = eta_max.
    T divisor(const T& d) const { return clamp_variance ? quench::max(d, variance_floor) : d; }

    /// The rules "eta, w and Bstar are always finite" hold for every input when the
    /// variance is clamped (1/D finite), the rate capped and the weight limited.
    bool always_finite() const { return clamp_variance && eta_max && (clamp_weight || max_weight); }
};

/// One coordinate's new values. A plain struct so that the checked path can compute it
/// without writing (strong exception guarantee) and the fused path can store it.
template <Scalar T>
struct CoordinateUpdate {
    T mass, mean, second, weight, eta;
    T scaled_variance;  // D = c^2 var, clamped at 0 when clamp_variance is on
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
    T product;   // a product about to be added (see update_coordinate_into)
    T phi;       // the new parameter (E20)
};

/// docs/spec.md steps 1-6 for one coordinate, into u. `weight` is w = min(limits, B/Bstar(t-1))
/// (step 1). u and s must not alias the inputs.
///
/// A sum never has a product as an operand in the same statement: Boost's expression
/// templates evaluate `a*b + c` and `a*b - c` as one fused multiply-add for MPFR (one
/// rounding), so the N-digit step would not follow this expression graph, the one that
/// double, the intervals and the certified bounds (proofs/rounding) follow. Written as
/// below, every type rounds every + - * / once, in this order (tests/mpfr_path_test.cpp
/// checks it against a plain MPFR transcription).
template <Scalar T, bool Warm, bool Bias>
inline void update_coordinate_into(CoordinateUpdate<T>& u, CoordinateScratch<T>& s,
                                   const StepConstants<T>& k, const T& g, const T& mean,
                                   const T& second, const T& mass, const T& weight) {
    s.keep = k.one - weight;
    // X15: the mass of the zero-initialised averages; c = 1 without bias correction.
    if constexpr (Bias) {
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
    if constexpr (Bias) {
        u.scaled_variance = u.mass * u.second;  // D = c^2 var (E16)
        u.scaled_variance -= s.m2;
    } else {
        u.scaled_variance = u.second - s.m2;
    }
    if (k.clamp_variance) assign_max(u.scaled_variance, k.zero);  // X11
    if constexpr (Warm) {
        u.eta = k.zero;              // E18: eta = 0 for t <= K
        u.weight = k.warm_weight;    // E17: Bstar = K for t <= K
    } else {
        s.divisor = u.scaled_variance;
        if (k.clamp_variance) assign_max(s.divisor, k.variance_floor);  // see divisor()
        s.inverse = k.one / s.divisor;                   // the one division
        u.eta = k.rate_factor * s.m2 * s.inverse;        // E18/E20: lambda_eta gt^2 / var
        if (k.eta_max) assign_min(u.eta, *k.eta_max);    // X9
        if constexpr (Bias) assign_square(s.c2, u.mass);
        else s.c2 = k.one;
        // E17 then step 1: w = B / Bstar = B (gt^2 + eps) / (lambda_B s var)
        s.scale = k.epsilon * s.c2;
        s.scale += s.m2;  // m^2 + eps c^2 (+ is commutative in every rounding)
        u.weight = k.weight_factor * s.scale * s.inverse;
        if (k.clamp_weight) assign_min(u.weight, k.one);           // X8
        if (k.max_weight) assign_min(u.weight, *k.max_weight);     // X14
    }
}

/// Steps 1-6 and E20 for coordinate i, stored in place; the new phi is also left in s.phi
/// for the caller's overflow test. The one loop body of both passes: the generic one below
/// and the vectorised one (fused_kernel.hpp). `mass` is unused (may be null) without Bias.
template <Scalar T, bool Warm, bool Bias>
[[gnu::always_inline]] inline void update_and_store(CoordinateUpdate<T>& u, CoordinateScratch<T>& s,
                                                   const StepConstants<T>& k, const T* ghat, T* phi,
                                                   T* mean, T* second, T* mass, T* weight,
                                                   std::size_t i) {
    update_coordinate_into<T, Warm, Bias>(u, s, k, ghat[i], mean[i], second[i],
                                          Bias ? mass[i] : k.one, weight[i]);
    mean[i] = u.mean;
    second[i] = u.second;
    if constexpr (Bias) mass[i] = u.mass;
    weight[i] = u.weight;
    s.product = u.eta * ghat[i];  // E20: Phi' = Phi - eta ghat
    s.phi = phi[i] - s.product;
    phi[i] = s.phi;
}

/// update_coordinate_into with a fresh workspace, returning the new values (for tests and
/// the certified-bound checks, which compare single coordinates).
template <Scalar T, bool Warm, bool Bias>
inline CoordinateUpdate<T> update_coordinate(const StepConstants<T>& k, const T& g,
                                             const T& mean, const T& second, const T& mass,
                                             const T& weight) {
    CoordinateUpdate<T> u;
    CoordinateScratch<T> s;
    update_coordinate_into<T, Warm, Bias>(u, s, k, g, mean, second, mass, weight);
    return u;
}

/// Bstar(t)[i] as the slides define it (E17): lambda_B s var / (gt^2 + eps), computed as
/// lambda_B s D / (m^2 + eps c^2) with D clamped at 0 (not floored) when X11 is on.
template <Scalar T, bool Warm, bool Bias>
inline T reported_batch_star(const StepConstants<T>& k, const CoordinateUpdate<T>& u) {
    if constexpr (Warm) {
        return k.warmup_batch;
    } else {
        const T m2 = quench::square(u.mean);
        const T c2 = Bias ? quench::square(u.mass) : T(1);
        T scale = T(k.epsilon * c2);
        scale += m2;  // no fused multiply-add (see update_coordinate_into)
        return T(k.batch_factor * u.scaled_variance / scale);
    }
}

template <Scalar T, bool Warm, bool Bias>
void check_finite_update(const StepConstants<T>& k, const State<T>& s, std::span<const T> ghat) {
    CoordinateUpdate<T> u;
    CoordinateScratch<T> w;
    for (std::size_t i = 0; i < ghat.size(); ++i) {
        const T& mass = Bias ? s.mass[i] : k.zero;
        update_coordinate_into<T, true, Bias>(u, w, k, ghat[i], s.mean[i], s.second[i], mass,
                                              s.weight[i]);
        const T& d = u.scaled_variance;  // D = c^2 var, clamped at 0 under X11
        // var = 0 has no rate without eta_max (X9) and no window without a weight limit
        // (X14); the X11 floor would turn it into a huge finite one, so it is refused here.
        // For intervals a divisor that holds 0 has no finite reciprocal at all.
        const bool unbounded = !(k.eta_max && (k.clamp_weight || k.max_weight)) && possibly_zero(d);
        bool finite = !unbounded && !(is_interval_v<T> && possibly_zero(k.divisor(d)));
        if (finite) {
            update_coordinate_into<T, Warm, Bias>(u, w, k, ghat[i], s.mean[i], s.second[i], mass,
                                                  s.weight[i]);
            finite = quench::is_finite(u.eta) && quench::is_finite(u.weight);
        }
        if (!finite) {
            std::ostringstream m;
            m << "quench: at step " << s.t + 1 << ", coordinate " << i
              << ": the running variance st - gt^2 is zero (or too small) after warm-up, so "
                 "eta = lambda_eta gt^2/var or B/Bstar is unbounded (X9, X14). Keep "
                 "options.clamp_variance, set options.eta_max and a weight limit "
                 "(clamp_weight or max_weight), as the defaults do";
            throw zero_variance_error(m.str());
        }
    }
}

}  // namespace detail
}  // namespace quench

// The vectorised pass for float and double (SSE2/AVX2/AVX-512 chosen at run time, threads for
// large d); it reuses update_and_store above, so its arithmetic is the generic loop's.
#include "quench/fused_kernel.hpp"

namespace quench {
namespace detail {

/// The generic fused pass (every scalar type): docs/spec.md steps 1-6 and E20 for each coordinate.
/// For float and double without per-step outputs, dispatch_report runs vector_pass
/// (fused_kernel.hpp) instead, which gives bit-identical results.
template <Scalar T, bool Warm, bool Bias, bool Report>
bool fused_pass(const StepConstants<T>& k, State<T>& s, std::span<const T> ghat, std::span<T> phi,
                const StepOutputs<T>& out) {
    const std::size_t d = ghat.size();
    CoordinateUpdate<T> u;   // one workspace for the whole pass: no number is created
    CoordinateScratch<T> w;  // per coordinate (an allocation each for MPFR/MPFI types)
    bool overflow = false;
    for (std::size_t i = 0; i < d; ++i) {
        update_and_store<T, Warm, Bias>(u, w, k, ghat.data(), phi.data(), s.mean.data(),
                                        s.second.data(), s.mass.data(), s.weight.data(), i);
        overflow |= !quench::is_finite(w.phi);
        if constexpr (Report) {
            if (!out.eta.empty()) out.eta[i] = u.eta;
            if (!out.batch_star.empty()) out.batch_star[i] = reported_batch_star<T, Warm, Bias>(k, u);
        }
    }
    return overflow;
}

template <Scalar T, bool Warm, bool Bias>
bool dispatch_report(const StepConstants<T>& k, State<T>& s, std::span<const T> ghat,
                     std::span<T> phi, const StepOutputs<T>& out) {
    if (out.eta.empty() && out.batch_star.empty()) {
        if constexpr (has_vector_pass<T>) {
            const KernelIsa isa = active_kernel_isa();
            const KernelMode mode = kernel_mode(k, Warm);
            if (isa != KernelIsa::scalar && mode != KernelMode::none) {
                const std::size_t d = ghat.size();
                const unsigned threads = d >= parallel_threshold ? max_step_threads() : 1;
                const KernelArrays<T> a{ghat.data(), phi.data(), s.mean.data(), s.second.data(),
                                        Bias ? s.mass.data() : nullptr, s.weight.data()};
                return vector_pass<T, Bias>(mode, isa, threads, k, a, d);
            }
        }
        return fused_pass<T, Warm, Bias, false>(k, s, ghat, phi, out);
    }
    return fused_pass<T, Warm, Bias, true>(k, s, ghat, phi, out);
}

template <Scalar T, bool Warm, bool Bias>
bool checked_step(const StepConstants<T>& k, State<T>& s, std::span<const T> ghat,
                  std::span<T> phi, const StepOutputs<T>& out) {
    if (!Warm && !k.always_finite()) check_finite_update<T, Warm, Bias>(k, s, ghat);
    return dispatch_report<T, Warm, Bias>(k, s, ghat, phi, out);
}

}  // namespace detail

/// The largest |ghat| that step() accepts: sqrt(max)/2, so that ghat^2 and every sum of
/// the update stay finite.
template <Scalar T>
T largest_gradient() {
    using std::sqrt;
    return T(endpoint_t<T>(sqrt(std::numeric_limits<endpoint_t<T>>::max())) / 2);
}

/// One step of quenching SGD: absorbs the minibatch gradient ghat into the running
/// averages, forms eta^t and updates phi in place (docs/spec.md steps 1-6).
///
/// Throws, before modifying anything:
///  - invalid_hyperparameter: h fails validate();
///  - invalid_input: spans whose length differs from the state's dimension, a state built
///    for other options, or a gradient that is NaN, infinite or above largest_gradient();
///  - zero_variance_error: after warm-up a coordinate's variance is zero (or, for
///    intervals, possibly zero) while the options leave eta or the weight unbounded.
/// Throws overflow_error after the update if some phi[i] overflowed to infinity (the state
/// is then unspecified).
template <Scalar T>
void step(State<T>& s, const Hyperparameters<T>& h, std::span<const T> ghat, std::span<T> phi,
          const StepOutputs<T>& out = {}) {
    h.validate();
    const std::size_t d = s.dimension();
    auto size_error = [&](const char* what, std::size_t n) {
        std::ostringstream m;
        m << "quench: " << what << " has " << n << " entries, the state has " << d;
        throw invalid_input(m.str());
    };
    if (ghat.size() != d) size_error("the gradient", ghat.size());
    if (phi.size() != d) size_error("the parameter vector", phi.size());
    if (s.second.size() != d || s.weight.size() != d) size_error("the state's second/weight", s.second.size());
    if (!out.eta.empty() && out.eta.size() != d) size_error("the eta output", out.eta.size());
    if (!out.batch_star.empty() && out.batch_star.size() != d)
        size_error("the batch_star output", out.batch_star.size());
    const bool bias = h.options.bias_correction;
    if (bias != (s.mass.size() == d && d > 0) && d > 0)
        throw invalid_input("quench: the state was built with another bias_correction option");
    const T limit = largest_gradient<T>();
    const T negative_limit = T(-limit);
    bool admissible = false;  // float/double: one vectorised pass first (fused_kernel.hpp)
    if constexpr (detail::has_vector_pass<T>) admissible = detail::gradients_admissible(ghat.data(), d, limit);
    for (std::size_t i = 0; i < d && !admissible; ++i) {
        // possibly |ghat| > limit, without forming |ghat| (a new number for MPFR types)
        const T& g = ghat[i];
        if (!quench::is_finite(g) || possibly_less(limit, g) || possibly_less(g, negative_limit)) {
            std::ostringstream m;
            m << "quench: gradient coordinate " << i << " is " << ghat[i]
              << " (must be finite with |ghat| <= sqrt(max)/2)";
            throw invalid_input(m.str());
        }
    }
    const detail::StepConstants<T> k(h);
    const bool warm = s.t + 1 <= h.warmup;  // t becomes t + 1; eta = 0 for t <= K (E18)
    bool overflow;
    if (warm) {
        overflow = bias ? detail::checked_step<T, true, true>(k, s, ghat, phi, out)
                        : detail::checked_step<T, true, false>(k, s, ghat, phi, out);
    } else {
        overflow = bias ? detail::checked_step<T, false, true>(k, s, ghat, phi, out)
                        : detail::checked_step<T, false, false>(k, s, ghat, phi, out);
    }
    ++s.t;
    if (overflow) throw overflow_error("quench: a parameter overflowed to infinity in step()");
}

// ---- The slides' quantities, read from the state after a step -------------------------

/// gt[i] (E15): the running mean of the gradients, bias-corrected when that option is on.
template <Scalar T>
T running_mean(const State<T>& s, std::size_t i) {
    return s.mass.empty() ? s.mean.at(i) : T(s.mean.at(i) / s.mass.at(i));
}
/// st[i] (E16): the running mean of the squared gradients.
template <Scalar T>
T running_second_moment(const State<T>& s, std::size_t i) {
    return s.mass.empty() ? s.second.at(i) : T(s.second.at(i) / s.mass.at(i));
}
/// var[i] = st[i] - gt[i]^2 (E16), clamped at 0 when clamp_variance is on (X11). This is
/// the variance of minibatch gradients; X13's per-example variance is B times it.
template <Scalar T>
T running_variance(const State<T>& s, const Hyperparameters<T>& h, std::size_t i) {
    const T m = s.mean.at(i);
    const T c = s.mass.empty() ? T(1) : s.mass.at(i);
    T d = T(c * s.second.at(i));
    d -= quench::square(m);  // no fused multiply-add (see update_coordinate_into)
    if (h.options.clamp_variance) d = quench::max(d, T(0));
    return s.mass.empty() ? d : T(d / quench::square(c));
}
/// Bstar(t)[i] (E17) after t steps: K during warm-up, else lambda_B s var / (gt^2 + eps),
/// in examples for the per-example statistic (X13). Before any limit on the weight.
template <Scalar T>
T batch_star(const State<T>& s, const Hyperparameters<T>& h, std::size_t i) {
    if (s.t <= h.warmup) return T(static_cast<double>(h.warmup));
    const detail::StepConstants<T> k(h);
    const T m = s.mean.at(i);
    const T c = s.mass.empty() ? T(1) : s.mass.at(i);
    T d = T(c * s.second.at(i));
    d -= quench::square(m);  // no fused multiply-add (see update_coordinate_into)
    if (h.options.clamp_variance) d = quench::max(d, T(0));
    T scale = T(k.epsilon * quench::square(c));
    scale += quench::square(m);
    return T(k.batch_factor * d / scale);
}

}  // namespace quench
