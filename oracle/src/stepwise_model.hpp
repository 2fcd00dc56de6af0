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
//  - the weight w_t = limit(B/Bstar(t-1)) (E17, E19 step 1, X8, X14) is an interval computed
//    from the recorded gt, st of step t-1: the candidate may form it from its raw m, v, c
//    or from the Bstar it recorded, in any order;
//  - the mass c_t = (1-w) c_{t-1} + w (X15), an interval carried from step to step and
//    widened by the model's rounding error of that recursion each step: the recursion
//    contracts by (1-w), so the width stays O(u/w) instead of growing like t u.
#pragma once

#include "stepwise_box.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace quench::oracle::stepwise {

/// The operation counts k of the model (README's table), one per formula.
struct ModelCounts {
    static constexpr int recorded_state = 2;  // internal m/c vs recorded gt: one division + storage
    static constexpr int recorded_rate = 1;   // internal eta vs recorded eta: storage
    static constexpr int constant = 1;        // a trace constant rounded to the candidate's type
    static constexpr int mass = 3;            // c' = (1-w) c + w, or 1 - prod(1-w): terms sum to <= 2
    static constexpr int mean = 6;            // gt' from gt, w, c, g (stored m or gt, any order)
    static constexpr int second = 7;          // st' as gt' with g^2 (one more product)
    static constexpr int variance = 6;        // st - gt^2 or (c v - m^2)/c^2: on M = st + gt^2
    static constexpr int ratio = 5;           // Bstar, eta, w: products and one division
    static constexpr int parameter = 2;       // phi - eta g
};

/// The candidate's precision: its unit roundoff u.
enum class CandidatePrecision { float64, float32 };
inline real unit_roundoff(CandidatePrecision p) {
    return p == CandidatePrecision::float32 ? real(0x1p-24L) : real(0x1p-53L);
}
/// gamma_k = k u / (1 - k u), rounded up.
inline real gamma(int k, real u) { return up(up(k * u) / down(1 - k * u)); }

/// The step's constants as intervals: each trace constant, read as the double nearest its
/// decimal, is within u_double of the decimal, and the candidate's copy within u of it.
struct Constants {
    Box batch;           // B
    Box warm_weight;     // limit(B/K)
    Box warmup_batch;    // K (Bstar during warm-up)
    Box rate_factor;     // lambda_eta / s
    Box weight_factor;   // B / (lambda_B s)
    Box batch_factor;    // lambda_B s
    Box epsilon;
    std::optional<Box> eta_max, max_weight;
    bool clamp_weight = true, clamp_variance = true, bias_correction = true;
    std::uint64_t warmup = 1;
    real u = 0;  // the candidate's unit roundoff
};

/// The limits of the weight (X8, X14): w -> min(w, 1, max_weight) where they apply.
inline Box limit_weight(Box w, const Constants& k) {
    if (k.clamp_weight) w = min(w, point(1));
    if (k.max_weight) w = min(w, *k.max_weight);
    return w;
}

/// What the candidate recorded for one coordinate after one step (absent: not recorded).
struct Recorded {
    std::optional<real> gt, st, var, batch_star, eta, phi;
};

/// The admissible region of one quantity: `exact` holds the real-arithmetic value for every
/// internal state consistent with the record, `region` adds the model's rounding bound.
struct Check {
    Box exact, region;
    bool bounded() const { return stepwise::bounded(region); }
    /// How far x lies from the exact box, in units of the model's bound on that side: 0 inside
    /// the exact box, 1 at the region's edge, > 1 outside the region.
    /// Where the model adds nothing on a side (a value fixed by the trace's constants, e.g.
    /// eta = eta_max), the unit is the region's half-width.
    real bound_units(real x) const {
        const real half = (region.hi - region.lo) / 2;
        if (x < exact.lo) return (exact.lo - x) / std::max(std::max(exact.lo - region.lo, half), real_tiny);
        if (x > exact.hi) return (x - exact.hi) / std::max(std::max(region.hi - exact.hi, half), real_tiny);
        return 0;
    }
};
inline Check make_check(const Box& exact, real bound) { return {exact, widen(exact, bound)}; }
inline Check make_relative_check(const Box& exact, real r) { return {exact, widen_relative(exact, r)}; }

/// The per-coordinate state the oracle carries from step to step.
struct Carried {
    Box mass{0, 0};            // c of the candidate after the previous step (X15)
    Box weight;                // w for this step
    Box gt{0, 0}, st{0, 0};    // internal gt, st of the previous step (pinned to the record)
    Box phi;                   // phi of the previous step
};

/// The checks of one coordinate's step. `full`: gt and st were recorded (else only phi is
/// checked, from the recorded eta). Sets `next` for the following step.
struct StepChecks {
    std::array<std::optional<Check>, 6> of;  // indexed like Quantity: gt st var Bstar eta phi
};

/// The internal value behind a recorded one: x (1 +- gamma_k).
inline Box pinned(real x, int k, real u) { return relative(x, gamma(k, u)); }

/// g_t as the candidate sees it: the trace's double, which is within u_double of a decimal
/// gradient (JSON) and exact for .npy, then rounded to the candidate's type.
inline Box candidate_gradient(real g, bool decimal, const Constants& k) {
    real r = decimal ? real(0x1p-53L) : 0;
    if (k.u > real(0x1p-53L)) r += k.u;
    return r > 0 ? relative(g, r) : point(g);
}

/// The mean update gt' = gt + (w/c')(g - gt) over the box: multilinear in (gt, w/c', g),
/// so its extremes are at the corners (no interval dependency on gt).
inline Box convex_update(const Box& prev, const Box& rho, const Box& g) {
    Box r{infinity, -infinity};
    for (real p : {prev.lo, prev.hi})
        for (real q : {rho.lo, rho.hi})
            for (real x : {g.lo, g.hi}) r = hull(r, point(p) + point(q) * (point(x) - point(p)));
    return r;
}

