// stepwise_model.hpp - the precision model of the stepwise (shadowing) verdict and one
// coordinate's step under it (oracle/README.md, "Stepwise verdict", states it for users).
//
// A candidate's step t starts from its OWN recorded values of step t-1 (gt, st, phi) and the
// trace's gradient g_t. For every quantity the oracle computes, in outward-rounded interval
// arithmetic (stepwise_box.hpp), an admissible region
//     exact(inputs) +- gamma_k * M(inputs),     gamma_k = k u / (1 - k u),
// where exact() is the quantity's real-arithmetic formula evaluated over the set of internal
// values a candidate can hold given what it recorded, M the formula with every term replaced
// by its absolute value (Higham, "Accuracy and Stability", 3.1), and k an operation count
// that dominates every reasonable expression order (README's table). u is the unit roundoff
// of the candidate's precision. Part of this is a theorem (the interval arithmetic, and the
// forward bound for any one fixed expression whose operation count is <= k); that the k and
// M cover *every* "reasonable" implementation is a model, tested on the candidate suite.
//
// Hidden state, rebuilt by the oracle:
//  - the weight w_t = limit(B/Bstar(t-1)) (E17, E19 step 1, X8, X14, the min_weight floor) is an interval computed
//    from the recorded gt, st of step t-1: the candidate may form it from its raw m, v, c
//    or from the Bstar it recorded, in any order;
//  - the mass c_t = (1-w) c_{t-1} + w (X15), an interval carried from step to step and
//    widened by the model's rounding error of that recursion each step: the recursion
//    contracts by (1-w), so the width stays O(u/w) instead of growing like t u.
#pragma once

#include "stepwise_box.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

