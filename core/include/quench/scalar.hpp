// quench/scalar.hpp - what a scalar type must offer, and the few operations that differ
// between point types (float, double, long double, Boost.Multiprecision floats) and
// rigorous interval types (quench::rigorous_interval, mpfi_float_N).
//
// The core is written once over a type T that satisfies `quench::Scalar`. Everything that
// depends on whether T is a point or an enclosure goes through `scalar_ops<T>`:
//   lower, upper, width          - the enclosure's end points (a point type: the value)
//   min, max                     - elementwise on end points for intervals, so that the
//                                  update path needs no data-dependent `if` (docs/design.md)
//   certainly_less, possibly_less, possibly_zero, certainly_positive
//   is_finite, square (x * x for points; the tight square {x^2} for intervals)
// and sqrt, log, abs are found by argument-dependent lookup.
//
// Interval support lives in quench/interval.hpp (rigorous interval<double>) and
// quench/mpfi.hpp (boost::multiprecision::mpfi_float_N); include them to use those types.
#pragma once

#include <boost/math/special_functions/fpclassify.hpp>

#include <cmath>
#include <concepts>
#include <limits>
#include <type_traits>

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp
namespace quench {

/// Per-type operations. The primary template serves point types: every value is an exact
/// enclosure of itself. Interval types specialise it (interval.hpp, mpfi.hpp).
template <class T>
struct scalar_ops {
    static constexpr bool is_interval = false;
    using endpoint = T;

    static const T& lower(const T& x) { return x; }
    static const T& upper(const T& x) { return x; }
    static T width(const T&) { return T(0); }
    // The select form `b < a ? b : a` (not std::min's reference return) maps onto
    // minpd/maxpd, so the update loop vectorises. The core validates its inputs, so no NaN
    // reaches these; the form is fixed because the certified expressions transcribe it.
    static T min(const T& a, const T& b) { return b < a ? b : a; }
    static T max(const T& a, const T& b) { return a < b ? b : a; }
    // std::isfinite for builtins, boost::multiprecision::isfinite by argument-dependent lookup
    // (boost::math::isfinite builds numeric_limits<T>::max(), an MPFR allocation, per call).
    static bool is_finite(const T& x) {
        using std::isfinite;
        return isfinite(x);
    }
    static T square(const T& x) { return T(x * x); }

