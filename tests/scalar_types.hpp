// The scalar types every typed test runs over, and helpers to compare a value of any of
// them with an exact expectation: point types must equal it, interval types must contain it.
#pragma once

#include "quench/interval.hpp"
#include "quench/mpfi.hpp"
#include "quench/quench.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace quench_test {

using boost::multiprecision::cpp_bin_float_50;
using boost::multiprecision::mpfi_float_50;
using boost::multiprecision::mpfr_float_50;
using mpfr_float_100 = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<100>>;
using quench::rigorous_interval;

using AllScalarTypes = ::testing::Types<float, double, long double, cpp_bin_float_50,
                                        mpfr_float_50, rigorous_interval, mpfi_float_50>;

template <class T>
std::string show(const T& x) {
    std::ostringstream s;
    s.precision(20);
    s << x;
    return s.str();
}

/// `actual` is exactly `expected` (a value all types represent, e.g. a dyadic rational
/// given as mpfr_float_100): point types must hold it exactly, interval types must contain
/// it. The reference is mpfr_float_100, which holds every end point exactly.
template <class T>
::testing::AssertionResult is_exactly(const T& actual, const mpfr_float_100& expected) {
    bool ok;
    if constexpr (quench::is_interval_v<T>) ok = quench::contains(actual, expected);
    else ok = mpfr_float_100(actual) == expected;
    if (ok) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << show(actual) << " is not exactly " << show(expected);
}

/// `actual` is the correctly rounded value of a single operation whose exact result is
/// `exact`: for point types, `rounded` (the same operation done in T) must equal it; for
/// interval types `actual` must contain `exact`.
template <class T>
::testing::AssertionResult is_rounded(const T& actual, const T& rounded, const mpfr_float_100& exact) {
    if constexpr (quench::is_interval_v<T>) {
        (void)rounded;
        return is_exactly(actual, exact);
    } else {
        if (actual == rounded) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << show(actual) << " != " << show(rounded);
    }
}

}  // namespace quench_test
