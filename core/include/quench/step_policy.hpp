// quench/step_policy.hpp - what one step computes, as a compile-time value, and the one
// place where the runtime options become it.
//
// Why: the per-coordinate update (coordinate_update.hpp) must not test an option per
// coordinate. For float and double a select on a runtime flag stops g++ from vectorising the
// loop, and for every type the branch is dead weight in the one loop body that the generic
// pass and every vectorised variant share. So each step reads its options once, here, into a
// StepPolicy, and the update is instantiated for that policy; every option is read with
// `if constexpr` and nowhere else. A new option is one more field below, set in
// policy_of (coordinate_update.hpp) and read where the update uses it.
#pragma once

#include <cstddef>
#include <utility>

namespace quench::detail {

/// Which branches of steps 1-6 and E20 one step takes. A structural type, so that it can be
/// a template argument: `template <StepPolicy P>` and `if constexpr (P.bias)`.
struct StepPolicy {
    bool warm = false;            ///< t <= K: eta = 0 and Bstar = K (E17, E18)
    bool bias = false;            ///< X15: averages divided by their mass c
    bool clamp_variance = false;  ///< X11: D = max(0, c v - m^2), divisor floored
    bool eta_max = false;         ///< X9: eta <= eta_max
    bool limit_weight = false;    ///< X8 (w <= 1) or X14 (w <= max_weight): w <= the limit
    /// Tempering: eta >= eta_min and w >= min_weight, after the cap and the limits. One field
    /// for both floors, because each field doubles the instantiations of every pass (compile
    /// time and code size); a floor that is not set is -infinity there, for which max is the
    /// identity (StepConstants), so it costs one max per coordinate on a tempered step only.
    bool temper = false;
    bool report_eta = false;      ///< the step writes eta^t[i] to an output span
    bool report_batch_star = false;  ///< the step writes Bstar(t)[i] to an output span

    /// eta, w and Bstar are finite for every admissible input: the divisor is floored, the
    /// rate capped and the weight limited. Only then may a pass skip the zero-variance
    /// pre-check (quench_sgd.hpp) and only then has it a vectorised kernel after warm-up.
    constexpr bool always_finite() const {
        return clamp_variance && eta_max && limit_weight;
    }
    /// The same step without per-step outputs (for the pre-check, which only looks).
    constexpr StepPolicy without_outputs() const {
        StepPolicy p = *this;
        p.report_eta = p.report_batch_star = false;
        return p;
    }
    /// The warm-up form of this step, with this step's X11 clamp of D: D without a division
    /// (the pre-check's first look, and the warm-up replays of single coordinates).
    constexpr StepPolicy as_warmup() const {
        StepPolicy p = without_outputs();
        p.warm = true;
        p.eta_max = p.limit_weight = p.temper = false;  // warm-up reads none of them
        return p;
    }
    constexpr bool operator==(const StepPolicy&) const = default;
};

namespace policy_fields {
/// Every field, in one list: the dispatcher below turns each into a template argument.
inline constexpr bool StepPolicy::*all[] = {
    &StepPolicy::warm,         &StepPolicy::bias,        &StepPolicy::clamp_variance,
    &StepPolicy::eta_max,      &StepPolicy::limit_weight, &StepPolicy::temper,
    &StepPolicy::report_eta,   &StepPolicy::report_batch_star};
inline constexpr std::size_t count = sizeof(all) / sizeof(all[0]);

constexpr StepPolicy with(StepPolicy p, std::size_t field, bool value) {
    p.*all[field] = value;
    return p;
}

/// A warm-up pass reads neither the rate cap nor the weight limits and floors (its weight
/// B/K is limited once per step, in StepConstants) and stores no D, so the X11 clamp of D does not
/// matter either: those fields stay false there, which halves the warm-up instantiations.
/// (The pre-check and the single-coordinate replays compute a warm-up D with the clamp:
/// they derive that policy at compile time, StepPolicy::as_warmup, not through here.)
constexpr bool read_by(const StepPolicy& fixed, std::size_t field) {
    return !(fixed.warm && (all[field] == &StepPolicy::eta_max ||
                            all[field] == &StepPolicy::limit_weight ||
                            all[field] == &StepPolicy::temper ||
                            all[field] == &StepPolicy::clamp_variance));
}

template <StepPolicy Unused, StepPolicy Fixed, std::size_t Field, class F>
decltype(auto) fix(const StepPolicy& runtime, F&& f) {
    if constexpr (Field == count) {
        return std::forward<F>(f).template operator()<Fixed>();
    } else if constexpr (!read_by(Fixed, Field) || Unused.*all[Field]) {
        return fix<Unused, Fixed, Field + 1>(runtime, std::forward<F>(f));
    } else {
        if (runtime.*all[Field])
            return fix<Unused, with(Fixed, Field, true), Field + 1>(runtime, std::forward<F>(f));
        return fix<Unused, with(Fixed, Field, false), Field + 1>(runtime, std::forward<F>(f));
    }
}
}  // namespace policy_fields

/// The one dispatcher: calls f.template operator()<P>() with P == runtime, a compile-time
/// constant. Every branch of the result type must agree (it is the same function template).
/// In a warm-up step the fields that its pass does not read (read_by) are false in P, and so
/// are the fields that the caller marks true in Unused (its callable reads none of them).
template <StepPolicy Unused = StepPolicy{}, class F>
decltype(auto) dispatch_policy(const StepPolicy& runtime, F&& f) {
    return policy_fields::fix<Unused, StepPolicy{}, 0>(runtime, std::forward<F>(f));
}

/// The Unused mask of a caller that writes no per-step output.
inline constexpr StepPolicy outputs_unused = [] {
    StepPolicy p;
    p.report_eta = p.report_batch_star = true;
    return p;
}();

}  // namespace quench::detail
