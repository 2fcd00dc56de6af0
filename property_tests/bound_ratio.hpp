// property_tests/bound_ratio.hpp - the cross-precision verdict: |double - exact| <=
// certified bound (core/include/quench/certified_bounds.hpp, proofs in proofs/rounding/), and
// the worst observed error as a fraction of that bound, per bound, with the input that
// produced it. Inputs outside a bound's hypotheses (its Range constants) are skipped and
// counted, never judged. Functions without a certified bound are reported in ulps only.
#pragma once

#include "harness.hpp"

#include <quench/certified_bounds.hpp>

#include <boost/multiprecision/mpfr.hpp>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <string>

// The certified bounds assume double arithmetic evaluated in double (no x87 excess precision).
static_assert(FLT_EVAL_METHOD == 0, "the certified bounds assume FLT_EVAL_METHOD == 0");

namespace quench::props {

/// The reference: mpfr_float_100 (333 bits), without expression templates.
using mpfr100 = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<100>,
                                              boost::multiprecision::et_off>;

/// A range hypothesis that also admits exact zeros (the README: "exact zeros are exact").
inline bool zero_or_in(const quench::certified::Range& r, double x) { return x == 0 || r.contains(std::fabs(x)); }

/// The reference's own error. Every exact value here is at most a few hundred mpfr
/// operations at 333 bits on doubles, each with relative error 2^-332 of the terms it
/// combines, and every term is bounded by the scale the bound multiplies (bound/u); so the
/// reference is within 2^-300 (|exact| + bound/u) of the real value. This is a stated bound
/// on the oracle, not a tolerance on the double code: it is 2^-247 of the bound itself.
inline mpfr100 oracle_allowance(const mpfr100& exact, const mpfr100& bound) {
    static const mpfr100 two_m300 = ldexp(mpfr100(1), -300);
    return two_m300 * (abs(exact) + bound / mpfr100(quench::certified::unit_roundoff));
}

/// |x - ref| in ulps of double at ref (for the functions without a certified bound).
inline double ulp_error(double x, const mpfr100& ref) {
    const double r = static_cast<double>(ref);
    if (!std::isfinite(x) || !std::isfinite(r)) return x == r ? 0.0 : std::numeric_limits<double>::infinity();
    const double a = std::fabs(r);
    const double ulp = a == 0 ? std::numeric_limits<double>::denorm_min()
                              : std::nextafter(a, std::numeric_limits<double>::infinity()) - a;
    return static_cast<double>(abs(mpfr100(x) - ref) / mpfr100(ulp));
}

/// What one quantity saw over a property's run.
struct Observed {
    bool certified = true;  // false: ulps only
    double worst = 0;       // error/bound (certified) or ulps
    std::string where;
    long checked = 0;
    long outside = 0;       // inputs outside the bound's hypotheses: skipped
    std::map<std::string, long> why_outside;
};

inline std::map<std::string, Observed>& observed() {
    static std::map<std::string, Observed> m;
    return m;
}

/// Check |computed - exact| <= bound (+ the oracle's own error) and record error/bound.
/// `where` is evaluated only when it is needed (a new worst case or a failure).
template <class Where>
void check_bound(const std::string& what, double computed, const mpfr100& exact, const mpfr100& bound,
                 Where&& where) {
    Observed& o = observed()[what];
    ++o.checked;
    const mpfr100 error = abs(mpfr100(computed) - exact);
    const bool holds = std::isfinite(computed) && error <= bound + oracle_allowance(exact, bound);
    const double ratio = bound > 0 ? static_cast<double>(error / bound) : (error == 0 ? 0.0 : HUGE_VAL);
    if (ratio > o.worst || o.where.empty()) o.worst = ratio, o.where = where();
    if (!holds) {
        RC_FAIL(what + ": |double - mpfr_float_100| = " + error.str(8) + " exceeds the certified bound " +
                bound.str(8) + " (double " + mpfr100(computed).str(20) + ", exact " + exact.str(30) + ") at " +
                where());
    }
}

/// The input lies outside the bound's hypotheses: counted (with the reason), not judged.
inline void skip_bound(const std::string& what, const char* why = "input outside the Range constants") {
    Observed& o = observed()[what];
    ++o.outside;
    ++o.why_outside[why];
}

/// A quantity without a certified bound: its error in ulps is reported, never judged.
template <class Where>
void observe_ulps(const std::string& what, double computed, const mpfr100& exact, Where&& where) {
    Observed& o = observed()[what];
    o.certified = false;
    ++o.checked;
    const double e = ulp_error(computed, exact);
    if (e > o.worst || o.where.empty()) o.worst = e, o.where = where();
}

/// Print and record (GoogleTest XML) everything observed, then forget it. Every certified
/// quantity must have been checked at least once (a test must be able to fail).
inline void report_bounds(const char* title) {
    std::cout << "[cross-precision] " << title << ": worst |double - mpfr_float_100| / certified bound\n";
    for (const auto& [what, o] : observed()) {
        std::cout << "  " << std::setw(44) << std::left << what;
        if (o.certified)
            std::cout << std::setprecision(4) << o.worst << " of the bound";
        else
            std::cout << std::setprecision(4) << o.worst << " ulps (no certified bound)";
        std::cout << " over " << o.checked << " values, " << o.outside
                  << " outside the hypotheses";
        for (const auto& [why, n] : o.why_outside) std::cout << " (" << n << ": " << why << ')';
        std::cout << "; worst at " << o.where << '\n';
        std::string key = std::string(o.certified ? "bound_ratio_" : "max_ulps_") + what;
        std::replace_if(key.begin(), key.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
        ::testing::Test::RecordProperty(key, std::to_string(o.worst));
        if (o.certified) {
            EXPECT_GT(o.checked, 0) << what << " was never inside its hypotheses";
        }
    }
    std::cout.flush();
    observed().clear();
}

}  // namespace quench::props
