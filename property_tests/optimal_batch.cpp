// The optimal rate and batch size: docs/spec.md E21/E22 (and E28 for vectors) - eta*(B) minimises the
// right side of E11; E23/E12 with the domain of X4 - B* = 16 sigma^2/g^2 maximises
// eta*(B)^2/B over B >= 4 sigma^2/g^2 with eta*(B*) = 1/(2L), while smaller batches beat it
// (so the domain matters); E29 - k* for the vector case; E13 - the linear scaling rule.
#include "generators.hpp"
#include "rigorous.hpp"

#include <quench/theory.hpp>

#include <cmath>
#include <vector>

namespace {

using namespace quench::props;
namespace qg = quench::props::gen;
namespace th = quench::theory;

/// A value near x: x itself (rounded), a few ulps away, or scaled by a signed factor.
double near(double x) {
    const int kind = *rc::gen::inRange(0, 3);
    if (kind == 0) return qg::ulps_away(x, *qg::ulp_offset());
    const double f = *qg::factor_at_least_one();
    return kind == 1 ? x * f : x / f;
}

/// ||v|| enclosed in T.
template <class T>
T norm(const std::vector<double>& v) {
    T s(0);
    for (double x : v) s += T(x) * T(x);
    return quench::sqrt(s);
}

}  // namespace

// E21: no eta gives a lower value of E11's right side than eta*(B) (any B > 0, any sign).
QUENCH_PROPERTY(OptimalBatch, E21_rate_minimises_E11, case_count(), ()) {
    const double L = *qg::magnitude(), B = *qg::magnitude(), ghat = *qg::signed_magnitude();
    const double sigma = *rc::gen::weightedOneOf<double>({{1, rc::gen::just(0.0)}, {7, qg::magnitude()}});
    const double eta_star = th::rate_at_batch(B, ghat, sigma, L);
    const double eta = *rc::gen::weightedOneOf<double>({{1, qg::value()}, {3, rc::gen::just(near(eta_star))}});
    RC_PRE(std::isfinite(eta));
    const Verdict v = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const T best = th::rate_at_batch(T(B), T(ghat), T(sigma), T(L));
        return leq(th::progress_bound(T(ghat), T(sigma), T(B), T(L), best),
                   th::progress_bound(T(ghat), T(sigma), T(B), T(L), T(eta)));
    });
    RC_ASSERT(v != Verdict::violated);
}

// E22: at eta*(B) the right side of E11 is -(L/2) eta*(B)^2 ghat^2 (an identity; with the
// sqrt of B it rounds, so intervals can only refute it).
QUENCH_PROPERTY(OptimalBatch, E22_value_at_optimal_rate, case_count(), ()) {
    const double L = *qg::magnitude(), B = *qg::magnitude(), ghat = *qg::signed_magnitude();
    const double sigma = *rc::gen::weightedOneOf<double>({{1, rc::gen::just(0.0)}, {7, qg::magnitude()}});
    const Verdict v = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const T eta = th::rate_at_batch(T(B), T(ghat), T(sigma), T(L));
        return equal(th::progress_bound(T(ghat), T(sigma), T(B), T(L), eta),
                     T(-th::guaranteed_decrease(eta, T(ghat), T(L))));
    }, true);
    RC_ASSERT(v != Verdict::violated);
}

// E28: eta(k) = (1/L)(1 - r/(||ghat|| sqrt(k))) minimises E27's right side, where it equals
// -(L/2) eta^2 ||ghat||^2 (X6: the slides' sign typo corrected).
QUENCH_PROPERTY(OptimalBatch, E28_vector_rate_minimises_E27, case_count(), ()) {
    const int d = *qg::dimension();
    const auto ghat = *qg::vector(d, qg::signed_magnitude());
    const double L = *qg::magnitude(), k = *qg::magnitude();
    const double r = *rc::gen::weightedOneOf<double>({{1, rc::gen::just(0.0)}, {7, qg::magnitude()}});
    double n = 0;
    for (double x : ghat) n += x * x;
    const double eta = near(th::vector_rate_at_batch(k, std::sqrt(n), r, L));
    RC_PRE(std::isfinite(eta));
    const Verdict minimal = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const T nrm = norm<T>(ghat);
        const T best = th::vector_rate_at_batch(T(k), nrm, T(r), T(L));
        return leq(th::vector_progress_bound(nrm, T(r), T(k), T(L), best),
                   th::vector_progress_bound(nrm, T(r), T(k), T(L), T(eta)));
    });
    const Verdict value = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const T nrm = norm<T>(ghat);
        const T best = th::vector_rate_at_batch(T(k), nrm, T(r), T(L));
        return equal(th::vector_progress_bound(nrm, T(r), T(k), T(L), best),
                     T(-T(L) / T(2) * best * best * nrm * nrm));
    }, true);
    RC_ASSERT(minimal != Verdict::violated);
    RC_ASSERT(value != Verdict::violated);
}