namespace quench::oracle::stepwise {

/// The operation counts k of the model (README's table), one per formula. For the fixed
/// expression orders of proofs/rounding/stepwise/ (mass, recorded_state, recorded_rate, ratio,
/// and phi's product term), Gappa proves the error bound in binary64 and binary32, and the
/// test rounding.stepwise_counts checks that gamma_k of these counts covers it; mean, second,
/// variance and constant are not proved there (README, "What is a theorem and what is a model").
struct ModelCounts {
    static constexpr int recorded_state = 2;  // internal m/c vs recorded gt: one division + storage
    static constexpr int recorded_rate = 1;   // internal eta vs recorded eta: storage
    static constexpr int constant = 1;        // a trace constant rounded to the candidate's type
    static constexpr int mass = 3;            // c' = (1-w) c + w, or 1 - prod(1-w): terms sum to <= 2
    static constexpr int mean = 6;            // gt' from gt, w, c, g (stored m or gt, any order)
    static constexpr int second = 7;          // st' as gt' with g^2 (one more product)
    static constexpr int variance = 6;        // st - gt^2 or (c v - m^2)/c^2: on M = st + gt^2
    static constexpr int ratio = 6;           // Bstar, eta, w: products and one division; 6 for the core's own w
    static constexpr int parameter = 2;       // phi - eta g
};

/// The candidate's precision: its unit roundoff u.
enum class CandidatePrecision { float64, float32 };
inline constexpr long double unit_roundoff(CandidatePrecision p) {
    return p == CandidatePrecision::float32 ? 0x1p-24L : 0x1p-53L;
}
/// The unit roundoff of the double nearest a decimal (trace constants, JSON gradients).
inline constexpr long double double_roundoff = 0x1p-53L;
/// gamma_k = k u / (1 - k u), rounded up.
template <class R>
inline R gamma(int k, R u) {
    return up(up(k * u) / down(1 - k * u));
}

/// The step's constants as intervals: each trace constant, read as the double nearest its
/// decimal, is within u_double of the decimal, and the candidate's copy within u of it.
/// With the model's gamma_k precomputed for the candidate's u.
template <class R>
struct Constants {
    Box<R> batch;           // B
    Box<R> warm_weight;     // limit(B/K)
    Box<R> warmup_batch;    // K (Bstar during warm-up)
    Box<R> rate_factor;     // lambda_eta / s
    Box<R> weight_factor;   // B / (lambda_B s)
    Box<R> batch_factor;    // lambda_B s
    Box<R> epsilon;
    std::optional<Box<R>> eta_max, max_weight;
    std::optional<Box<R>> eta_min, min_weight;  // tempering: the floors
    bool clamp_weight = true, clamp_variance = true, bias_correction = true;
    std::uint64_t warmup = 1;
    R u = 0;  // the candidate's unit roundoff
    R g_state = 0, g_rate = 0, g_mass = 0, g_mean = 0, g_second = 0, g_variance = 0, g_ratio = 0, g_parameter = 0;
    // Underflow: a result below the smallest normal of the candidate's type is off by an
    // absolute amount, not a relative one: by up to u * (smallest normal) with gradual
    // underflow (the standard model with underflow, Higham, ch. 2:
    // fl(x op y) = (x op y)(1 + delta) + eta), and by up to the smallest normal itself where
    // results are flushed to zero (XLA on the CPU, as jitted JAX runs; CUDA with -ftz). The
    // model takes the latter, so both are accepted. Each formula's bound adds its operation
    // count times eta, scaled to the quantity (set_underflow_bounds). A coordinate whose
    // gradient stops (a dead unit, an unused embedding row) has gt -> 0 geometrically and
    // reaches this range in float32 within about a hundred steps.
    R underflow = 0;  // eta: the smallest normal of the candidate's type
    R e_state = 0, e_mean = 0, e_second = 0, e_variance = 0, e_rate = 0, e_batch = 0, e_weight = 0, e_scale = 0,
      e_parameter = 0, e_gradient = 0;
    /// Sets u and the gammas.
    void set_precision(CandidatePrecision p) {
        u = static_cast<R>(unit_roundoff(p));
        underflow = p == CandidatePrecision::float32 ? static_cast<R>(std::numeric_limits<float>::min())
                                                      : static_cast<R>(std::numeric_limits<double>::min());
        g_state = gamma(ModelCounts::recorded_state, u);
        g_rate = gamma(ModelCounts::recorded_rate, u);
        g_mass = up(2 * gamma(ModelCounts::mass, u));  // the terms of c' sum to at most 2
        g_mean = gamma(ModelCounts::mean, u);
        g_second = gamma(ModelCounts::second, u);
        g_variance = gamma(ModelCounts::variance, u);
        g_ratio = gamma(ModelCounts::ratio, u);
        g_parameter = gamma(ModelCounts::parameter, u);
    }
    /// The absolute underflow terms, once the factors are known. A product chain's absolute
    /// error, k eta per rounding, is relative to its smallest intermediate; over the orders of
    /// the model the smallest is (factor) c^2 gt^2 with the factor or 1, whichever is smaller,
    /// (m = c gt held instead of gt), so the numerator N = factor gt^2 of eta (and alike of
    /// Bstar and w) is off by at most k eta max(1, factor) / c^2, whatever gt is; check_step
    /// multiplies by 1/c or 1/c^2 (1 without bias correction). The gradient's own rounding to
    /// float32 (or its flush to zero) adds eta once; float64 candidates read the double as it
    /// is (a trace's gradients are 0 or far above the subnormals of double).
    void set_underflow_bounds(CandidatePrecision p) {
        const R eta = underflow;
        auto times = [&](int n, R f) { return up(up(static_cast<R>(n) * eta) * std::max(R(1), f)); };
        e_state = times(ModelCounts::recorded_state, 1);
        e_mean = times(ModelCounts::mean, 1);
        e_second = times(ModelCounts::second, 1);
        e_variance = times(ModelCounts::variance, 1);
        e_rate = times(ModelCounts::ratio, rate_factor.hi);
        e_batch = times(ModelCounts::ratio, batch_factor.hi);
        e_weight = times(ModelCounts::ratio, weight_factor.hi);
        e_scale = times(ModelCounts::ratio, 1);
        e_parameter = times(ModelCounts::parameter, 1);
        e_gradient = p == CandidatePrecision::float32 ? eta : 0;
    }
};

/// x widened by the underflow term e on each side, except across 0: a non-negative result of
/// a correct candidate stays non-negative (rounding keeps the sign), and alike non-positive.
template <class R>
inline Box<R> widen_underflow(const Box<R>& x, same<R> e) {
    const R lo = down(x.lo - e), hi = up(x.hi + e);
    return {x.lo >= 0 ? std::max(lo, R(0)) : lo, x.hi <= 0 ? std::min(hi, R(0)) : hi};
}

/// The limits of the weight (X8, X14): w -> min(w, 1, max_weight) where they apply, then
/// the tempering floor w -> max(w, min_weight). min and max with a constant are monotone and
/// exact, so the box of the limited weight is the limits applied to each end.
template <class R>
inline Box<R> limit_weight(Box<R> w, const Constants<R>& k) {
    if (k.clamp_weight) w = min(w, point<R>(1));
    if (k.max_weight) w = min(w, *k.max_weight);
    if (k.min_weight) w = max(w, *k.min_weight);
    return w;
}

/// What the candidate recorded for one coordinate after one step (absent: not recorded).
template <class R>
struct Recorded {
    std::optional<R> gt, st, var, batch_star, eta, phi;
};

/// The admissible region of one quantity: `exact` holds the real-arithmetic value for every
/// internal state consistent with the record, `region` adds the model's rounding bound.
template <class R>
struct Check {
    Box<R> exact, region;
    bool bounded() const { return stepwise::bounded(region); }
    /// How far x lies from the exact box, in units of the model's bound on that side: 0 inside
    /// the exact box, 1 at the region's edge, > 1 outside the region. Where the model adds
    /// nothing on a side (a value fixed by the trace's constants, e.g. eta = eta_max), the
    /// unit is the region's half-width.
    R bound_units(R x) const {
        const R half = (region.hi - region.lo) / 2;
        const R tiny = std::numeric_limits<R>::denorm_min();
        if (x < exact.lo) return (exact.lo - x) / std::max(std::max(exact.lo - region.lo, half), tiny);
        if (x > exact.hi) return (x - exact.hi) / std::max(std::max(region.hi - exact.hi, half), tiny);
        return 0;
    }
};
template <class R>
inline Check<R> make_check(const Box<R>& exact, same<R> bound) {
    return {exact, widen(exact, bound)};
}

/// The per-coordinate state the oracle carries from step to step.
template <class R>
struct Carried {
    Box<R> mass{0, 0};            // c of the candidate after the previous step (X15)
    Box<R> weight;                // w for this step
    Box<R> gt{0, 0}, st{0, 0};    // internal gt, st of the previous step (pinned to the record)
    Box<R> phi;                   // phi of the previous step
};

/// The checks of one coordinate's step, indexed like Quantity: gt st var Bstar eta phi.
template <class R>
struct StepChecks {
    std::array<std::optional<Check<R>>, 6> of;
};

/// g_t as the candidate sees it: the trace's double, which is within u_double of a decimal
/// gradient (JSON) and exact for .npy, then rounded to the candidate's type.
template <class R>
inline Box<R> candidate_gradient(R g, bool decimal, const Constants<R>& k) {
    R r = decimal ? static_cast<R>(double_roundoff) : 0;
    if (k.u > static_cast<R>(double_roundoff)) r += k.u;
    const Box<R> x = r > 0 ? relative(g, r) : point<R>(g);
    return k.e_gradient > 0 ? widen(x, k.e_gradient) : x;
}

/// The mean update gt' = gt + rho (g - gt) = gt (1 - rho) + rho g over the box, for
/// 0 <= rho <= 1: increasing in g and in gt, linear in rho, so each end is the better of the
/// two ends of rho (no interval dependency on gt). Outside 0 <= rho <= 1 (rounding at the
/// first step can give rho slightly above 1): every corner.
template <class R>
inline Box<R> convex_update(const Box<R>& prev, const Box<R>& rho, const Box<R>& g) {
    if (rho.lo >= 0 && rho.hi <= 1) {
        auto lower = [&](R r) { return down(prev.lo + down(r * down(g.lo - prev.lo))); };
        auto upper = [&](R r) { return up(prev.hi + up(r * up(g.hi - prev.hi))); };
        return {std::min(lower(rho.lo), lower(rho.hi)), std::max(upper(rho.lo), upper(rho.hi))};
    }
    Box<R> r{infinity<R>, -infinity<R>};
    for (R p : {prev.lo, prev.hi})
        for (R q : {rho.lo, rho.hi})
            for (R x : {g.lo, g.hi}) r = hull(r, point<R>(p) + point<R>(q) * (point<R>(x) - point<R>(p)));
    return r;
}

/// 1/var for var >= 0 that may be 0: +inf where var may vanish (the zero-variance branch:
/// eta_max or the weight limit then decides, accepting either branch in the band).
template <class R>
inline Box<R> inverse_variance(const Box<R>& var) {
    return {var.hi > 0 ? down(1 / var.hi) : infinity<R>, var.lo > 0 ? up(1 / var.lo) : infinity<R>};
}
/// a * b for a >= 0 and b >= 0 where b.hi may be +inf (0 * inf counts as inf: b's upper end
/// is a bound, not a value).
template <class R>
inline Box<R> times_inverse(const Box<R>& a, const Box<R>& b) {
    const R lo = a.lo == 0 || b.lo == 0       ? R(0)
                 : b.lo == infinity<R> ? std::numeric_limits<R>::max()
                                       : down(a.lo * b.lo);
    const R hi = b.hi == infinity<R> ? infinity<R> : up(a.hi * b.hi);
    return {lo, hi};
}

/// One coordinate's step t (steps from 1). `full`: gt and st were recorded. Otherwise, with
/// `hidden`, the oracle carries its own enclosure of the candidate's gt and st (all that a
/// correct candidate of this precision can hold) and checks eta against it; without either,
/// only phi is checked, from the recorded eta. `c` becomes the state after the step.
template <class R>
inline StepChecks<R> check_step(std::uint64_t t, const Box<R>& g, const Recorded<R>& rec, bool full,
                                const Constants<R>& k, Carried<R>& c, bool hidden = false) {
    StepChecks<R> out;
    const bool warm = t <= k.warmup;
    if (full || hidden) {
        // X15 mass c' = c + w (1 - c): increasing in c and in w, so its ends are exact.
        Box<R> mass{1, 1}, rho = c.weight;
        R mass_rounding = 0;
        if (k.bias_correction) {
            const R lo = down(c.mass.lo + down(c.weight.lo * down(1 - c.mass.lo)));
            const R hi = up(c.mass.hi + up(c.weight.hi * up(1 - c.mass.hi)));
            mass_rounding = k.g_mass;
            mass = widen(Box<R>{lo, hi}, mass_rounding);
            rho = c.weight / mass;  // the effective weight w/c' of the bias-corrected averages
        }
        const R inverse_mass = k.bias_correction ? up(1 / mass.lo) : 1;
        const R growth = up(up(1 + c.weight.hi) * up(c.mass.hi * inverse_mass));  // (1+w) c/c'
        const R mass_error = up(mass_rounding * inverse_mass);
        const R inverse_mass2 = up(inverse_mass * inverse_mass);
        const Box<R> g2 = square(g);
        {
            // E15: gt' = ((1-w) m + w g)/c' = gt + (w/c')(g - gt) - gt delta/c', delta the
            // rounding of c' (inside `mass`). Every addition of the bound's terms is rounded
            // up on its own: one up() after three round-to-nearest additions would not cover
            // their three roundings.
            const Box<R> exact = convex_update(c.gt, rho, g);
            const R prev = magnitude(c.gt);
            const R terms = up(up(up(up(growth * prev) + up(rho.hi * up(magnitude(g) + prev))) + prev) + magnitude(exact));
            out.of[0] = make_check(exact, up(up(up(k.g_mean * terms) + up(prev * mass_error)) + up(k.e_mean * inverse_mass)));
        }
        {
            const Box<R> exact = convex_update(c.st, rho, g2);  // E16
            const R prev = magnitude(c.st);
            const R terms = up(up(up(up(growth * prev) + up(rho.hi * up(g2.hi + prev))) + prev) + magnitude(exact));
            out.of[1] = make_check(exact, up(up(up(k.g_second * terms) + up(prev * mass_error)) + up(k.e_second * inverse_mass)));
        }
        // The internal gt, st of this step: pinned to what was recorded, or, when they are not
        // recorded, the admissible regions just computed (the oracle's own enclosure of the
        // candidate's hidden state, carried from step to step).
        c.gt = rec.gt ? widen(relative(*rec.gt, k.g_state), k.e_state) : out.of[0]->region;
        c.st = rec.st ? widen(relative(*rec.st, k.g_state), k.e_state) : out.of[1]->region;
        c.mass = mass;
        // E16 + X11: var = st - gt^2; its rounding is bounded on st + gt^2 (the cancellation).
        const Box<R> gt2 = square(c.gt);
        Box<R> var_exact = c.st - gt2;
        Box<R> var_band =
            widen(var_exact, up(up(k.g_variance * up(magnitude(c.st) + gt2.hi)) + up(k.e_variance * inverse_mass2)));
        if (k.clamp_variance) {
            var_exact = max(var_exact, point<R>(0));
            var_band = max(var_band, point<R>(0));
        }
        if (rec.var) out.of[2] = Check<R>{var_exact, var_band};
        const Box<R> scale = gt2 + k.epsilon;  // gt^2 + eps
        if (warm) {
            if (rec.batch_star) out.of[3] = Check<R>{k.warmup_batch, k.warmup_batch};
            out.of[4] = make_check(point<R>(0), 0);
            c.weight = k.warm_weight;
        } else {
            if (rec.batch_star) {
                // E17: Bstar = lambda_B s var/(gt^2 + eps), before any limit.
                const Box<R> exact = k.batch_factor * var_exact / scale;
                const Box<R> band = widen_underflow(
                    widen_relative(widen(k.batch_factor * var_band, up(k.e_batch * inverse_mass2)) /
                                       widen_underflow(scale, up(k.e_scale * inverse_mass2)),
                                   k.g_ratio),
                    k.underflow);
                out.of[3] = Check<R>{exact, hull(band, exact)};
            }
            // E18/E20 + X9: eta = min(eta_max, (lambda_eta/s) gt^2 / var).
            const Box<R> rate = k.rate_factor * gt2;
            const Box<R> inverse_band = inverse_variance(var_band);
            Box<R> eta_exact = times_inverse(rate, inverse_variance(var_exact));
            Box<R> eta_band = widen_underflow(
                widen_relative(times_inverse(widen_underflow(rate, up(k.e_rate * inverse_mass2)), inverse_band), k.g_ratio),
                k.underflow);
            if (k.eta_max) {
                eta_exact = min(eta_exact, *k.eta_max);
                eta_band = min(eta_band, *k.eta_max);
            }
            // Tempering: eta = max(eta, eta_min) after the cap; exact, like the cap.
            if (k.eta_min) {
                eta_exact = max(eta_exact, *k.eta_min);
                eta_band = max(eta_band, *k.eta_min);
            }
            out.of[4] = Check<R>{eta_exact, hull(eta_band, eta_exact)};
            // E17 + E19 step 1: the next weight B/Bstar = (B/(lambda_B s)) (gt^2 + eps)/var.
            c.weight = limit_weight(
                widen_underflow(widen_relative(times_inverse(widen_underflow(k.weight_factor * scale,
                                                                             up(k.e_weight * inverse_mass2)),
                                                             inverse_band),
                                               k.g_ratio),
                                k.underflow),
                k);
        }
    }
    // E20: phi' = phi - eta g, from the recorded eta.
    const Box<R> product = relative(*rec.eta, k.g_rate) * g;
    const Box<R> exact = c.phi - product;
    out.of[5] = make_check(exact, up(up(k.g_parameter * up(magnitude(c.phi) + magnitude(product))) + k.e_parameter));
    c.phi = point<R>(*rec.phi);
    return out;
}

/// The oracle's interval type of the previous per-coordinate path (the engine,
/// stepwise_engine.hpp, uses double for both precisions): kept for the tests and the
/// benchmark that compare the two.
template <CandidatePrecision P>
using oracle_real = std::conditional_t<P == CandidatePrecision::float32, double, long double>;

}  // namespace quench::oracle::stepwise
