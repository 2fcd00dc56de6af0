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
    static bool is_finite(const T& x) { return mpfi_bounded_p(x.backend().data()) != 0; }

    // In-place forms (scalar.hpp): the same end points as min/max/square above, set on the
    // MPFI value itself instead of four mpfr copies and a new interval (five allocations).
    // mpfr_less_p and mpfr_set reproduce the select `bl < al ? bl : al` exactly, signed
    // zeros included (mpfr_min would not: it prefers -0).
    static void assign_min(T& a, const T& b) {
        select_endpoint(left(a), left(b), true, MPFR_RNDD);
        select_endpoint(right(a), right(b), true, MPFR_RNDU);
    }
    static void assign_max(T& a, const T& b) {
        select_endpoint(left(a), left(b), false, MPFR_RNDD);
        select_endpoint(right(a), right(b), false, MPFR_RNDU);
    }
    // lower(a) < upper(b) and lower(x) <= 0 <= upper(x) on the end points themselves (false
    // with a NaN end point, like the comparisons of copies they replace).
    static bool possibly_less(const T& a, const T& b) { return mpfr_less_p(left(a), right(b)) != 0; }
    static bool possibly_zero(const T& x) {
        return !mpfr_nan_p(left(x)) && !mpfr_nan_p(right(x)) && mpfr_sgn(left(x)) <= 0 &&
               mpfr_sgn(right(x)) >= 0;
    }
    static void assign_square(T& r, const T& x) {
        r = x * x;
        clamp_below_at_zero(left(r));   // max(x * x, 0) end point by end point
        clamp_below_at_zero(right(r));
    }

private:
    static mpfr_ptr left(T& x) { return &x.backend().data()[0].left; }
    static mpfr_ptr right(T& x) { return &x.backend().data()[0].right; }
    static mpfr_srcptr left(const T& x) { return &x.backend().data()[0].left; }
    static mpfr_srcptr right(const T& x) { return &x.backend().data()[0].right; }
    // a = (b < a ? b : a) when `smaller`, else a = (a < b ? b : a). The copy is exact at equal
    // precisions; `outward` keeps the enclosure should b's precision be higher.
    static void select_endpoint(mpfr_ptr a, mpfr_srcptr b, bool smaller, mpfr_rnd_t outward) {
        if (smaller ? mpfr_less_p(b, a) : mpfr_less_p(a, b)) mpfr_set(a, b, outward);
    }
    // e = (e < 0 ? +0 : e), as max(e, T(0)) gives.
    static void clamp_below_at_zero(mpfr_ptr e) {
        if (mpfr_sgn(e) < 0) mpfr_set_zero(e, 1);
    }
};

}  // namespace quench