// E23/E12 on the domain B >= 4 sigma^2/g^2 (X4): eta*(B)^2/B <= its value at B*, B* is in the
// domain, and eta*(B*) = 1/(2L). B is drawn at, an ulp around, or above the domain's edge
// and around B*.
QUENCH_PROPERTY(OptimalBatch, E12_optimal_batch_maximises_E23_on_its_domain, case_count(), ()) {
    const double L = *qg::magnitude(), g = *qg::signed_magnitude(), sigma = *qg::magnitude();
    const bool around_optimum = *rc::gen::arbitrary<bool>();
    const double B = around_optimum ? near(th::optimal_batch(sigma, g))
                                    : qg::ulps_away(th::vacuous_batch_threshold(sigma, g), *qg::ulp_offset()) *
                                          *qg::factor_at_least_one();
    RC_PRE(std::isfinite(B) && B > 0);
    bool unmet = false;
    const Verdict maximal = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const Verdict in_domain = leq(th::vacuous_batch_threshold(T(sigma), T(g)), T(B));
        unmet = in_domain == Verdict::violated;
        if (in_domain != Verdict::holds) return in_domain == Verdict::violated ? Verdict::holds : in_domain;
        const T best = th::optimal_batch(T(sigma), T(g));
        return both(leq(th::progress_per_example(T(B), T(g), T(sigma), T(L)),
                        th::progress_per_example(best, T(g), T(sigma), T(L))),
                    leq(th::vacuous_batch_threshold(T(sigma), T(g)), best));
    });
    const Verdict rate = decide([&](auto type) {
        using T = typename decltype(type)::type;
        return equal(th::rate_at_batch(th::optimal_batch(T(sigma), T(g)), T(g), T(sigma), T(L)),
                     th::optimal_rate(T(L)));
    }, true);
    if (unmet) record_hypothesis_unmet();
    RC_ASSERT(maximal != Verdict::violated);
    RC_ASSERT(rate != Verdict::violated);
}

// X4: below the domain the ratio is larger than at B*: for B <= sigma^2/g^2 (a quarter of
// the domain's edge) eta*(B)^2/B > eta*(B*)^2/B* certainly (there 2 sigma/(|g| sqrt B) >= 2,
// so the ratio is at least 64 times its value at B*).
QUENCH_PROPERTY(OptimalBatch, X4_small_batches_exceed_the_optimum, case_count(), ()) {
    const double L = *qg::magnitude(), g = *qg::signed_magnitude(), sigma = *qg::magnitude();
    const double s = *qg::unit_fraction();
    const double B = th::vacuous_batch_threshold(sigma, g) / 4 * s;
    RC_PRE(B > 0 && std::isfinite(B));
    bool unmet = false;
    const Verdict v = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const Verdict small = leq(T(B), T(th::vacuous_batch_threshold(T(sigma), T(g)) / T(4)));
        unmet = small == Verdict::violated;
        if (small != Verdict::holds) return small == Verdict::violated ? Verdict::holds : small;
        return less(th::progress_per_example(th::optimal_batch(T(sigma), T(g)), T(g), T(sigma), T(L)),
                    th::progress_per_example(T(B), T(g), T(sigma), T(L)));
    });
    if (unmet) record_hypothesis_unmet();
    RC_ASSERT(v != Verdict::violated);
}

