// Section 2 of quench-reproduce: the vector progress guarantee (E25-E28) on random
// quadratics, bound against actual decrease.
//
// Each trial draws a quadratic l(Phi + D) = l(Phi) + g^T D + (1/2) D^T H D with
// H = Q diag(lambda) Q^T, Q an exact Householder reflector and lambda in [-L, L] (so
// ||H x|| <= L ||x||, E24), per-example gradients g_n = g + xi_n with ||xi_n|| = b (uniform
// on the sphere: the E26 hypothesis with equality), a minibatch of k, the radius
// r = concentration_radius(b, delta) (E26), the rate eta = max(0, vector_rate_at_batch)
// (E28), and compares
//   actual change  l(Phi - eta ghat) - l(Phi) = -eta g^T ghat + (eta^2/2) ghat^T H ghat
//   (exact for a quadratic)  with  the bound of E27 (vector_progress_bound).
// Both are enclosed in rigorous interval arithmetic from the double inputs, so "the bound
// is violated" is decided without a tolerance; the bound is only promised when the E26
// event ||ghat - g|| <= r/sqrt(k) holds, and that event is decided the same way.
#include "report.hpp"

#include "support/progress.hpp"
#include "random_deviates.hpp"

#include "quench/interval.hpp"
#include "quench/theory.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

