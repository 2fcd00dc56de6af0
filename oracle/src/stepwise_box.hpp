// stepwise_box.hpp - closed intervals [lo, hi] with outward rounding, for the stepwise
// check's own arithmetic (R = double in `compare`; long double remains for the tests that
// compare the two). Every operation returns an interval that holds the exact real result
// for all inputs in its operands: the round-to-nearest result x is moved outward by
// |x| eps + the smallest subnormal, which is at least one ulp of x (|x| eps is exact: a
// power-of-two scaling), more than the half-ulp error of round-to-nearest, so no
// rounding-mode switch is needed. For float32 candidates the model's bounds
// (stepwise_model.hpp) are far larger than R's unit roundoff (2^-24 against 2^-53); for
// float64 ones they are of the same order, and the oracle's own roundings widen the
// regions by a small factor (oracle/README.md, "What is a theorem and what is a model"),
// always outward.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace quench::oracle::stepwise {

template <class R>
struct Box {
    R lo = 0, hi = 0;
};

/// Keeps a second argument from taking part in deducing R.
template <class R>
using same = std::type_identity_t<R>;

template <class R>
inline constexpr R infinity = std::numeric_limits<R>::infinity();

/// x moved down (up) by at least one ulp: below (above) the exact value that x rounds.
/// Infinite bounds stay bounds: a result that rounded to +inf exceeds the largest finite
/// number, so its lower bound is that number, and +inf is its own upper bound (without
/// this, inf - inf would make the bound NaN: a coordinate whose variance is exactly 0,
/// e.g. one that only ever sees zero gradients, has the reciprocal 1/0 = inf).
template <class R>
inline R down(R x) {
    if (std::isinf(x)) return x > 0 ? std::numeric_limits<R>::max() : x;
    return x - (std::fabs(x) * std::numeric_limits<R>::epsilon() + std::numeric_limits<R>::denorm_min());
}
template <class R>
inline R up(R x) {
    if (std::isinf(x)) return x < 0 ? std::numeric_limits<R>::lowest() : x;
    return x + (std::fabs(x) * std::numeric_limits<R>::epsilon() + std::numeric_limits<R>::denorm_min());
}

template <class R>
inline Box<R> point(same<R> x) {
    return {x, x};
}
/// x (1 +- r), r >= 0: a value known to relative precision r.
template <class R>
inline Box<R> relative(R x, same<R> r) {
    const R a = up(std::fabs(x) * r);
    return {down(x - a), up(x + a)};
}
template <class R>
inline Box<R> widen(const Box<R>& a, same<R> e) {
    return {down(a.lo - e), up(a.hi + e)};
}
/// a widened by r |a| on each side (r >= 0).
template <class R>
inline Box<R> widen_relative(const Box<R>& a, same<R> r) {
    return {down(a.lo - up(std::fabs(a.lo) * r)), up(a.hi + up(std::fabs(a.hi) * r))};
}
template <class R>
inline Box<R> operator+(const Box<R>& a, const Box<R>& b) {
    return {down(a.lo + b.lo), up(a.hi + b.hi)};
}
template <class R>
inline Box<R> operator-(const Box<R>& a, const Box<R>& b) {
    return {down(a.lo - b.hi), up(a.hi - b.lo)};
}
template <class R>
inline Box<R> operator*(const Box<R>& a, const Box<R>& b) {
    if (a.lo >= 0 && b.lo >= 0) return {down(a.lo * b.lo), up(a.hi * b.hi)};
    const R p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return {down(std::min(std::min(p[0], p[1]), std::min(p[2], p[3]))),
            up(std::max(std::max(p[0], p[1]), std::max(p[2], p[3])))};
}
/// a / b for b > 0 (b.lo > 0); the whole line otherwise.
template <class R>
inline Box<R> operator/(const Box<R>& a, const Box<R>& b) {
    if (!(b.lo > 0)) return {-infinity<R>, infinity<R>};
    if (a.lo >= 0) return {down(a.lo / b.hi), up(a.hi / b.lo)};
    const R p[4] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
    return {down(std::min(std::min(p[0], p[1]), std::min(p[2], p[3]))),
            up(std::max(std::max(p[0], p[1]), std::max(p[2], p[3])))};
}
template <class R>
inline Box<R> square(const Box<R>& a) {
    if (a.lo >= 0) return {down(a.lo * a.lo), up(a.hi * a.hi)};
    if (a.hi <= 0) return {down(a.hi * a.hi), up(a.lo * a.lo)};
    const R m = std::max(-a.lo, a.hi);
    return {0, up(m * m)};
}
template <class R>
inline Box<R> min(const Box<R>& a, const Box<R>& b) {
    return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
}
template <class R>
inline Box<R> max(const Box<R>& a, const Box<R>& b) {
    return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
}
template <class R>
inline Box<R> hull(const Box<R>& a, const Box<R>& b) {
    return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}
/// The largest |x| over the box.
template <class R>
inline R magnitude(const Box<R>& a) {
    return std::max(std::fabs(a.lo), std::fabs(a.hi));
}
template <class R>
inline bool contains(const Box<R>& a, same<R> x) {
    return a.lo <= x && x <= a.hi;
}
template <class R>
inline bool bounded(const Box<R>& a) {
    return std::isfinite(a.lo) && std::isfinite(a.hi);
}

}  // namespace quench::oracle::stepwise
