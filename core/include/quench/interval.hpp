// quench/interval.hpp - a rigorous interval<double>: quench::rigorous_interval.
//
// Why not Boost's default interval<double>: its rounding policy switches the FPU rounding
// mode, and g++ at -O1 and above moves or merges operations across the switch, so its
// enclosures can be wrong (docs/design.md). This policy never touches the rounding mode: each
// operation is computed in round-to-nearest and the result is moved one ulp outward with
// std::nextafter. For + - * / and sqrt, IEEE 754 rounds correctly (error <= half an ulp),
// so the widened bound is on the right side of the exact value under any optimisation
// level; overflow to +-inf and underflow to 0 stay on the right side too (nextafter(inf, -inf)
// is DBL_MAX <= the exact value, nextafter(0, +inf) is the least subnormal >= it).
// log has no correctly-rounded libm guarantee, so it is computed by MPFR with directed
// rounding. Widening costs one ulp per operation even when the result was exact: the
// enclosures are slightly wider than Boost's, never wrong.
#pragma once

#include "quench/scalar.hpp"

#include <boost/numeric/interval.hpp>
#include <boost/numeric/interval/io.hpp>
#include <mpfr.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace quench {

namespace detail {
// std::nextafter(x, +-inf), inline: a libm call per bound was 40% of an interval step.
// Finite non-zero doubles of one sign are ordered like their bit patterns, so the neighbour
// is the pattern +-1; zeros (either sign) step to the least subnormal, +-inf and NaN toward
// their own side stay. tests/interval_rigor_test.cpp compares both with std::nextafter.
inline double step_up(double x) {
    if (!(x < std::numeric_limits<double>::infinity())) return x;  // +inf, NaN
    if (x == 0) return std::numeric_limits<double>::denorm_min();
    const auto bits = std::bit_cast<std::uint64_t>(x);
    return std::bit_cast<double>(x > 0 ? bits + 1 : bits - 1);
}
inline double step_down(double x) {
    if (!(x > -std::numeric_limits<double>::infinity())) return x;  // -inf, NaN
    if (x == 0) return -std::numeric_limits<double>::denorm_min();
    const auto bits = std::bit_cast<std::uint64_t>(x);
    return std::bit_cast<double>(x > 0 ? bits - 1 : bits + 1);
}

/// log(x) rounded toward -inf (down) or +inf (up), by MPFR at 53 bits: correctly rounded.
inline double mpfr_log_directed(double x, mpfr_rnd_t direction) {
    mpfr_t v;
    mpfr_init2(v, 53);
    mpfr_set_d(v, x, MPFR_RNDN);  // exact: 53 bits hold any double
    mpfr_log(v, v, direction);
    const double r = mpfr_get_d(v, direction);
    mpfr_clear(v);
    return r;
}
}  // namespace detail

/// Boost.Interval rounding policy: round to nearest, then one ulp outward. Stateless, so it
/// is safe to construct anywhere (Boost constructs one per operation).
struct outward_ulp_rounding {
    double add_down(double a, double b) const { return detail::step_down(a + b); }
    double add_up(double a, double b) const { return detail::step_up(a + b); }
    double sub_down(double a, double b) const { return detail::step_down(a - b); }
    double sub_up(double a, double b) const { return detail::step_up(a - b); }
    double mul_down(double a, double b) const { return detail::step_down(a * b); }
    double mul_up(double a, double b) const { return detail::step_up(a * b); }
    double div_down(double a, double b) const { return detail::step_down(a / b); }
    double div_up(double a, double b) const { return detail::step_up(a / b); }
    double sqrt_down(double a) const { return detail::step_down(std::sqrt(a)); }
    double sqrt_up(double a) const { return detail::step_up(std::sqrt(a)); }
    double log_down(double a) const { return detail::mpfr_log_directed(a, MPFR_RNDD); }
    double log_up(double a) const { return detail::mpfr_log_directed(a, MPFR_RNDU); }
    // Any value between a and b will do for a midpoint: it is not a bound.
    double median(double a, double b) const { return (a + b) / 2; }
    double int_down(double a) const { return std::floor(a); }
    double int_up(double a) const { return std::ceil(a); }
    // Conversions into double: exact for double and for integers up to 2^53; otherwise
    // rounded to nearest and widened, which is always safe.
    template <class U>
    double conv_down(const U& v) const {
        const double r = static_cast<double>(v);
        return static_cast<U>(r) == v ? r : detail::step_down(r);
    }
    template <class U>
    double conv_up(const U& v) const {
        const double r = static_cast<double>(v);
        return static_cast<U>(r) == v ? r : detail::step_up(r);
    }
};

/// The rigorous interval<double>: outward-ulp rounding; strict checking, so a NaN bound or an
/// empty interval throws instead of propagating; an undecided comparison (operator<) throws
/// too, so code that needs a decision must use certainly_less/possibly_less.
using rigorous_interval = boost::numeric::interval<
    double, boost::numeric::interval_lib::policies<
                outward_ulp_rounding, boost::numeric::interval_lib::checking_strict<double>>>;

template <>
struct scalar_ops<rigorous_interval> {
    static constexpr bool is_interval = true;
    using endpoint = double;

    static double lower(const rigorous_interval& x) { return x.lower(); }
    static double upper(const rigorous_interval& x) { return x.upper(); }
    // Width rounded up, so that it bounds the true width.
    static double width(const rigorous_interval& x) { return detail::step_up(x.upper() - x.lower()); }
    // {min(a, b) : a in A, b in B} is [min(al, bl), min(au, bu)]; likewise max. Exact.
    static rigorous_interval min(const rigorous_interval& a, const rigorous_interval& b) {
        return rigorous_interval(std::fmin(a.lower(), b.lower()), std::fmin(a.upper(), b.upper()));
    }
    static rigorous_interval max(const rigorous_interval& a, const rigorous_interval& b) {
        return rigorous_interval(std::fmax(a.lower(), b.lower()), std::fmax(a.upper(), b.upper()));
    }
    static bool is_finite(const rigorous_interval& x) {
        return std::isfinite(x.lower()) && std::isfinite(x.upper());
    }
    static rigorous_interval square(const rigorous_interval& x) { return boost::numeric::square(x); }
};

}  // namespace quench
