// quench/quench_sgd.hpp - the public API of quenching SGD (steps 1-6, E15-E20): the state,
// step() and the slides' quantities read from the state, over a scalar type T.
//
// The layers, each including only the ones below it:
//   step_policy.hpp        what one step computes (options, warm-up, outputs), at compile time
//   coordinate_update.hpp  one coordinate's update, written once (the formulas and the order
//                          of their roundings)
//   vector_pass.hpp        the vectorised pass over all coordinates for float and double
//   quench_sgd.hpp         this file: State, step(), the generic pass and the accessors
#pragma once

#include "quench/coordinate_update.hpp"
#include "quench/errors.hpp"
#include "quench/hyperparameters.hpp"
#include "quench/scalar.hpp"
#include "quench/step_policy.hpp"
#include "quench/vector_pass.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp

namespace quench {

/// Per-coordinate state of the algorithm. The vectors are the raw averages described at
/// the top of coordinate_update.hpp; read the slides' quantities through running_mean() etc.
template <Scalar T>
struct State {
    std::vector<T> mean;    ///< m: raw running average of ghat (E15).
    std::vector<T> second;  ///< v: raw running average of ghat^2 (E16).
    std::vector<T> mass;    ///< c = 1 - prod(1 - w); empty without bias correction (X15).
    std::vector<T> weight;  ///< w = B/Bstar for the next gradient; starts at B/K (E17).
    std::uint64_t t = 0;    ///< Steps taken.

    State() = default;
    /// A fresh state for `dimension` coordinates: gt = st = 0, Bstar = K (the state of docs/spec.md).
    State(std::size_t dimension, const Hyperparameters<T>& h) {
        h.validate();
        mean.assign(dimension, T(0));
        second.assign(dimension, T(0));
        if (h.options.bias_correction) mass.assign(dimension, T(0));
        weight.assign(dimension, warmup_weight(h));
    }
    std::size_t dimension() const { return mean.size(); }

