// stepwise_box.hpp - closed intervals [lo, hi] with outward rounding, in the widest native
// floating type (long double: 64-bit significand on x86-64), for the stepwise check's own
// arithmetic. Every operation returns an interval that holds the exact real result for all
// inputs in its operands: the round-to-nearest result x is moved outward by |x| eps + the
// smallest subnormal, which is at least one ulp of x (|x| eps is exact: a power-of-two
// scaling), more than the half-ulp error of round-to-nearest, so no rounding-mode switch is
// needed. The stepwise model's own bounds (stepwise_model.hpp) are about 2^11 times larger
// than this type's unit roundoff for float64 candidates, so the oracle's error is included
// rigorously and is negligible.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace quench::oracle::stepwise {

using real = long double;

struct Box {
    real lo = 0, hi = 0;
};

inline constexpr real real_eps = std::numeric_limits<real>::epsilon();
inline constexpr real real_tiny = std::numeric_limits<real>::denorm_min();
inline constexpr real infinity = std::numeric_limits<real>::infinity();

/// x moved down (up) by at least one ulp: below (above) the exact value that x rounds.
inline real down(real x) { return x - (std::fabs(x) * real_eps + real_tiny); }
inline real up(real x) { return x + (std::fabs(x) * real_eps + real_tiny); }

inline Box point(real x) { return {x, x}; }
/// x (1 +- r), r >= 0: a value known to relative precision r.
inline Box relative(real x, real r) {
    const real a = up(std::fabs(x) * r);
    return {down(x - a), up(x + a)};
}
inline Box widen(const Box& a, real e) { return {down(a.lo - e), up(a.hi + e)}; }
/// a widened by r |a| on each side (r >= 0).
inline Box widen_relative(const Box& a, real r) {
    return {down(a.lo - up(std::fabs(a.lo) * r)), up(a.hi + up(std::fabs(a.hi) * r))};
}
inline Box operator+(const Box& a, const Box& b) { return {down(a.lo + b.lo), up(a.hi + b.hi)}; }
inline Box operator-(const Box& a, const Box& b) { return {down(a.lo - b.hi), up(a.hi - b.lo)}; }
inline Box operator*(const Box& a, const Box& b) {
    if (a.lo >= 0 && b.lo >= 0) return {down(a.lo * b.lo), up(a.hi * b.hi)};
    const real p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return {down(std::min(std::min(p[0], p[1]), std::min(p[2], p[3]))),
            up(std::max(std::max(p[0], p[1]), std::max(p[2], p[3])))};
}
/// a / b for b > 0 (b.lo > 0); the whole line otherwise.
inline Box operator/(const Box& a, const Box& b) {
    if (!(b.lo > 0)) return {-infinity, infinity};
    const real p[4] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
    return {down(std::min(std::min(p[0], p[1]), std::min(p[2], p[3]))),
            up(std::max(std::max(p[0], p[1]), std::max(p[2], p[3])))};
}
inline Box square(const Box& a) {
    if (a.lo >= 0) return {down(a.lo * a.lo), up(a.hi * a.hi)};
    if (a.hi <= 0) return {down(a.hi * a.hi), up(a.lo * a.lo)};
    const real m = std::max(-a.lo, a.hi);
    return {0, up(m * m)};
}
inline Box min(const Box& a, const Box& b) { return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)}; }
inline Box max(const Box& a, const Box& b) { return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)}; }
inline Box hull(const Box& a, const Box& b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
/// The largest |x| over the box.
inline real magnitude(const Box& a) { return std::max(std::fabs(a.lo), std::fabs(a.hi)); }
inline bool contains(const Box& a, real x) { return a.lo <= x && x <= a.hi; }
inline bool bounded(const Box& a) { return std::isfinite(a.lo) && std::isfinite(a.hi); }

}  // namespace quench::oracle::stepwise
