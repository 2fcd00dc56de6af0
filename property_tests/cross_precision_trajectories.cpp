// Cross-precision of whole trajectories of step(), judged by the certified bounds
// of proofs/rounding/README.md, which are stated against an exact replay, not against the
// exact-real algorithm (whose weights, computed from var with sensitivity kappa_D, differ
// from the double run's: no a-priori bound exists for that comparison).
//
// For every step of a random double run, the double state before the step is taken as
// exact input and the step is replayed in mpfr_float_100 by the core's own
// update_coordinate with the double run's step constants:
//   * one step from exact inputs ("Per-step bounds"): mass c', mean m', second v', D, eta,
//     the next weight w and phi (E15-E20, X8-X15), with kappa_M, kappa_D, kappa_N;
//     Bstar (E17, step_batch_star.g) and the accessors gt, var (accessor_*.g) on the
//     doubles they read;
//   * over t steps ("Over t steps"): m_t, v_t, c_t replayed from the start with the SAME
//     weights w_t, against the certified recurrence E_t <= (1 - w_t) E_{t-1} + b_t
//     (RoundingGlue.v average_propagation); D_t and eta_t by the per-step composition with
//     the propagated errors; phi_t replayed with the SAME rates eta_t, whose error is the
//     sum of the per-step E20 bounds (parameter_error, triangle inequality).
// A coordinate whose inputs leave a bound's ranges (certified_bounds.hpp Range constants)
// is skipped and counted, and its t-step recurrence stops there.
// Independently, the double run and an mpfr_float_100 run of the same trajectory must
// throw alike and the double run must never produce NaN; how far the two runs drift apart
// is reported in ulps only (no bound exists).
#include "bound_ratio.hpp"
#include "core_functions.hpp"

#include <cfloat>
#include <sstream>