/// The exact quantities of the ratio formulas after warm-up, from var and gt^2 boxes.
/// Division by a variance that may be 0 gives +inf (the zero-variance branch: eta_max or the
/// weight limit then decides, accepting either branch inside the band).
inline Box divide_by_variance(const Box& numerator, const Box& var) {
    if (var.lo > 0) return numerator / var;
    if (var.hi > 0) return {down(numerator.lo / var.hi), infinity};
    return {numerator.lo >= 0 ? 0 : -infinity, infinity};
}

/// One coordinate's step t (steps from 1). `c` is updated to the state after the step.
inline StepChecks check_step(std::uint64_t t, const Box& g, const Recorded& rec, bool full, const Constants& k,
                             Carried& c) {
    StepChecks out;
    const real u = k.u;
    const bool warm = t <= k.warmup;
    if (full) {
        // X15 mass c' = c + w (1 - c): increasing in c and in w, so its ends are exact.
        Box mass{1, 1}, rho = c.weight;
        real mass_rounding = 0;
        if (k.bias_correction) {
            const real lo = down(c.mass.lo + down(c.weight.lo * down(1 - c.mass.lo)));
            const real hi = up(c.mass.hi + up(c.weight.hi * up(1 - c.mass.hi)));
            mass_rounding = up(2 * gamma(ModelCounts::mass, u));
            mass = widen({lo, hi}, mass_rounding);
            rho = c.weight / mass;  // the effective weight w/c' of the bias-corrected averages
        }
        const real inverse_mass = k.bias_correction ? up(1 / mass.lo) : 1;
        const Box g2 = square(g);
        {
            // E15: gt' = ((1-w) m + w g)/c' = gt + (w/c')(g - gt) - gt delta/c', delta the
            // rounding of c' (inside `mass`).
            const Box exact = convex_update(c.gt, rho, g);
            const real prev = magnitude(c.gt);
            const real terms = up(up(up(up(1 + c.weight.hi) * up(c.mass.hi * inverse_mass)) * prev) +
                                  up(rho.hi * up(magnitude(g) + prev)) + prev + magnitude(exact));
            const real bound = up(up(gamma(ModelCounts::mean, u) * terms) + up(prev * up(mass_rounding * inverse_mass)));
            out.of[0] = make_check(exact, bound);
        }
        {
            const Box exact = convex_update(c.st, rho, g2);  // E16
            const real prev = magnitude(c.st);
            const real terms = up(up(up(up(1 + c.weight.hi) * up(c.mass.hi * inverse_mass)) * prev) +
                                  up(rho.hi * up(g2.hi + prev)) + prev + magnitude(exact));
            const real bound = up(up(gamma(ModelCounts::second, u) * terms) + up(prev * up(mass_rounding * inverse_mass)));
            out.of[1] = make_check(exact, bound);
        }
        // The internal gt, st of this step, pinned to what was recorded.
        c.gt = pinned(*rec.gt, ModelCounts::recorded_state, u);
        c.st = pinned(*rec.st, ModelCounts::recorded_state, u);
        c.mass = mass;
        // E16 + X11: var = st - gt^2; its rounding is bounded on st + gt^2 (the cancellation).
        const Box gt2 = square(c.gt);
        Box var_exact = c.st - gt2;
        const real var_bound = up(gamma(ModelCounts::variance, u) * up(magnitude(c.st) + gt2.hi));
        Box var_band = widen(var_exact, var_bound);
        if (k.clamp_variance) {
            var_exact = max(var_exact, point(0));
            var_band = max(var_band, point(0));
        }
        if (rec.var) out.of[2] = Check{var_exact, var_band};
        const real ratio = gamma(ModelCounts::ratio, u);
        const Box scale = gt2 + k.epsilon;  // gt^2 + eps
        if (warm) {
            if (rec.batch_star) out.of[3] = make_relative_check(k.warmup_batch, 0);
            out.of[4] = make_check(point(0), 0);
            c.weight = k.warm_weight;
        } else {
            if (rec.batch_star) {
                // E17: Bstar = lambda_B s var/(gt^2 + eps), before any limit.
                const Box exact = k.batch_factor * var_exact / scale;
                const Box band = widen_relative(k.batch_factor * var_band / scale, ratio);
                out.of[3] = Check{exact, hull(band, exact)};
            }
            // E18/E20 + X9: eta = min(eta_max, (lambda_eta/s) gt^2 / var).
            Box eta_exact = divide_by_variance(k.rate_factor * gt2, var_exact);
            Box eta_band = widen_relative(divide_by_variance(k.rate_factor * gt2, var_band), ratio);
            if (k.eta_max) {
                eta_exact = min(eta_exact, *k.eta_max);
                eta_band = min(eta_band, *k.eta_max);
            }
            out.of[4] = Check{eta_exact, hull(eta_band, eta_exact)};
            // E17 + E19 step 1: the next weight B/Bstar = (B/(lambda_B s)) (gt^2 + eps)/var.
            c.weight = limit_weight(widen_relative(divide_by_variance(k.weight_factor * scale, var_band), ratio), k);
        }
    }
    // E20: phi' = phi - eta g, from the recorded eta.
    const Box eta = pinned(*rec.eta, ModelCounts::recorded_rate, u);
    const Box product = eta * g;
    const Box exact = c.phi - product;
    const real bound = up(gamma(ModelCounts::parameter, u) * up(magnitude(c.phi) + magnitude(product)));
    out.of[5] = make_check(exact, bound);
    c.phi = point(*rec.phi);
    return out;
}

}  // namespace quench::oracle::stepwise