namespace quench::reproduce {
namespace {

using R = quench::rigorous_interval;
namespace th = quench::theory;

R dot(const std::vector<R>& a, const std::vector<R>& b) {
    R s(0);
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

std::vector<R> to_intervals(const std::vector<double>& v) { return std::vector<R>(v.begin(), v.end()); }

}  // namespace

void progress_guarantee_section(const Config& config, Report& report) {
    const std::size_t trials = config.trials ? config.trials : (config.quick ? 400 : 4000);
    const std::size_t dim = 20;
    const double b = 1.0, delta = 0.05;
    examples::Random rng(config.seed + 2);
    tools::Progress bar("progress guarantee (E27)", "trial", trials);

    std::ostringstream csv;
    csv << "trial,k,L,norm_g,norm_ghat,eta,event_holds,bound_decrease_lo,actual_decrease_lo,actual_decrease_hi,verdict\n";
    std::size_t event_certain = 0, event_undecided = 0, violations = 0, undecided = 0, vacuous = 0, held = 0;
    std::size_t outside_event_violations = 0;
    double min_ratio = INFINITY, median_ratio = 0;
    std::vector<double> ratios, xs, ys;
    const R r = th::concentration_radius(R(b), R(delta));
    for (std::size_t trial = 0; trial < trials; ++trial) {
        // The quadratic: lambda in [-L, L], Q = I - 2 v v^T/(v^T v) applied exactly in intervals.
        const double L = std::pow(10.0, -1 + 2 * rng.uniform());
        std::vector<double> lambda(dim), v(dim), g(dim);
        for (auto& x : lambda) x = L * (2 * rng.uniform() - 1);
        lambda[0] = L;  // make L the exact norm of H
        for (auto& x : v) x = rng.normal();
        const double norm_g = b * std::pow(10.0, -0.5 + 2 * rng.uniform());
        double gg = 0;
        for (auto& x : g) { x = rng.normal(); gg += x * x; }
        for (auto& x : g) x *= norm_g / std::sqrt(gg);
        const std::size_t k = static_cast<std::size_t>(std::lround(std::pow(2.0, 8 * rng.uniform())));
        // The minibatch: ghat = g + mean of k noise vectors on the sphere of radius b.
        std::vector<double> ghat(g);
        for (std::size_t n = 0; n < k; ++n) {
            std::vector<double> xi(dim);
            double s = 0;
            for (auto& x : xi) { x = rng.normal(); s += x * x; }
            const double scale = b / std::sqrt(s) / static_cast<double>(k);
            for (std::size_t i = 0; i < dim; ++i) ghat[i] += xi[i] * scale;
        }
        const std::vector<R> G = to_intervals(g), Gh = to_intervals(ghat);
        std::vector<R> diff(dim);
        for (std::size_t i = 0; i < dim; ++i) diff[i] = Gh[i] - G[i];
        const R deviation = sqrt(dot(diff, diff));
        const R allowed = r / sqrt(R(static_cast<double>(k)));
        const bool event = certainly_less(deviation, allowed);
        const bool no_event = certainly_less(allowed, deviation);
        event_certain += event;
        event_undecided += !event && !no_event;

        // E28: the rate, computed in double as a user would, clamped at 0 (vacuous below k0).
        double norm_ghat = 0;
        for (double x : ghat) norm_ghat += x * x;
        norm_ghat = std::sqrt(norm_ghat);
        const double eta = std::max(0.0, th::vector_rate_at_batch(static_cast<double>(k), norm_ghat, quench::upper(r), L));
        if (eta == 0) ++vacuous;
        // Actual change, exact for the quadratic: -eta g.ghat + (eta^2/2) (Q ghat)^T Lambda (Q ghat).
        const std::vector<R> V = to_intervals(v);
        const R vv = dot(V, V), vg = dot(V, Gh);
        R curvature(0);
        for (std::size_t i = 0; i < dim; ++i) {
            const R y = Gh[i] - R(2) * V[i] * vg / vv;  // (Q ghat)_i
            curvature += R(lambda[i]) * y * y;
        }
        const R Eta(eta);
        const R actual = -Eta * dot(G, Gh) + Eta * Eta * curvature / R(2);
        const R bound = th::vector_progress_bound(sqrt(dot(Gh, Gh)), r, R(static_cast<double>(k)), R(L), Eta);
        const bool violated = certainly_less(bound, actual);
        const bool respected = !possibly_less(bound, actual) || quench::upper(actual) <= quench::lower(bound);
        // eta = 0 (vacuous, X4's analogue for E28): both sides are exactly 0, nothing to test.
        std::string verdict = eta == 0 ? "vacuous" : respected ? "holds" : violated ? "VIOLATED" : "undecided";
        if (eta == 0) {
            // counted in `vacuous`
        } else if (event) {
            if (violated) ++violations;
            else if (!respected) ++undecided;
            else ++held;
        } else if (violated) {
            ++outside_event_violations;  // allowed: the guarantee assumes the event
        }
        if (eta > 0) {
            const double bound_dec = -quench::upper(bound), actual_dec = -quench::upper(actual);
            if (bound_dec > 0 && actual_dec > 0) {
                xs.push_back(bound_dec);
                ys.push_back(actual_dec);
                ratios.push_back(actual_dec / bound_dec);
            }
        }
        csv << trial << ',' << k << ',' << L << ',' << norm_g << ',' << norm_ghat << ',' << eta << ','
            << (event ? "yes" : no_event ? "no" : "undecided") << ',' << -quench::upper(bound) << ','
            << -quench::upper(actual) << ',' << -quench::lower(actual) << ',' << verdict << '\n';
        bar.advance();
    }
    bar.finish();
    report.out().write("progress_guarantee.csv", csv.str());
    if (!ratios.empty()) {
        std::sort(ratios.begin(), ratios.end());
        min_ratio = ratios.front();
        median_ratio = ratios[ratios.size() / 2];
    }

    examples::Figure fig;
    fig.title = "E27: guaranteed vs actual decrease on random quadratics";
    fig.xlabel = "guaranteed decrease (E27 at the E28 rate)";
    fig.ylabel = "actual decrease";
    fig.xlog = fig.ylog = true;
    fig.series.push_back({"trials", xs, ys, true, false});
    double lo = INFINITY, hi = 0;
    for (double x : xs) { lo = std::min(lo, x); hi = std::max(hi, x); }
    if (!xs.empty()) fig.series.push_back({"actual = guaranteed", {lo, hi}, {lo, hi}, false, true});
    report.figure("progress_guarantee", fig);

    report.markdown(format(
        "## 2. The progress guarantee on random quadratics (E24-E28)\n\n"
        "%zu random quadratics in d = %zu (eigenvalues in [-L, L], L log-uniform in [0.1, 10], ||g|| "
        "log-uniform in [0.3, 30] b), minibatches of k in [1, 256] examples whose noise has norm exactly b = 1, "
        "delta = %.2f. The rate is E28's, clamped at 0 (%zu trials were vacuous: k below r^2/||ghat||^2). "
        "Actual and guaranteed changes are enclosed in rigorous interval arithmetic.\n\n"
        "| quantity | count |\n|---|---|\n"
        "| trials where the E26 event certainly holds | %zu (undecided: %zu) |\n"
        "| ... of which eta > 0 and the E27 bound certainly holds | %zu |\n"
        "| ... of which the E27 bound is certainly violated | %zu |\n"
        "| ... undecided | %zu |\n"
        "| violations outside the E26 event (not covered by the guarantee) | %zu |\n"
        "| actual / guaranteed decrease: minimum, median | %.3g, %.3g |\n\n"
        "![E27](progress_guarantee.svg)\n\n"
        "%s Data: `progress_guarantee.csv`.\n\n",
        trials, dim, delta, vacuous, event_certain, event_undecided, held, violations, undecided,
        outside_event_violations, min_ratio, median_ratio,
        violations == 0 ? "No trial with the E26 event has its actual decrease below the guaranteed one."
                        : "SOME TRIALS VIOLATE THE GUARANTEE: see the CSV."));
    report.summary(format("E27: bound held in %zu of %zu trials with the E26 event, %zu violations; "
                          "actual/guaranteed >= %.3g (median %.3g)",
                          held, event_certain, violations, min_ratio, median_ratio));
    report.macro("PgTrials", std::to_string(trials));
    report.macro("PgDim", std::to_string(dim));
    report.macro("PgEvent", std::to_string(event_certain));
    report.macro("PgHeld", std::to_string(held));
    report.macro("PgViolations", std::to_string(violations));
    report.macro("PgUndecided", std::to_string(undecided));
    report.macro("PgVacuous", std::to_string(vacuous));
    report.macro("PgMinRatio", format("%.3g", min_ratio));
    report.macro("PgMedianRatio", format("%.3g", median_ratio));
    report.claim("E27", "on random quadratics, whenever the E26 event holds, the actual decrease is at least E27's",
                 violations == 0 && held > 0,
                 format("%zu certain violations in %zu trials with the event", violations, event_certain));
}

}  // namespace quench::reproduce