// X4 as a search: the slides' claim "B* maximises eta*(B)^2/B" over all B > 0 is false, and
// RapidCheck finds a counterexample, which lies below the domain's edge 4 sigma^2/g^2.
TEST(OptimalBatch, X4_search_refutes_the_claim_without_its_domain) {
    double found_B = 0, found_edge = 0;
    auto claim = [&](double L, double g, double sigma, double B) {
        L = std::fabs(L) + 1, g = std::fabs(g) + 1, sigma = std::fabs(sigma) + 1, B = std::fabs(B) + 1e-3;
        const Verdict v = decide([&](auto type) {
            using T = typename decltype(type)::type;
            return leq(th::progress_per_example(T(B), T(g), T(sigma), T(L)),
                       th::progress_per_example(th::optimal_batch(T(sigma), T(g)), T(g), T(sigma), T(L)));
        });
        if (v == Verdict::violated) found_B = B, found_edge = th::vacuous_batch_threshold(sigma, g);
        RC_ASSERT(v != Verdict::violated);
    };
    const auto failure = falsify("OptimalBatch/X4_search", claim, case_count());
    ASSERT_TRUE(failure.has_value()) << "RapidCheck found no B beating B* (X4 says it must)";
    EXPECT_LT(found_B, found_edge) << "the counterexample must lie below the domain of E23";
}

// E29: k* = (2r/||ghat||)^2 maximises eta(k)^2/k over k >= r^2/||ghat||^2, eta(k*) = 1/(2L).
QUENCH_PROPERTY(OptimalBatch, E29_optimal_k, case_count(), ()) {
    const int d = *qg::dimension();
    const auto ghat = *qg::vector(d, qg::signed_magnitude());
    const double L = *qg::magnitude(), r = *qg::magnitude();
    double n2 = 0;
    for (double x : ghat) n2 += x * x;
    const bool around_optimum = *rc::gen::arbitrary<bool>();
    const double k = around_optimum ? near(th::optimal_k(r, std::sqrt(n2)))
                                    : qg::ulps_away(r * r / n2, *qg::ulp_offset()) * *qg::factor_at_least_one();
    RC_PRE(std::isfinite(k) && k > 0);
    bool unmet = false;
    const Verdict maximal = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const T nrm = norm<T>(ghat);
        const Verdict in_domain = leq(T(T(r) * T(r) / T(nrm * nrm)), T(k));
        unmet = in_domain == Verdict::violated;
        if (in_domain != Verdict::holds) return in_domain == Verdict::violated ? Verdict::holds : in_domain;
        const T best = th::optimal_k(T(r), nrm);
        const T at_k = th::vector_rate_at_batch(T(k), nrm, T(r), T(L));
        const T at_best = th::vector_rate_at_batch(best, nrm, T(r), T(L));
        return leq(T(at_k * at_k / T(k)), T(at_best * at_best / best));
    });
    const Verdict rate = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const T nrm = norm<T>(ghat);
        return equal(th::vector_rate_at_batch(th::optimal_k(T(r), nrm), nrm, T(r), T(L)), th::optimal_rate(T(L)));
    }, true);
    if (unmet) record_hypothesis_unmet();
    RC_ASSERT(maximal != Verdict::violated);
    RC_ASSERT(rate != Verdict::violated);
}

// E13: eta_B = (B/B*) eta* equals B g^2/(32 sigma^2 L), and is at most eta* iff B <= B*.
// All rational: decided exactly. B is drawn around B* (an ulp either side) and far from it.
QUENCH_PROPERTY(OptimalBatch, E13_linear_scaling, case_count(), ()) {
    const double L = *qg::magnitude(), g = *qg::signed_magnitude(), sigma = *qg::magnitude();
    const double B = near(th::optimal_batch(sigma, g));
    RC_PRE(std::isfinite(B) && B > 0);
    const exact scaled = th::scaled_rate(exact(B), th::optimal_batch(exact(sigma), exact(g)), th::optimal_rate(exact(L)));
    const exact linear = th::linear_scaled_rate(exact(B), exact(g), exact(sigma), exact(L));
    RC_ASSERT(exactly(scaled == linear) == Verdict::holds);
    const bool below = exact(B) <= th::optimal_batch(exact(sigma), exact(g));
    RC_ASSERT(exactly(below == (linear <= th::optimal_rate(exact(L)))) == Verdict::holds);
}