namespace {

using namespace quench::props;
namespace qc = quench::certified;
using quench::detail::CoordinateUpdate;
using quench::detail::StepConstants;

mpfr100 X(double d) { return mpfr100(d); }
mpfr100 U(double coefficient) { return mpfr100(coefficient); }

/// The exact replay's constants: the double run's constants, as exact inputs (the bounds
/// take the double factors as given), and the double variance floor DBL_MIN.
StepConstants<mpfr100> exact_constants(const Trajectory& t, const StepConstants<double>& kd) {
    StepConstants<mpfr100> k(trajectory_hyperparameters<mpfr100>(t));
    k.rate_factor = X(kd.rate_factor);
    k.weight_factor = X(kd.weight_factor);
    k.batch_factor = X(kd.batch_factor);
    k.epsilon = X(kd.epsilon);
    k.warm_weight = X(kd.warm_weight);
    k.variance_floor = X(DBL_MIN);
    k.max_weight.reset();
    if (kd.max_weight) k.max_weight = X(*kd.max_weight);
    k.weight_limit = X(kd.weight_limit);
    k.eta_max.reset();
    if (kd.eta_max) k.eta_max = X(*kd.eta_max);
    // The tempering floors as the double run holds them (-infinity where unset).
    k.eta_min.reset();
    if (kd.eta_min) k.eta_min = X(*kd.eta_min);
    k.min_weight.reset();
    if (kd.min_weight) k.min_weight = X(*kd.min_weight);
    k.eta_floor = X(kd.eta_floor);
    k.weight_floor = X(kd.weight_floor);
    k.warmup_batch = X(kd.warmup_batch);
    return k;
}

/// One coordinate's values around one step of the double run.
struct Coordinate {
    double w, c0, m0, v0, g, phi0;  // before (c0 = 1 without bias correction)
    double c1, m1, v1, w1, eta1, bstar1, phi1, gt1, var1;  // after
};

template <bool Warm, bool Bias>
CoordinateUpdate<mpfr100> exact_update(const StepConstants<mpfr100>& k, const mpfr100& g, const mpfr100& m,
                                       const mpfr100& v, const mpfr100& c, const mpfr100& w) {
    return quench::detail::update_coordinate<mpfr100, Warm, Bias>(k, g, m, v, c, w);
}
CoordinateUpdate<mpfr100> exact_update(bool warm, bool bias, const StepConstants<mpfr100>& k, const mpfr100& g,
                                       const mpfr100& m, const mpfr100& v, const mpfr100& c, const mpfr100& w) {
    if (warm) return bias ? exact_update<true, true>(k, g, m, v, c, w) : exact_update<true, false>(k, g, m, v, c, w);
    return bias ? exact_update<false, true>(k, g, m, v, c, w) : exact_update<false, false>(k, g, m, v, c, w);
}
/// D as the double step computed it (the core's update_coordinate, bit-identical to step()).
double double_scaled_variance(bool bias, const StepConstants<double>& k, const Coordinate& x) {
    return bias ? quench::detail::update_coordinate<double, true, true>(k, x.g, x.m0, x.v0, x.c0, x.w).scaled_variance
                : quench::detail::update_coordinate<double, true, false>(k, x.g, x.m0, x.v0, x.c0, x.w).scaled_variance;
}

/// The per-formula hypotheses of the averages' update (step_mass/mean/second.g).
bool averages_inside(const Coordinate& x) {
    return qc::weight_range.contains(x.w) && zero_or_in(qc::mass_range, x.c0) && zero_or_in(qc::value_range, x.m0) &&
           zero_or_in(qc::value_range, x.g) && zero_or_in(qc::second_range, x.v0);
}

/// The propagated state of one coordinate (exact replay with the run's weights and rates).
struct Replay {
    bool valid = true;
    mpfr100 m = 0, v = 0, c = 0, phi = 0;      // exact replay
    mpfr100 Em = 0, Ev = 0, Ec = 0, Ephi = 0;  // certified error bounds
};

double largest_kappa_D = 0;

template <class Where>
void check_one_step(const Trajectory& t, bool warm, const StepConstants<double>& kd, const StepConstants<mpfr100>& kx,
                    const quench::Hyperparameters<mpfr100>& hx, const Coordinate& x, Where&& where) {
    const bool bias = t.bias_correction;
    if (!averages_inside(x)) {
        for (const char* q : {"step: mass c'", "step: mean m'", "step: second v'", "step: D", "step: eta",
                              "step: next weight w", "step: phi"})
            skip_bound(q, "w, c, m, v or g outside its Range");
        return;
    }
    const mpfr100 w = X(x.w), g = X(x.g);
    const CoordinateUpdate<mpfr100> u = exact_update(warm, bias, kx, g, X(x.m0), X(x.v0), X(x.c0), w);
    const mpfr100 S_m = (1 - w) * abs(X(x.m0)) + w * abs(g);
    if (bias) check_bound("step: mass c'", x.c1, u.mass, qc::mass_rel * u.mass, where);
    check_bound("step: mean m'", x.m1, u.mean, qc::mean_abs * S_m, where);
    check_bound("step: second v'", x.v1, u.second, qc::second_rel * u.second, where);
    const double D1 = double_scaled_variance(bias, kd, x);
    const mpfr100 CV_S = u.mass * u.second + S_m * S_m;
    check_bound("step: D", D1, u.scaled_variance, qc::step_variance_abs * CV_S, where);
    if (!warm) {
        // eta and w need kappa_D < 1/step_variance_abs and both D's outside the floor.
        const mpfr100& Dx = u.scaled_variance;
        const bool divisor_ok = qc::divisor_range.contains(D1) && Dx >= DBL_MIN && u.mean != 0;
        const mpfr100 kappa_D = divisor_ok ? mpfr100(CV_S / Dx) : mpfr100(0);
        const mpfr100 shrink = 1 - qc::step_variance_abs * kappa_D;
        const bool eta_ok = divisor_ok && shrink > 0 && qc::factor_range.contains(kd.rate_factor) &&
                            qc::value_range.contains(std::fabs(x.m1));
        if (divisor_ok) largest_kappa_D = std::max(largest_kappa_D, static_cast<double>(kappa_D));
        const char* why = u.mean == 0        ? "M = 0: eta* = 0, no relative bound (kappa_M infinite)"
                          : Dx < DBL_MIN     ? "D* = 0 (var = 0: equal gradients so far, or X14 absorbing state w = 1 without max_weight)"
                          : !qc::divisor_range.contains(D1) ? "double D outside divisor_range"
                          : shrink <= 0      ? "kappa_D >= 1/step_variance_abs"
                                             : "factor or |m'| outside its Range";
        mpfr100 delta_eta = 0;
        if (eta_ok) {
            const mpfr100 kappa_M = S_m / abs(u.mean);
            delta_eta = (1 + U(qc::rate_rel)) * pow(1 + qc::mean_abs * kappa_M, 2) / shrink - 1;
            // The X9 min and the tempering max keep a relative bound: |max(a, f) - max(b, f)| <= |a - b|.
            check_bound("step: eta", x.eta1, u.eta, delta_eta * u.eta, where);
        } else {
            skip_bound("step: eta", why);
        }
        const mpfr100 eps_c2 = kx.epsilon * u.mass * u.mass;
        if (divisor_ok && shrink > 0 && qc::factor_range.contains(kd.weight_factor) &&
            qc::epsilon_range.contains(kd.epsilon)) {
            const mpfr100 kappa_N = (S_m * S_m + eps_c2) / (u.mean * u.mean + eps_c2);
            const mpfr100 delta_w = (1 + U(qc::weight_rel)) * (1 + qc::step_numerator_rel * kappa_N) / shrink - 1;
            check_bound("step: next weight w", x.w1, u.weight, delta_w * u.weight, where);  // X8/X14 mins, the floor keep it
        } else {
            skip_bound("step: next weight w", why);
        }
        // E20: |phi' - (phi - eta* g)| <= 2.000001 u (|phi| + eta'|g|) + |g| eta* delta_eta.
        if (eta_ok && zero_or_in(qc::eta_range, x.eta1)) {
            check_bound("step: phi", x.phi1, X(x.phi0) - u.eta * g,
                        qc::parameter_abs * (abs(X(x.phi0)) + X(x.eta1) * abs(g)) + abs(g) * u.eta * delta_eta, where);
        } else {
            skip_bound("step: phi", eta_ok ? "eta outside eta_range" : why);
        }
        // E17 reported Bstar on the doubles it reads (step_batch_star.g).
        if (qc::factor_range.contains(kd.batch_factor) && zero_or_in(qc::divisor_range, D1) &&
            zero_or_in(qc::value_range, x.m1) && qc::mass_range.contains(x.c1) && qc::epsilon_range.contains(kd.epsilon)) {
            CoordinateUpdate<mpfr100> read{};
            read.mass = X(x.c1);
            read.mean = X(x.m1);
            read.scaled_variance = X(D1);
            const mpfr100 b = bias ? quench::detail::reported_batch_star<mpfr100, false, true>(kx, read)
                                   : quench::detail::reported_batch_star<mpfr100, false, false>(kx, read);
            check_bound("step: Bstar (reported)", x.bstar1, b, qc::batch_star_rel * b, where);
        } else {
            skip_bound("step: Bstar (reported)");
        }
    }
    // Accessors on the state after the step (accessor_mean.g, accessor_variance.g + D).
    quench::State<mpfr100> read;
    read.mean = {X(x.m1)};
    read.second = {X(x.v1)};
    if (bias) read.mass = {X(x.c1)};
    read.weight = {X(x.w1)};
    if (zero_or_in(qc::accessor_range, x.m1) && qc::mass_range.contains(x.c1)) {
        const mpfr100 gt = quench::running_mean(read, 0);
        check_bound("accessor: gt = m/c", x.gt1, gt, qc::running_mean_rel * abs(gt), where);
    } else {
        skip_bound("accessor: gt = m/c");
    }
    if (zero_or_in(qc::accessor_range, x.m1) && zero_or_in(qc::accessor_range, x.v1) &&
        zero_or_in(qc::accessor_range, D1) && qc::mass_range.contains(x.c1)) {
        const mpfr100 c = X(x.c1), S = c * X(x.v1) + X(x.m1) * X(x.m1);
        // |var' - D'/c^2| <= running_variance_rel D'/c^2 (D' the double D), plus the
        // certified error of D' itself, variance_abs (c v + m^2), divided by c^2.
        const mpfr100 bound = bias ? mpfr100((qc::running_variance_rel * X(D1) + qc::variance_abs * S) / (c * c))
                                   : mpfr100(qc::variance_abs * S);
        check_bound("accessor: var = D/c^2", x.var1, quench::running_variance(read, hx, 0), bound, where);
    } else {
        skip_bound("accessor: var = D/c^2");
    }
}

/// The t-step recurrences of one coordinate, after the double step that produced x.
template <class Where>
void check_propagated(const Trajectory& t, bool warm, const StepConstants<double>& kd,
                      const StepConstants<mpfr100>& kx, const Coordinate& x, Replay& r, Where&& where) {
    const bool bias = t.bias_correction;
    const char* names[] = {"t steps: mean m_t", "t steps: second v_t", "t steps: mass c_t", "t steps: D_t",
                           "t steps: eta_t", "t steps: phi_t (same rates)"};
    if (r.valid && !(averages_inside(x) && zero_or_in(qc::eta_range, x.eta1))) r.valid = false;
    if (!r.valid) {
        for (const char* q : names)
            if (bias || q != names[2]) skip_bound(q, "an earlier step left the per-step Ranges");
        return;
    }
    const mpfr100 w = X(x.w), g = X(x.g), keep = 1 - w;
    // Certified per-step bounds at the computed previous values, then average_propagation.
    r.Em = keep * r.Em + qc::mean_abs * (keep * abs(X(x.m0)) + w * abs(g));
    r.Ev = keep * r.Ev + qc::second_rel * (keep * X(x.v0) + w * g * g);
    if (bias) r.Ec = keep * r.Ec + qc::mass_rel * (keep * X(x.c0) + w);
    // The exact replay with the same weight: the core's averaging (warm path: no division).
    const CoordinateUpdate<mpfr100> u = exact_update(true, bias, kx, g, r.m, r.v, r.c, w);
    r.m = u.mean;
    r.v = u.second;
    r.c = u.mass;
    check_bound(names[0], x.m1, r.m, r.Em, where);
    check_bound(names[1], x.v1, r.v, r.Ev, where);
    if (bias) check_bound(names[2], x.c1, r.c, r.Ec, where);
    // D_t: the certified D bound at the computed (c', v', m') plus the propagated errors of
    // c'v' and m'^2: |c'v' - c v| <= c' Ev + v Ec, |m'^2 - m^2| <= Em (2|m| + Em).
    const double D1 = double_scaled_variance(bias, kd, x);
    const mpfr100 c1 = X(x.c1), v1 = X(x.v1), m1 = X(x.m1);
    const mpfr100& Dx = u.scaled_variance;
    const mpfr100 dD = qc::variance_abs * (c1 * v1 + m1 * m1) + c1 * r.Ev + r.v * r.Ec + r.Em * (2 * abs(r.m) + r.Em);
    check_bound(names[3], D1, Dx, dD, where);
    if (!warm && Dx > 0 && dD < Dx / 2 && r.m != 0 && qc::divisor_range.contains(D1) &&
        qc::factor_range.contains(kd.rate_factor) && qc::value_range.contains(std::fabs(x.m1))) {
        mpfr100 eta_x = kx.rate_factor * r.m * r.m / Dx;
        if (kx.eta_max) eta_x = quench::min(eta_x, *kx.eta_max);  // the min keeps a relative bound
        eta_x = quench::max(eta_x, kx.eta_floor);  // tempering (-inf when unset): so does the max
        const mpfr100 rel = (1 + U(qc::rate_rel)) * pow(1 + r.Em / abs(r.m), 2) / (1 - dD / Dx) - 1;
        check_bound(names[4], x.eta1, eta_x, rel * eta_x, where);
    } else if (!warm) {
        skip_bound(names[4], r.m == 0 ? "m_t = 0: eta* = 0, no relative bound"
                             : !(Dx > 0) ? "D_t = 0 (var = 0: equal gradients so far, or X14 absorbing state)"
                             : !(dD < Dx / 2) ? "propagated error of D_t >= D_t/2 (kappa_D too large)"
                                              : "double D or |m'| outside its Range");
    }
    // phi_t with the run's own rates: phi*_t = phi*_{t-1} - eta'_t g_t; the per-step E20
    // bound at the computed (phi', eta') adds up (triangle inequality).
    r.Ephi += qc::parameter_abs * (abs(X(x.phi0)) + abs(X(x.eta1) * g));
    r.phi = r.phi - X(x.eta1) * g;
    check_bound(names[5], x.phi1, r.phi, r.Ephi, where);
}

/// The independent runs: same throws, no NaN, drift reported in ulps (no bound exists).
bool independent_runs_agree(const Trajectory& t) {
    std::vector<StepRecord<mpfr100>> expected;
    std::vector<StepRecord<double>> got;
    bool ref_threw = false, dbl_threw = false;
    try {
        expected = run_trajectory<mpfr100>(t);
    } catch (const std::exception&) {
        ref_threw = true;  // counted; the double run must have thrown too (asserted below)
        record_reference_exception();
    }
    try {
        got = run_trajectory<double>(t);
    } catch (const std::exception&) {
        dbl_threw = true;
    }
    RC_ASSERT(ref_threw == dbl_threw);
    if (ref_threw) return false;
    auto where = [&t] {
        std::ostringstream s;
        s << t;
        return s.str();
    };
    for (std::size_t s = 0; s < got.size(); ++s)
        for (std::size_t o = 0; o < trajectory_output_names.size(); ++o)
            for (int i = 0; i < t.d; ++i) {
                const double value = output(got[s], o)[i];
                RC_ASSERT(!std::isnan(value));
                observe_ulps(std::string("vs exact-real algorithm: ") + trajectory_output_names[o], value,
                             output(expected[s], o)[i], where);
            }
    return true;
}

void trajectories_within_certified_bounds() {
    const auto t = *trajectory();
    if (!independent_runs_agree(t)) return;
    const auto hd = trajectory_hyperparameters<double>(t);
    const auto hx = trajectory_hyperparameters<mpfr100>(t);
    const StepConstants<double> kd(hd);
    const StepConstants<mpfr100> kx = exact_constants(t, kd);
    const std::size_t d = static_cast<std::size_t>(t.d);
    quench::State<double> st(d, hd);
    std::vector<double> phi(d, 0.0), g(d), eta(d), bstar(d);
    std::vector<Replay> replay(d);
    for (std::size_t s = 0; s < t.gradients.size(); ++s) {
        const bool warm = st.t + 1 <= hd.warmup;
        std::vector<Coordinate> x(d);
        for (std::size_t i = 0; i < d; ++i) {
            g[i] = t.gradients[s][i];
            x[i] = Coordinate{st.weight[i], t.bias_correction ? st.mass[i] : 1.0, st.mean[i], st.second[i], g[i], phi[i],
                              0, 0, 0, 0, 0, 0, 0, 0, 0};
        }
        quench::step<double>(st, hd, std::span<const double>(g), std::span<double>(phi),
                             quench::StepOutputs<double>{std::span<double>(eta), std::span<double>(bstar)});
        for (std::size_t i = 0; i < d; ++i) {
            Coordinate& c = x[i];
            c.c1 = t.bias_correction ? st.mass[i] : 1.0;
            c.m1 = st.mean[i];
            c.v1 = st.second[i];
            c.w1 = st.weight[i];
            c.eta1 = eta[i];
            c.bstar1 = bstar[i];
            c.phi1 = phi[i];
            c.gt1 = quench::running_mean(st, i);
            c.var1 = quench::running_variance(st, hd, i);
            auto where = [&t, s, i] {
                std::ostringstream o;
                o << "step " << s + 1 << ", coordinate " << i << " of " << t;
                return o.str();
            };
            check_one_step(t, warm, kd, kx, hx, c, where);
            check_propagated(t, warm, kd, kx, c, replay[i], where);
        }
    }
}

}  // namespace

TEST(CrossPrecision, trajectories_within_certified_bounds) {
    largest_kappa_D = 0;
    run_property("CrossPrecision/trajectories_within_certified_bounds", &trajectories_within_certified_bounds,
                 case_count());
    std::cout << "[cross-precision] largest kappa_D = (C V + S_m^2)/D met after warm-up: " << largest_kappa_D
              << '\n';
    ::testing::Test::RecordProperty("largest_kappa_D", std::to_string(largest_kappa_D));
    ASSERT_FALSE(observed().empty());
    report_bounds("trajectories");
}