    // In-place forms with exactly the values of the ones above (see assign_min below).
    // Builtins keep the select form, which vectorises; the others assign only when the
    // value changes, so no number is created.
    static void assign_min(T& a, const T& b) {
        if constexpr (std::is_arithmetic_v<T>) a = min(a, b);
        else if (b < a) a = b;
    }
    static void assign_max(T& a, const T& b) {
        if constexpr (std::is_arithmetic_v<T>) a = max(a, b);
        else if (a < b) a = b;
    }
    static void assign_square(T& r, const T& x) { r = x * x; }
};

template <class T>
inline constexpr bool is_interval_v = scalar_ops<T>::is_interval;

/// The type of an enclosure's end points: T itself for point types, double for
/// rigorous_interval, mpfr_float_N for mpfi_float_N.
template <class T>
using endpoint_t = typename scalar_ops<T>::endpoint;

/// What the core needs of a scalar: field arithmetic, construction from int and double,
/// and the operations of scalar_ops<T>.
template <class T>
concept Scalar = std::copyable<T> && std::constructible_from<T, int> &&
                 std::constructible_from<T, double> &&
                 requires(const T& a, const T& b) {
                     { T(a + b) };
                     { T(a - b) };
                     { T(a * b) };
                     { T(a / b) };
                     { T(-a) };
                     { scalar_ops<T>::lower(a) };
                     { scalar_ops<T>::upper(a) };
                     { scalar_ops<T>::min(a, b) } -> std::convertible_to<T>;
                     { scalar_ops<T>::max(a, b) } -> std::convertible_to<T>;
                     { scalar_ops<T>::is_finite(a) } -> std::convertible_to<bool>;
                 };

// Free functions. Call them qualified (quench::min(a, b)): a qualified call does no
// argument-dependent lookup, so it cannot collide with boost::numeric::min or std::min.
template <Scalar T> decltype(auto) lower(const T& x) { return scalar_ops<T>::lower(x); }
template <Scalar T> decltype(auto) upper(const T& x) { return scalar_ops<T>::upper(x); }
template <Scalar T> auto width(const T& x) { return scalar_ops<T>::width(x); }
template <Scalar T> T min(const T& a, const T& b) { return scalar_ops<T>::min(a, b); }
template <Scalar T> T max(const T& a, const T& b) { return scalar_ops<T>::max(a, b); }
template <Scalar T> bool is_finite(const T& x) { return scalar_ops<T>::is_finite(x); }
/// x^2. For point types exactly x * x; for intervals {x^2 : x in X}, which x * x is not
/// when X holds 0 (it treats the two factors as independent: [-1, 2] * [-1, 2] = [-2, 4]).
template <Scalar T> T square(const T& x) { return scalar_ops<T>::square(x); }

// In-place forms: a = min(a, b), a = max(a, b), r = square(x) (r must not be x), each giving
// exactly the value of the by-value form. Why: for Boost.Multiprecision's MPFR and MPFI
// types every returned or named temporary is a new number, and each new number is a heap
// allocation; the per-coordinate update (quench_sgd.hpp) uses these on a workspace that
// lives for the whole pass instead. A scalar_ops specialisation without them falls back to
// the by-value forms.
template <Scalar T> void assign_min(T& a, const T& b) {
    if constexpr (requires { scalar_ops<T>::assign_min(a, b); }) scalar_ops<T>::assign_min(a, b);
    else a = scalar_ops<T>::min(a, b);
}
template <Scalar T> void assign_max(T& a, const T& b) {
    if constexpr (requires { scalar_ops<T>::assign_max(a, b); }) scalar_ops<T>::assign_max(a, b);
    else a = scalar_ops<T>::max(a, b);
}
template <Scalar T> void assign_square(T& r, const T& x) {
    if constexpr (requires { scalar_ops<T>::assign_square(r, x); })
        scalar_ops<T>::assign_square(r, x);
    else
        r = scalar_ops<T>::square(x);
}

/// Every value of a is below every value of b.
template <Scalar T> bool certainly_less(const T& a, const T& b) { return upper(a) < lower(b); }
/// Some value of a is below some value of b.
/// (An interval type whose lower()/upper() return copies, as MPFI's do, may give scalar_ops
/// its own possibly_less and possibly_zero: step() asks them per coordinate.)
template <Scalar T> bool possibly_less(const T& a, const T& b) {
    if constexpr (requires { scalar_ops<T>::possibly_less(a, b); })
        return scalar_ops<T>::possibly_less(a, b);
    else
        return lower(a) < upper(b);
}
template <Scalar T> bool certainly_positive(const T& x) { return lower(x) > 0; }
template <Scalar T> bool possibly_zero(const T& x) {
    if constexpr (requires { scalar_ops<T>::possibly_zero(x); })
        return scalar_ops<T>::possibly_zero(x);
    else
        return lower(x) <= 0 && upper(x) >= 0;
}
/// Every value of x is >= 0 (for point types: x >= 0).
template <Scalar T> bool certainly_nonnegative(const T& x) { return lower(x) >= 0; }

/// Does the enclosure x hold the value v? R is the (higher-precision) reference type; the
/// end points are converted to R exactly (double and mpfr_float_N end points convert
/// exactly to any mpfr_float_M with M >= N).
template <class R, Scalar T>
bool contains(const T& x, const R& v) {
    return R(lower(x)) <= v && v <= R(upper(x));
}

// sqrt, log, abs by argument-dependent lookup (std:: for builtins).
template <Scalar T> T sqrt(const T& x) { using std::sqrt; return T(sqrt(x)); }
template <Scalar T> T log(const T& x) { using std::log; return T(log(x)); }
template <Scalar T> T abs(const T& x) { using std::abs; return T(abs(x)); }

}  // namespace quench

QUENCH_NO_CONTRACT_END