    /// The weight during warm-up: B/Bstar with Bstar = K, under the weight limits and floor.
    static T warmup_weight(const Hyperparameters<T>& h) { return detail::warmup_weight(h); }
    /// w under the X8 clamp, the X14 limit and the min_weight floor (each only when its
    /// option is on).
    static T limit_weight(const T& w, const Options<T>& o) { return detail::limit_weight(w, o); }
};

/// Optional per-step outputs: when a span is non-empty it must have the state's dimension
/// and receives, for every coordinate, the value of this step.
template <Scalar T>
struct StepOutputs {
    std::span<T> eta;         ///< eta^t[i] (E18/E20), 0 during warm-up.
    std::span<T> batch_star;  ///< Bstar(t)[i] (E17), K during warm-up, before any limit.
};

namespace detail {

/// The zero-variance pre-check of a step whose policy P is not always finite (X9, X14):
/// throws zero_variance_error naming the first coordinate whose rate or weight would be
/// unbounded, before anything is modified.
template <Scalar T, StepPolicy P>
void check_finite_update(const StepConstants<T>& k, const State<T>& s, std::span<const T> ghat) {
    static_assert(!P.warm && !P.report_eta && !P.report_batch_star);
    // var = 0 has no rate without eta_max (X9) and no window without a weight limit (X14);
    // the X11 floor would turn it into a huge finite one, so it is refused here.
    constexpr bool bounded = P.eta_max && P.limit_weight;
    CoordinateUpdate<T> u;
    CoordinateScratch<T> w;
    for (std::size_t i = 0; i < ghat.size(); ++i) {
        const T& mass = P.bias ? s.mass[i] : k.zero;
        // First D alone (the warm-up form divides by nothing).
        update_coordinate_into<T, P.as_warmup()>(u, w, k, ghat[i], s.mean[i], s.second[i],
                                                 mass, s.weight[i]);
        const T& d = u.scaled_variance;  // D = c^2 var, clamped at 0 under X11
        // For intervals a divisor that holds 0 has no finite reciprocal at all.
        bool finite = !(!bounded && possibly_zero(d)) &&
                      !(is_interval_v<T> && possibly_zero(k.divisor(d)));
        if (finite) {
            update_coordinate_into<T, P>(u, w, k, ghat[i], s.mean[i], s.second[i], mass,
                                         s.weight[i]);
            finite = quench::is_finite(u.eta) && quench::is_finite(u.weight);
        }
        if (!finite) {
            std::ostringstream m;
            m << "quench: at step " << s.t + 1 << ", coordinate " << i;
            if (possibly_zero(d)) {
                // Say how the zero was decided: an enclosure is certainly or possibly 0, a
                // point value is 0 after rounding (the exact variance may be positive).
                const char* how = "zero in this type's rounding";
                if constexpr (is_interval_v<T>)
                    how = upper(d) > 0 ? "possibly zero (its enclosure holds 0)" : "certainly zero";
                m << ": the running variance st - gt^2 is " << how << " after warm-up (D = c^2 var = "
                  << d << "), so eta = lambda_eta gt^2/var or B/Bstar is unbounded (X9, X14). Keep "
                     "options.clamp_variance, set options.eta_max and a weight limit "
                     "(clamp_weight or max_weight), as the defaults do";
                throw zero_variance_error(m.str());
            }
            m << ": eta = " << u.eta << " or B/Bstar = " << u.weight
              << " is not finite although D = c^2 var = " << d
              << " is not zero: 1/D or a product left the type's range (keep options.clamp_variance, "
                 "set options.eta_max and a weight limit, as the defaults do)";
            throw overflow_error(m.str());
        }
    }
}

/// The pointers of a pass over s, phi and the outputs that P reports.
template <Scalar T, StepPolicy P>
KernelArrays<T> pass_arrays(State<T>& s, std::span<const T> ghat, std::span<T> phi,
                            const StepOutputs<T>& out) {
    return KernelArrays<T>{ghat.data(),     phi.data(),
                           s.mean.data(),   s.second.data(),
                           P.bias ? s.mass.data() : nullptr, s.weight.data(),
                           P.report_eta ? out.eta.data() : nullptr,
                           P.report_batch_star ? out.batch_star.data() : nullptr};
}

/// The generic pass (every scalar type): steps 1-6 and E20 for each coordinate under the
/// policy P. For float and double run_pass runs vector_pass (vector_pass.hpp) instead
/// wherever it has a kernel, which gives bit-identical results.
template <Scalar T, StepPolicy P>
bool generic_pass(const StepConstants<T>& k, State<T>& s, std::span<const T> ghat,
                  std::span<T> phi, const StepOutputs<T>& out) {
    const KernelArrays<T> a = pass_arrays<T, P>(s, ghat, phi, out);
    CoordinateUpdate<T> u;   // one workspace for the whole pass: no number is created
    CoordinateScratch<T> w;  // per coordinate (an allocation each for MPFR/MPFI types)
    bool overflow = false;
    for (std::size_t i = 0; i < ghat.size(); ++i) {
        update_and_store<T, P>(u, w, k, a.ghat, a.phi, a.mean, a.second, a.mass, a.weight, a.eta,
                               a.batch_star, i);
        overflow |= !quench::is_finite(w.phi);
    }
    return overflow;
}

/// The pass of a step under P: the vectorised one where T and P have a kernel and the
/// processor runs one (QUENCH_ISA=scalar forces the generic loop), else the generic loop.
template <Scalar T, StepPolicy P>
bool run_pass(const StepConstants<T>& k, State<T>& s, std::span<const T> ghat, std::span<T> phi,
              const StepOutputs<T>& out) {
    if constexpr (has_vector_pass<T> && has_vector_kernel(P)) {
        const KernelIsa isa = active_kernel_isa();
        if (isa != KernelIsa::scalar) {
            const std::size_t d = ghat.size();
            const unsigned threads = d >= parallel_threshold ? max_step_threads() : 1;
            return vector_pass<T, P>(isa, threads, k, pass_arrays<T, P>(s, ghat, phi, out), d);
        }
    }
    return generic_pass<T, P>(k, s, ghat, phi, out);
}

/// The policy of the next step of s (warm-up while t + 1 <= K, E17/E18) with these outputs.
template <Scalar T>
StepPolicy step_policy(const StepConstants<T>& k, const State<T>& s, const Hyperparameters<T>& h,
                       const StepOutputs<T>& out) {
    return k.policy(s.t + 1 <= h.warmup, h.options.bias_correction, !out.eta.empty(),
                    !out.batch_star.empty());
}

/// generic_pass under a policy chosen at run time (for tests and benchmarks: the reference
/// the vectorised variants are compared with).
template <Scalar T>
bool generic_pass(const StepPolicy& policy, const StepConstants<T>& k, State<T>& s,
                  std::span<const T> ghat, std::span<T> phi, const StepOutputs<T>& out = {}) {
    return dispatch_policy(policy, [&]<StepPolicy P>() { return generic_pass<T, P>(k, s, ghat, phi, out); });
}

/// vector_pass in the variant `isa` on `threads` threads under a policy chosen at run time,
/// which must have a kernel (has_vector_kernel); for tests and benchmarks.
template <class T>
bool vector_pass(const StepPolicy& policy, KernelIsa isa, unsigned threads,
                 const StepConstants<T>& k, State<T>& s, std::span<const T> ghat,
                 std::span<T> phi, const StepOutputs<T>& out = {}) {
    return dispatch_policy(policy, [&]<StepPolicy P>() -> bool {
        if constexpr (has_vector_kernel(P))
            return vector_pass<T, P>(isa, threads, k, pass_arrays<T, P>(s, ghat, phi, out), ghat.size());
        else
            throw std::logic_error("quench: the vectorised pass has no kernel for this policy");
    });
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
/// averages, forms eta^t and updates phi in place (steps 1-6), writing the per-step
/// outputs that `out` asks for (on the vectorised path too).
///
/// Throws, before modifying anything:
///  - invalid_hyperparameter: h fails validate();
///  - invalid_input: spans whose length differs from the state's dimension, a state built
///    for other options, or a gradient that is NaN, infinite or above largest_gradient();
///  - zero_variance_error: after warm-up a coordinate's variance is zero (or, for
///    intervals, possibly zero) while the options leave eta or the weight unbounded;
///  - std::logic_error: float/double products are fused into multiply-adds anyway (clang's
///    -ffp-contract=fast ignores quench/no_contract.hpp's pragmas).
/// Throws overflow_error after the update if some phi[i] overflowed to infinity (the state
/// is then unspecified).
template <Scalar T>
void step(State<T>& s, const Hyperparameters<T>& h, std::span<const T> ghat, std::span<T> phi,
          const StepOutputs<T>& out = {}) {
    h.validate();
    if constexpr (std::is_floating_point_v<T>) detail::require_products_rounded_before_sums();
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
    bool admissible = false;  // float/double: one vectorised pass first (vector_pass.hpp)
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
    // The options, the warm-up (t becomes t + 1; eta = 0 for t <= K, E18) and the outputs,
    // read once into the step's compile-time policy.
    const bool overflow = detail::dispatch_policy(
        detail::step_policy(k, s, h, out), [&]<detail::StepPolicy P>() {
            if constexpr (!P.warm && !P.always_finite())
                detail::check_finite_update<T, P.without_outputs()>(k, s, ghat);
            return detail::run_pass<T, P>(k, s, ghat, phi, out);
        });
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
namespace detail {
/// D[i] = c v - m^2 (E16) of the state, clamped at 0 under X11, with its m^2 and c, for the
/// accessors below. c = 1 without bias correction, and the product c v is formed even then
/// (for intervals 1 * v is an ulp wider than v: still an enclosure).
template <Scalar T>
struct ScaledVariance {
    T c, m2, d;
    ScaledVariance(const State<T>& s, const Hyperparameters<T>& h, std::size_t i)
        : c(s.mass.empty() ? T(1) : s.mass.at(i)), m2(quench::square(s.mean.at(i))) {
        assign_scaled_variance<T, true>(d, c, s.second.at(i), m2);
        if (h.options.clamp_variance) assign_max(d, T(0));
    }
};
}  // namespace detail

/// var[i] = st[i] - gt[i]^2 (E16), clamped at 0 when clamp_variance is on (X11). This is
/// the variance of minibatch gradients; X13's per-example variance is B times it.
template <Scalar T>
T running_variance(const State<T>& s, const Hyperparameters<T>& h, std::size_t i) {
    const detail::ScaledVariance<T> v(s, h, i);
    return s.mass.empty() ? v.d : T(v.d / quench::square(v.c));
}
/// Bstar(t)[i] (E17) after t steps: K during warm-up, else lambda_B s var / (gt^2 + eps),
/// in examples for the per-example statistic (X13). Before any limit on the weight.
template <Scalar T>
T batch_star(const State<T>& s, const Hyperparameters<T>& h, std::size_t i) {
    if (s.t <= h.warmup) return T(static_cast<double>(h.warmup));
    const T factor = detail::finite_factor(detail::batch_factor(h));
    const detail::ScaledVariance<T> v(s, h, i);
    T scale, star;
    detail::assign_window_scale(scale, h.epsilon, quench::square(v.c), v.m2);
    detail::assign_batch_star(star, factor, v.d, scale);
    return star;
}

}  // namespace quench

QUENCH_NO_CONTRACT_END
