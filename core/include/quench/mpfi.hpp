// quench/mpfi.hpp - boost::multiprecision::mpfi_float_N as a quench scalar: rigorous
// high-precision intervals (MPFI rounds every bound outward, at N decimal digits).
//
// Why not interval<cpp_bin_float_50> or interval<mpfr_float_50>: with Boost's default
// policy those use rounded_arith_exact, zero-width intervals that guarantee nothing.
#pragma once

#include "quench/scalar.hpp"

#include <boost/multiprecision/mpfi.hpp>

namespace quench {

template <unsigned Digits10, boost::multiprecision::expression_template_option ET>
struct scalar_ops<boost::multiprecision::number<boost::multiprecision::mpfi_float_backend<Digits10>, ET>> {
    using T = boost::multiprecision::number<boost::multiprecision::mpfi_float_backend<Digits10>, ET>;
    using endpoint = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<Digits10>, ET>;
    static constexpr bool is_interval = true;

    static endpoint lower(const T& x) { return boost::multiprecision::lower(x); }
    static endpoint upper(const T& x) { return boost::multiprecision::upper(x); }
    static endpoint width(const T& x) { return boost::multiprecision::width(x); }
    // {min(a, b)} is [min(al, bl), min(au, bu)]; end points are copied, not rounded.
    static T min(const T& a, const T& b) {
        const endpoint al = lower(a), au = upper(a), bl = lower(b), bu = upper(b);
        return T(bl < al ? bl : al, bu < au ? bu : au);
    }
    static T max(const T& a, const T& b) {
        const endpoint al = lower(a), au = upper(a), bl = lower(b), bu = upper(b);
        return T(al < bl ? bl : al, au < bu ? bu : au);
    }
    // x * x bounds {a b : a, b in X}; intersecting with [0, inf) gives {x^2 : x in X}.
    static T square(const T& x) { return max(T(x * x), T(0)); }
    static bool is_finite(const T& x) {
        return (boost::math::isfinite)(lower(x)) && (boost::math::isfinite)(upper(x));
    }
};

}  // namespace quench
