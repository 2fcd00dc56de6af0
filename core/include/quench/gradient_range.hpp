// quench/gradient_range.hpp - the range of gradient scales in which step()'s rate is the
// rate of the algorithm, beside largest_gradient() (quench_sgd.hpp).
//
// Why: the algorithm is scale-invariant in real arithmetic (eta depends on gt^2/var), but a
// floating-point type is not: with gradients of scale s, the second moment v ~ s^2 and
// D = c v - m^2 = c^2 var ~ s^2 fall below the type's smallest normal number when s is near
// sqrt(min) (float: ~1e-19, double: ~1e-154). Then the X11 divisor floor max(D, min), meant
// for a variance that is numerically zero, decides eta = lambda_eta m^2 / min instead of
// lambda_eta m^2 / D: a rate that is wrong by orders of magnitude and looks plausible.
// Where the floor acts but the rate reaches eta_max anyway (a truly zero or negligible
// variance, X9), the capped rate is the right one.
//
// smallest_gradient<T>() states the scale, below_smallest_gradient() tests an input
// against it, and first_coordinate_outside_accepted_range() detects, after a step, a coordinate whose rate the floor decided (or whose m^2 is below
// the normal range): callers that must never report a wrong rate (the oracle) check it
// after every step. For MPFR and MPFI types the floor is 1/max (astronomically small) and
// nothing is ever outside.
#pragma once

#include "quench/hyperparameters.hpp"
#include "quench/quench_sgd.hpp"
#include "quench/scalar.hpp"

#include <cstddef>
#include <limits>
#include <optional>

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp

namespace quench {

/// The smallest |ghat| whose square is a normal number: sqrt(min) (float 1.08e-19, double
/// 1.49e-154). Below it ghat^2, and with it the second moment, lose their relative
/// precision; gradients of this scale make D = c^2 var subnormal too (D ~ var/gt^2 * s^2).
template <Scalar T>
T smallest_gradient() {
    using std::sqrt;
    using E = endpoint_t<T>;
    return T(E(sqrt(std::numeric_limits<E>::min())));
}

/// Is ghat nonzero with |ghat| < smallest_gradient()? Such a gradient can vanish from the
/// averages (w ghat and ghat^2 underflow to 0) without any trace in the state, so callers
/// that must not report a wrong rate refuse it before the step (the oracle does).
template <Scalar T>
bool below_smallest_gradient(const T& g) {
    const T limit = smallest_gradient<T>();
    if (lower(g) == 0 && upper(g) == 0) return false;
    return possibly_less(g, limit) && possibly_less(T(-limit), g);
}

/// After a step: the first coordinate whose rate left the accepted range, i.e. after warm-up
/// its mean m is not zero and either m^2 is below the divisor floor (the type's smallest
/// normal number) or D = c v - m^2 is (possibly, for intervals) below the floor while the
/// floored rate lambda_eta m^2 / floor stays below eta_max (or there is no eta_max): the
/// floor, not the variance, decided eta. Empty when every coordinate is inside.
template <Scalar T>
std::optional<std::size_t> first_coordinate_outside_accepted_range(const State<T>& s,
                                                                    const Hyperparameters<T>& h) {
    if (s.t <= h.warmup) return std::nullopt;  // warm-up: eta = 0 (E18), no division
    const detail::StepConstants<T> k(h);
    for (std::size_t i = 0; i < s.dimension(); ++i) {
        const T& m = s.mean[i];
        if (lower(m) == 0 && upper(m) == 0) continue;  // m = 0: eta = 0 whatever D is
        const T m2 = quench::square(m);
        T d;  // E16's D = c v - m^2, as step() and running_variance() form it
        if (s.mass.empty()) detail::assign_scaled_variance<T, false>(d, T(1), s.second[i], m2);
        else detail::assign_scaled_variance<T, true>(d, s.mass[i], s.second[i], m2);
        const bool floored = possibly_less(d, k.variance_floor);
        bool outside = possibly_less(m2, k.variance_floor);
        if (floored && !outside) {
            if (!h.options.eta_max) outside = true;
            else outside = possibly_less(T(T(k.rate_factor * m2) / k.variance_floor), *h.options.eta_max);
        }
        if (outside) return i;
    }
    return std::nullopt;
}

}  // namespace quench

QUENCH_NO_CONTRACT_END
