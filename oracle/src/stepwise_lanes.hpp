// stepwise_lanes.hpp - one coordinate's step of the stepwise model (check_step of
// stepwise_model.hpp, R = double) written branch-free, for the vectorised block loop of
// stepwise_engine.cpp.
//
// Every operation gives bit for bit the result of its counterpart in stepwise_box.hpp and
// stepwise_model.hpp (the unit test oracle.unit.StepwiseEngine.* compares them on random
// states), so the regions are exactly the reference's and every bound stays as sound as it
// is there: each result is moved outward by at least one ulp (down/up), every branch of the
// reference becomes a select of both sides (both are computed; the one the reference takes
// is kept), and where a shortcut of the reference is the general formula's value (a product
// or quotient of non-negative boxes: round-to-nearest is monotone, so the smallest rounded
// product is the rounded smallest product) only the general formula is computed.
//
// The coordinates this form does not cover (an effective weight rho = w/c' outside [0, 1],
// the corner case of convex_update: the first step's rounding, or options without the X8
// clamp) are flagged and recomputed by check_step itself.
#pragma once

#include "stepwise_model.hpp"

#include <cstdint>
#include <limits>

namespace quench::oracle::stepwise::lanes {

inline constexpr double eps = std::numeric_limits<double>::epsilon();
inline constexpr double tiny = std::numeric_limits<double>::denorm_min();
inline constexpr double big = std::numeric_limits<double>::max();
inline constexpr double inf = std::numeric_limits<double>::infinity();

// The selects below are written as the standard library's: std::min(a, b) is (b < a) ? b : a
// and std::max(a, b) is (a < b) ? b : a, which keeps NaN and signed-zero behaviour identical.
[[gnu::always_inline]] inline double lmin(double a, double b) { return b < a ? b : a; }
[[gnu::always_inline]] inline double lmax(double a, double b) { return a < b ? b : a; }

/// down()/up() of stepwise_box.hpp: x - (|x| eps + tiny) is NaN for x = +inf, which the
/// reference maps to the largest finite number (and -inf stays -inf either way).
[[gnu::always_inline]] inline double down(double x) {
    const double r = x - (__builtin_fabs(x) * eps + tiny);
    return x > big ? big : r;
}
[[gnu::always_inline]] inline double up(double x) {
    const double r = x + (__builtin_fabs(x) * eps + tiny);
    return x < -big ? -big : r;
}

struct B {
    double lo, hi;
};

[[gnu::always_inline]] inline B point(double x) { return {x, x}; }
/// c ? a : b, end by end (a select of two numbers each, where a select of structures would
/// be a branch the vectoriser refuses).
[[gnu::always_inline]] inline B select(bool c, B a, B b) { return {c ? a.lo : b.lo, c ? a.hi : b.hi}; }
[[gnu::always_inline]] inline B relative(double x, double r) {
    const double a = up(__builtin_fabs(x) * r);
    return {down(x - a), up(x + a)};
}
[[gnu::always_inline]] inline B widen(B a, double e) { return {down(a.lo - e), up(a.hi + e)}; }
[[gnu::always_inline]] inline B widen_relative(B a, double r) {
    return {down(a.lo - up(__builtin_fabs(a.lo) * r)), up(a.hi + up(__builtin_fabs(a.hi) * r))};
}
/// widen_underflow of stepwise_model.hpp.
[[gnu::always_inline]] inline B widen_underflow(B x, double e) {
    const double lo = down(x.lo - e), hi = up(x.hi + e);
    return {x.lo >= 0 ? lmax(lo, 0.0) : lo, x.hi <= 0 ? lmin(hi, 0.0) : hi};
}
[[gnu::always_inline]] inline B add(B a, B b) { return {down(a.lo + b.lo), up(a.hi + b.hi)}; }
[[gnu::always_inline]] inline B sub(B a, B b) { return {down(a.lo - b.hi), up(a.hi - b.lo)}; }
/// operator*: the four products' min and max (the reference's shortcut for a, b >= 0 is the
/// same value, round-to-nearest being monotone), kept as a select for the non-finite cases.
[[gnu::always_inline]] inline B mul(B a, B b) {
    const double p0 = a.lo * b.lo, p1 = a.lo * b.hi, p2 = a.hi * b.lo, p3 = a.hi * b.hi;
    const bool nonneg = lmin(a.lo, b.lo) >= 0;  // a.lo >= 0 && b.lo >= 0, as one lane-wise test
    return {down(nonneg ? p0 : lmin(lmin(p0, p1), lmin(p2, p3))), up(nonneg ? p3 : lmax(lmax(p0, p1), lmax(p2, p3)))};
}
/// operator/: for b.lo > 0 the smallest quotient is a.lo/b.hi when a.lo >= 0 and a.lo/b.lo
/// otherwise (and the largest a.hi/b.lo or a.hi/b.hi): the reference's min and max of the
/// four rounded quotients, by monotonicity, with two divisions instead of four.
[[gnu::always_inline]] inline B div(B a, B b) {
    const bool ok = b.lo > 0;
    const double lo = down(a.lo / (a.lo >= 0 ? b.hi : b.lo)), hi = up(a.hi / (a.hi >= 0 ? b.lo : b.hi));
    return {ok ? lo : -inf, ok ? hi : inf};
}
[[gnu::always_inline]] inline B square(B a) {
    const double l2 = a.lo * a.lo, h2 = a.hi * a.hi;
    const double lo = a.lo >= 0 ? down(l2) : (a.hi <= 0 ? down(h2) : 0.0);
    const double hi = a.lo >= 0 ? up(h2) : (a.hi <= 0 ? up(l2) : up(-a.lo < a.hi ? h2 : l2));
    return {lo, hi};
}
[[gnu::always_inline]] inline B bmin(B a, B b) { return {lmin(a.lo, b.lo), lmin(a.hi, b.hi)}; }
[[gnu::always_inline]] inline B bmax(B a, B b) { return {lmax(a.lo, b.lo), lmax(a.hi, b.hi)}; }
[[gnu::always_inline]] inline B hull(B a, B b) { return {lmin(a.lo, b.lo), lmax(a.hi, b.hi)}; }
[[gnu::always_inline]] inline double magnitude(B a) { return lmax(__builtin_fabs(a.lo), __builtin_fabs(a.hi)); }
[[gnu::always_inline]] inline B inverse_variance(B v) {
    return {v.hi > 0 ? down(1 / v.hi) : inf, v.lo > 0 ? up(1 / v.lo) : inf};
}
[[gnu::always_inline]] inline B times_inverse(B a, B b) {
    const double lo = (a.lo == 0) | (b.lo == 0) ? 0.0 : b.lo == inf ? big : down(a.lo * b.lo);
    const double hi = b.hi == inf ? inf : up(a.hi * b.hi);
    return {lo, hi};
}

/// convex_update of stepwise_model.hpp for 0 <= rho <= 1 (the other lanes are general).
[[gnu::always_inline]] inline B convex(B prev, B rho, B x) {
    const double l0 = down(prev.lo + down(rho.lo * down(x.lo - prev.lo)));
    const double l1 = down(prev.lo + down(rho.hi * down(x.lo - prev.lo)));
    const double u0 = up(prev.hi + up(rho.lo * up(x.hi - prev.hi)));
    const double u1 = up(prev.hi + up(rho.hi * up(x.hi - prev.hi)));
    return B{lmin(l0, l1), lmax(u0, u1)};
}

/// convex_update's other branch (rho outside [0, 1]: the first step, whose rounding puts
/// w/c' just above 1): the hull of the eight corners p + q (x - p) in the interval
/// operations of stepwise_box.hpp. The hull's min and max do not depend on the order of the
/// corners: no corner is NaN, and a zero bound is always +0 (down() and up() never give -0).
[[gnu::always_inline]] inline B corner(double p, double q, double x) { return add(point(p), mul(point(q), sub(point(x), point(p)))); }
[[gnu::always_inline]] inline B corners(B prev, B rho, B x) {
    B r = corner(prev.lo, rho.lo, x.lo);
    r = hull(r, corner(prev.lo, rho.lo, x.hi));
    r = hull(r, corner(prev.lo, rho.hi, x.lo));
    r = hull(r, corner(prev.lo, rho.hi, x.hi));
    r = hull(r, corner(prev.hi, rho.lo, x.lo));
    r = hull(r, corner(prev.hi, rho.lo, x.hi));
    r = hull(r, corner(prev.hi, rho.hi, x.lo));
    return hull(r, corner(prev.hi, rho.hi, x.hi));
}

/// The trace constants of Constants<double> as plain numbers; absent limits are +inf (and
/// an unclamped variance's floor and absent tempering floors -inf), for which min/max give
/// the reference's value.
struct Consts {
    B batch_factor, rate_factor, weight_factor, epsilon, warm_weight, warmup_batch;
    B eta_max, max_weight, weight_clamp, variance_floor;
    B eta_min, min_weight;  // tempering floors
    double bias = 1;  // 1: bias correction (X15), 0: none (a number: a select on a uniform bool does not vectorise)
    double g_state, g_rate, g_mass, g_mean, g_second, g_variance, g_ratio, g_parameter;
    double underflow, e_state, e_mean, e_second, e_variance, e_rate, e_batch, e_weight, e_scale, e_parameter, e_gradient;
    double gradient_relative = 0;  // r of candidate_gradient; 0: the gradient is exact
};
inline Consts make_consts(const Constants<double>& k, bool decimal_gradient) {
    auto b = [](const Box<double>& x) { return B{x.lo, x.hi}; };
    Consts c;
    c.batch_factor = b(k.batch_factor);
    c.rate_factor = b(k.rate_factor);
    c.weight_factor = b(k.weight_factor);
    c.epsilon = b(k.epsilon);
    c.warm_weight = b(k.warm_weight);
    c.warmup_batch = b(k.warmup_batch);
    c.eta_max = k.eta_max ? b(*k.eta_max) : B{inf, inf};
    c.max_weight = k.max_weight ? b(*k.max_weight) : B{inf, inf};
    c.weight_clamp = k.clamp_weight ? B{1, 1} : B{inf, inf};
    c.variance_floor = k.clamp_variance ? B{0, 0} : B{-inf, -inf};
    c.eta_min = k.eta_min ? b(*k.eta_min) : B{-inf, -inf};
    c.min_weight = k.min_weight ? b(*k.min_weight) : B{-inf, -inf};
    c.bias = k.bias_correction ? 1 : 0;
    c.g_state = k.g_state, c.g_rate = k.g_rate, c.g_mass = k.g_mass, c.g_mean = k.g_mean;
    c.g_second = k.g_second, c.g_variance = k.g_variance, c.g_ratio = k.g_ratio, c.g_parameter = k.g_parameter;
    c.underflow = k.underflow, c.e_state = k.e_state, c.e_mean = k.e_mean, c.e_second = k.e_second;
    c.e_variance = k.e_variance, c.e_rate = k.e_rate, c.e_batch = k.e_batch, c.e_weight = k.e_weight;
    c.e_scale = k.e_scale, c.e_parameter = k.e_parameter, c.e_gradient = k.e_gradient;
    double r = decimal_gradient ? static_cast<double>(double_roundoff) : 0;
    if (k.u > static_cast<double>(double_roundoff)) r += k.u;
    c.gradient_relative = r;
    return c;
}

/// The carried state of one coordinate (Carried<double>) as ten numbers.
struct State {
    B mass, weight, gt, st, phi;
};
/// One quantity's check: the exact box and the admissible region.
struct Q {
    B exact, region;
};
/// The six checks of the step, indexed like Quantity (gt st var Bstar eta phi), and whether
/// this form covers the coordinate (else check_step must recompute it).
struct Out {
    Q q[6];
    double general;  // 1: general (a number, like every lane value: no mask is stored)
};

/// check_step<double>(t, candidate_gradient(g), rec, full, k, c, hidden = true) for one
/// coordinate; `rec` holds the recorded values (gt, st: only read when `full` > 0, i.e. they
/// are recorded; a number, as `bias`); `next` becomes
/// the state after the step. `warm`: t <= K.
/// The recorded values of one coordinate, in the order of Quantity (numbers, not an array:
/// a local array would live in memory, which the vectoriser refuses).
struct Rec {
    double gt, st, var, batch_star, eta, phi;
};

/// flag > 0 as a lane-wise condition: the vectoriser (g++ 12) cannot select on a condition
/// that is the same for every lane, so the flag is tied to the lane's gradient (finite:
/// the readers refuse anything else), 0 * g being +-0, which changes no sum.
[[gnu::always_inline]] inline bool lane_flag(double flag, double g) { return flag + 0.0 * g > 0; }

/// `any_rho`: convex_update's corner branch is computed too (selected where rho is outside
/// [0, 1]), so that no coordinate is general; else such coordinates are flagged general.
template <bool warm, bool any_rho = false>
[[gnu::always_inline]] inline Out coordinate(const Consts& k, double graw, const Rec& rec, double full, const State& c,
                                             State& next) {
    Out out;
    const bool bias = lane_flag(k.bias, graw), pinned = lane_flag(full, graw);
    const B g0 = select(lane_flag(k.gradient_relative, graw), relative(graw, k.gradient_relative), point(graw));
    const B g = select(lane_flag(k.e_gradient, graw), widen(g0, k.e_gradient), g0);
    // X15 mass c' = c + w (1 - c), and rho = w/c' (or w without bias correction).
    B mass{1, 1}, rho = c.weight;
    double mass_rounding = 0;
    {
        const double lo = down(c.mass.lo + down(c.weight.lo * down(1 - c.mass.lo)));
        const double hi = up(c.mass.hi + up(c.weight.hi * up(1 - c.mass.hi)));
        const B m = widen(B{lo, hi}, k.g_mass);
        const B r = div(c.weight, m);
        mass = select(bias, m, mass);
        rho = select(bias, r, rho);
        mass_rounding = bias ? k.g_mass : 0.0;
    }
    const bool convex_rho = (rho.lo >= 0) & (rho.hi <= 1);
    out.general = convex_rho | any_rho ? 0.0 : 1.0;
    auto update = [&](B prev, B x) {
        if constexpr (any_rho) return select(convex_rho, convex(prev, rho, x), corners(prev, rho, x));
        else return convex(prev, rho, x);
    };
    const double inverse_mass = bias ? up(1 / mass.lo) : 1.0;
    const double growth = up(up(1 + c.weight.hi) * up(c.mass.hi * inverse_mass));
    const double mass_error = up(mass_rounding * inverse_mass);
    const double inverse_mass2 = up(inverse_mass * inverse_mass);
    const B g2 = square(g);
    {
        const B exact = update(c.gt, g);
        const double prev = magnitude(c.gt);
        const double terms =
            up(up(up(up(growth * prev) + up(rho.hi * up(magnitude(g) + prev))) + prev) + magnitude(exact));
        out.q[0] = {exact, widen(exact, up(up(up(k.g_mean * terms) + up(prev * mass_error)) + up(k.e_mean * inverse_mass)))};
    }
    {
        const B exact = update(c.st, g2);
        const double prev = magnitude(c.st);
        const double terms = up(up(up(up(growth * prev) + up(rho.hi * up(g2.hi + prev))) + prev) + magnitude(exact));
        out.q[1] = {exact, widen(exact, up(up(up(k.g_second * terms) + up(prev * mass_error)) + up(k.e_second * inverse_mass)))};
    }
    const B rgt = widen(relative(rec.gt, k.g_state), k.e_state), rst = widen(relative(rec.st, k.g_state), k.e_state);
    next.gt = select(pinned, rgt, out.q[0].region);
    next.st = select(pinned, rst, out.q[1].region);
    next.mass = mass;
    const B gt2 = square(next.gt);
    B var_exact = sub(next.st, gt2);
    B var_band =
        widen(var_exact, up(up(k.g_variance * up(magnitude(next.st) + gt2.hi)) + up(k.e_variance * inverse_mass2)));
    var_exact = bmax(var_exact, k.variance_floor);
    var_band = bmax(var_band, k.variance_floor);
    out.q[2] = {var_exact, var_band};
    const B scale = add(gt2, k.epsilon);
    if constexpr (warm) {
        out.q[3] = {k.warmup_batch, k.warmup_batch};
        out.q[4] = {B{0, 0}, widen(B{0, 0}, 0)};
        next.weight = k.warm_weight;
    } else {
        {
            const B exact = div(mul(k.batch_factor, var_exact), scale);
            const B band = widen_underflow(
                widen_relative(div(widen(mul(k.batch_factor, var_band), up(k.e_batch * inverse_mass2)),
                                   widen_underflow(scale, up(k.e_scale * inverse_mass2))),
                               k.g_ratio),
                k.underflow);
            out.q[3] = {exact, hull(band, exact)};
        }
        const B rate = mul(k.rate_factor, gt2);
        const B inverse_band = inverse_variance(var_band);
        // the X9 cap, then the tempering floor (limit_weight's order for w)
        const B eta_exact = bmax(bmin(times_inverse(rate, inverse_variance(var_exact)), k.eta_max), k.eta_min);
        const B eta_band = bmax(
            bmin(widen_underflow(widen_relative(times_inverse(widen_underflow(rate, up(k.e_rate * inverse_mass2)),
                                                              inverse_band),
                                                k.g_ratio),
                                 k.underflow),
                 k.eta_max),
            k.eta_min);
        out.q[4] = {eta_exact, hull(eta_band, eta_exact)};
        const B w = widen_underflow(
            widen_relative(
                times_inverse(widen_underflow(mul(k.weight_factor, scale), up(k.e_weight * inverse_mass2)), inverse_band),
                k.g_ratio),
            k.underflow);
        next.weight = bmax(bmin(bmin(w, k.weight_clamp), k.max_weight), k.min_weight);
    }
    // E20: phi' = phi - eta g, from the recorded eta.
    const B product = mul(relative(rec.eta, k.g_rate), g);
    const B exact = sub(c.phi, product);
    out.q[5] = {exact, widen(exact, up(up(k.g_parameter * up(magnitude(c.phi) + magnitude(product))) + k.e_parameter))};
    next.phi = point(rec.phi);
    return out;
}

}  // namespace quench::oracle::stepwise::lanes
