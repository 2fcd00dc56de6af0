// The progress guarantee: docs/spec.md E11 (one dimension) and E27 (vectors). Whenever the
// gradient estimate is within the radius (|ghat - g| <= 2 sigmahat/sqrt(B), resp.
// ||ghat - g|| <= r/sqrt(k)), the true change of a quadratic loss with curvature bounded by
// L after the step -eta ghat is at most the core's progress_bound / vector_progress_bound,
// for every eta >= 0.
//
// "For every eta": both sides are exact quadratics in eta with no constant term, so the
// slack f(eta) = bound - change = a eta + c eta^2 is determined by f(1) and f(2); the claim
// holds for all eta >= 0 iff a >= 0 and c >= 0. Both coefficients are enclosed from the
// core's bound at eta = 1 and 2, and a drawn eta is checked directly as well.
#include "generators.hpp"
#include "rigorous.hpp"

#include <quench/theory.hpp>

#include <cmath>
#include <vector>

namespace {

using namespace quench::props;
namespace qg = quench::props::gen;

rc::Gen<double> signed_fraction() {
    return rc::gen::map(rc::gen::pair(qg::unit_fraction(), rc::gen::arbitrary<bool>()),
                        [](std::pair<double, bool> p) { return p.second ? -p.first : p.first; });
}

/// A batch size: a perfect square (sqrt exact, so the radius can be hit exactly) or any
/// magnitude.
rc::Gen<double> batch_size() {
    return rc::gen::weightedOneOf<double>(
        {{1, rc::gen::map(rc::gen::inRange(1, 65), [](int k) { return static_cast<double>(k * k); })},
         {1, qg::magnitude()}});
}

/// A step size eta >= 0: zero, a magnitude, or a multiple of 1/L (the scale of eta*).
rc::Gen<double> step_size(double L) {
    return rc::gen::weightedOneOf<double>(
        {{1, rc::gen::just(0.0)}, {3, qg::magnitude()},
         {3, rc::gen::map(qg::unit_fraction(), [L](double s) { return 2 * s / L; })}});
}

/// The verdict for "slack(eta) >= 0 at the drawn eta and for every eta >= 0", from a
/// callable slack(eta) evaluated in T.
template <class T, class Slack>
Verdict for_every_eta(const Slack& slack, double eta) {
    const T f1 = slack(T(1)), f2 = slack(T(2));
    const T c = T((f2 - T(2) * f1) / T(2));
    const T a = T(f1 - c);
    return both(leq(T(0), slack(T(eta))), both(leq(T(0), a), leq(T(0), c)));
}

}  // namespace

// E11 with loss'' = h, |h| <= L: change = -g eta ghat + h (eta ghat)^2/2.
QUENCH_PROPERTY(Progress, E11_one_dimension, case_count(), ()) {
    const double L = *qg::magnitude();
    const double s = *signed_fraction();
    const double sigma = *rc::gen::weightedOneOf<double>({{1, rc::gen::just(0.0)}, {7, qg::magnitude()}});
    const double B = *batch_size();
    const double ghat = *qg::signed_magnitude();
    // g on, inside or (an ulp) around the boundary of the interval ghat +- 2 sigma/sqrt(B).
    const double t = *signed_fraction();
    const double g = qg::ulps_away(ghat + t * 2 * sigma / std::sqrt(B), *qg::ulp_offset());
    const double eta = *step_size(L);
    RC_PRE(std::isfinite(g));
    bool unmet = false;
    const Verdict v = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const T radius = quench::theory::gradient_confidence_radius(T(sigma), T(B));
        const Verdict hypothesis = leq(T(quench::abs(T(T(ghat) - T(g)))), radius);
        unmet = hypothesis == Verdict::violated;
        if (hypothesis != Verdict::holds) return hypothesis == Verdict::violated ? Verdict::holds : hypothesis;
        const T h = T(L) * T(s);
        auto slack = [&](const T& e) {
            const T change = T(-T(g) * e * T(ghat) + h * e * e * T(ghat) * T(ghat) / T(2));
            return T(quench::theory::progress_bound(T(ghat), T(sigma), T(B), T(L), e) - change);
        };
        return for_every_eta<T>(slack, eta);
    });
    if (unmet) record_hypothesis_unmet();
    RC_ASSERT(v != Verdict::violated);
}

// E27: l(Phi - eta ghat) - l(Phi) = -eta g^T ghat + eta^2 ghat^T H ghat / 2 for a quadratic
// with spectrum of H in [-L, L].
QUENCH_PROPERTY(Progress, E27_vector, case_count(), ()) {
    const int d = *qg::dimension();
    const auto m = *qg::symmetric_matrix(d, false);
    const auto ghat = *qg::vector(d, qg::signed_magnitude());
    const double r = *rc::gen::weightedOneOf<double>({{1, rc::gen::just(0.0)}, {7, qg::magnitude()}});
    const double k = *batch_size();
    const auto u = *qg::vector(d);
    const double t = *qg::unit_fraction();
    double uu = 0;
    for (double x : u) uu += x * x;
    std::vector<double> g(ghat);
    if (uu > 0)
        for (int i = 0; i < d; ++i) g[i] = ghat[i] + t * (r / std::sqrt(k)) * u[i] / std::sqrt(uu);
    const double eta = *step_size(m.L);
    bool unmet = false;
    const Verdict v = decide([&](auto type) {
        using T = typename decltype(type)::type;
        T dev2(0), norm2(0), g_dot_ghat(0);
        for (int i = 0; i < d; ++i) {
            dev2 += (T(ghat[i]) - T(g[i])) * (T(ghat[i]) - T(g[i]));
            norm2 += T(ghat[i]) * T(ghat[i]);
            g_dot_ghat += T(g[i]) * T(ghat[i]);
        }
        const Verdict hypothesis = leq(dev2, T(T(r) * T(r) / T(k)));
        unmet = hypothesis == Verdict::violated;
        if (hypothesis != Verdict::holds) return hypothesis == Verdict::violated ? Verdict::holds : hypothesis;
        const std::vector<T> h = qg::matrix_entries<T>(m);
        T curvature(0);  // ghat^T H ghat
        for (int i = 0; i < d; ++i)
            for (int j = 0; j < d; ++j) curvature += T(ghat[i]) * h[i * d + j] * T(ghat[j]);
        const T norm = quench::sqrt(norm2);
        auto slack = [&](const T& e) {
            const T change = T(-e * g_dot_ghat + e * e * curvature / T(2));
            return T(quench::theory::vector_progress_bound(norm, T(r), T(k), T(m.L), e) - change);
        };
        return for_every_eta<T>(slack, eta);
    });
    if (unmet) record_hypothesis_unmet();
    RC_ASSERT(v != Verdict::violated);
}
