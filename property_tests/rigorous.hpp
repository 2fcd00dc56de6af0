// property_tests/rigorous.hpp - rigorous verdicts: the claims are evaluated in MPFI
// intervals (>= 128 bits) on the exactly representable generated inputs, first at 40
// decimal digits (~136 bits), and again at 250 digits when that cannot decide. A claim
// fails only when it is certainly violated; undecided cases are counted (harness.hpp).
#pragma once

#include "harness.hpp"

#include <quench/mpfi.hpp>
#include <quench/quench.hpp>

#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfi.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <type_traits>

namespace quench::props {

namespace bmp = boost::multiprecision;
/// The working enclosure type: 40 decimal digits, about 136 bits (the issue asks >= 128).
using hp = bmp::number<bmp::mpfi_float_backend<40>, bmp::et_off>;
/// The fall-back when hp cannot decide (cancellation across the 1e-12..1e12 range).
using wide = bmp::number<bmp::mpfi_float_backend<250>, bmp::et_off>;

/// Claim a <= b.
template <class T>
Verdict leq(const T& a, const T& b) {
    if (quench::upper(a) <= quench::lower(b)) return Verdict::holds;
    if (quench::lower(a) > quench::upper(b)) return Verdict::violated;
    return Verdict::undecided;
}
/// Claim a < b.
template <class T>
Verdict less(const T& a, const T& b) {
    if (quench::upper(a) < quench::lower(b)) return Verdict::holds;
    if (quench::lower(a) >= quench::upper(b)) return Verdict::violated;
    return Verdict::undecided;
}
/// Claim a == b: proved when both are the same point, refuted when the enclosures are
/// disjoint; otherwise only consistent (undecided: intervals cannot prove an identity).
template <class T>
Verdict equal(const T& a, const T& b) {
    if (quench::upper(a) < quench::lower(b) || quench::upper(b) < quench::lower(a)) return Verdict::violated;
    if (quench::lower(a) == quench::upper(a) && quench::lower(b) == quench::upper(b)) return Verdict::holds;
    return Verdict::undecided;
}
/// Both claims.
inline Verdict both(Verdict a, Verdict b) {
    if (a == Verdict::violated || b == Verdict::violated) return Verdict::violated;
    if (a == Verdict::undecided || b == Verdict::undecided) return Verdict::undecided;
    return Verdict::holds;
}

/// Evaluate `check` (a generic callable taking std::type_identity<T>) at hp, and at `wide`
/// when hp cannot decide; record the verdict in the property's tally and return it.
/// Equality claims (`equal`) stay undecided at any precision unless exact: they are not
/// re-run, pass identity=true.
template <class Check>
Verdict decide(Check&& check, bool identity = false) {
    Verdict v = check(std::type_identity<hp>{});
    if (v == Verdict::undecided && !identity) v = check(std::type_identity<wide>{});
    if (identity && v == Verdict::undecided) record_consistent();
    else record(v);
    return v;
}

}  // namespace quench::props

// ---- Exact rationals for rational identities -------------------------------------------
// Intervals cannot prove an identity whose terms round; for claims built from + - * / only
// (E9/E25 tightness, E13, E24's equality case, X8, X15) the verdict is exact in GMP
// rationals. The core's closed forms accept them once scalar_ops says every rational is
// finite (Boost's isfinite does not know mpq_rational).

namespace quench {
template <>
struct scalar_ops<boost::multiprecision::mpq_rational> {
    using T = boost::multiprecision::mpq_rational;
    static constexpr bool is_interval = false;
    using endpoint = T;
    static const T& lower(const T& x) { return x; }
    static const T& upper(const T& x) { return x; }
    static T width(const T&) { return T(0); }
    static T min(const T& a, const T& b) { return b < a ? b : a; }
    static T max(const T& a, const T& b) { return a < b ? b : a; }
    static bool is_finite(const T&) { return true; }
    static T square(const T& x) { return T(x * x); }  // exact, as for every point type
};
}  // namespace quench

namespace quench::props {
using exact = boost::multiprecision::mpq_rational;

/// An exact claim: holds or is violated, never undecided.
inline Verdict exactly(bool claim) {
    const Verdict v = claim ? Verdict::holds : Verdict::violated;
    record(v);
    return v;
}
}  // namespace quench::props

namespace quench::props {
/// For claims built from + - * / only: evaluate at hp, and exactly in rationals when hp
/// cannot decide (e.g. the equality cases of an inequality), so nothing stays undecided.
template <class Check>
Verdict decide_rational(Check&& check) {
    Verdict v = check(std::type_identity<hp>{});
    if (v == Verdict::undecided) v = check(std::type_identity<exact>{});
    record(v);
    return v;
}
}  // namespace quench::props
