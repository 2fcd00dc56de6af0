// Properties of the descent lemma (docs/spec.md E9/E10, E25) on random quadratics
// l(x) = x^T H x / 2 + b^T x + c with a symmetric H whose spectral norm is at most L, and of
// E24 (D^T H D <= L ||D||^2 when ||H D|| <= L ||D||). Quadratics make the lemma exact up to
// its slack (L - lambda) D^2/2, so the claim is tested where it is tight too (H = L I).
#include "generators.hpp"
#include "rigorous.hpp"

#include <quench/theory.hpp>

#include <vector>

namespace {

using namespace quench::props;
namespace qg = quench::props::gen;

/// l(x) for the quadratic (H row major, all in T).
template <class T>
T quadratic(const std::vector<T>& h, const std::vector<double>& b, double c, const std::vector<T>& x) {
    const std::size_t d = x.size();
    T value(c);
    for (std::size_t i = 0; i < d; ++i) {
        T hx(0);
        for (std::size_t j = 0; j < d; ++j) hx += h[i * d + j] * x[j];
        value += x[i] * hx / T(2) + T(b[i]) * x[i];
    }
    return value;
}

/// The claim of E25, l(Phi + D) - l(Phi) <= g^T D + (L/2) ||D||^2 with g = H Phi + b, as
/// (left side, right side) in T.
template <class T>
std::pair<T, T> descent_sides(const qg::SymmetricMatrix& m, const std::vector<double>& phi,
                              const std::vector<double>& b, double c, const std::vector<double>& step) {
    const std::vector<T> h = qg::matrix_entries<T>(m);
    const std::size_t d = phi.size();
    std::vector<T> x(d), y(d);
    for (std::size_t i = 0; i < d; ++i) {
        x[i] = T(phi[i]);
        y[i] = T(phi[i]) + T(step[i]);
    }
    T gd(0), dd(0);
    for (std::size_t i = 0; i < d; ++i) {
        T g(b[i]);
        for (std::size_t j = 0; j < d; ++j) g += h[i * d + j] * x[j];
        gd += g * T(step[i]);
        dd += T(step[i]) * T(step[i]);
    }
    const T lhs = quadratic<T>(h, b, c, y) - quadratic<T>(h, b, c, x);
    return {lhs, T(gd + T(m.L) * dd / T(2))};
}

void vector_descent_lemma(bool psd) {
    const int d = *qg::dimension();
    const auto m = *qg::symmetric_matrix(d, psd);
    const auto phi = *qg::vector(d);
    const auto b = *qg::vector(d);
    const double c = *qg::value();
    const auto step = *qg::vector(d);
    const Verdict v = decide_rational([&](auto type) {
        using T = typename decltype(type)::type;
        const auto [lhs, rhs] = descent_sides<T>(m, phi, b, c, step);
        return leq(lhs, rhs);
    });
    RC_ASSERT(v != Verdict::violated);
}

}  // namespace

// E9/E10 in one dimension, through the core's descent_bound: loss'' = h with |h| <= L.
QUENCH_PROPERTY(Descent, E9_one_dimension, case_count(), ()) {
    const double L = *qg::magnitude();
    const double s = *rc::gen::map(rc::gen::pair(qg::unit_fraction(), rc::gen::arbitrary<bool>()),
                                   [](std::pair<double, bool> p) { return p.second ? -p.first : p.first; });
    const double beta = *qg::value(), b = *qg::value(), c = *qg::value(), step = *qg::value();
    const Verdict v = decide_rational([&](auto type) {
        using T = typename decltype(type)::type;
        const T h = T(L) * T(s);  // |h| <= L exactly: the loss is h x^2/2 + b x + c
        auto loss = [&](const T& x) { return T(h * x * x / T(2) + T(b) * x + T(c)); };
        const T g = h * T(beta) + T(b);
        const T lhs = loss(T(beta) - T(step)) - loss(T(beta));
        return leq(lhs, quench::theory::descent_bound(g, T(step), T(L)));
    });
    RC_ASSERT(v != Verdict::violated);
}

// E25 with an indefinite H (spectrum in [-L, L]).
QUENCH_PROPERTY(Descent, E25_indefinite, case_count(), ()) { vector_descent_lemma(false); }

// E25 with a positive semi-definite H (spectrum in [0, L]).
QUENCH_PROPERTY(Descent, E25_positive_semidefinite, case_count(), ()) { vector_descent_lemma(true); }

// Tightness of E9: with loss'' = L exactly the lemma is an equality. Exact rationals.
QUENCH_PROPERTY(Descent, E9_tight_when_curvature_is_L, case_count(), ()) {
    const double L = *qg::magnitude();
    const double beta = *qg::value(), b = *qg::value(), step = *qg::value();
    auto loss = [&](const exact& x) { return exact(exact(L) * x * x / 2 + exact(b) * x); };
    const exact g = exact(L) * exact(beta) + exact(b);
    const exact change = loss(exact(beta) - exact(step)) - loss(exact(beta));
    RC_ASSERT(exactly(change == quench::theory::descent_bound(g, exact(step), exact(L))) == Verdict::holds);
}

// Tightness of E25: H = L I (any Q: Q L I Q^T = L I) makes E25 an equality. Exact rationals.
QUENCH_PROPERTY(Descent, E25_tight_when_H_is_L_I, case_count(), ()) {
    const int d = *qg::dimension();
    auto m = *qg::symmetric_matrix(d, true);
    m.s.assign(d, 1.0);
    const auto phi = *qg::vector(d);
    const auto b = *qg::vector(d);
    const auto step = *qg::vector(d);
    const auto [lhs, rhs] = descent_sides<exact>(m, phi, b, *qg::value(), step);
    RC_ASSERT(exactly(lhs == rhs) == Verdict::holds);
}

// E24: ||H D|| <= L ||D|| implies D^T H D <= L ||D||^2, for any square H (Cauchy-Schwarz).
// L is drawn at, an ulp around, or above ||H D||/||D||, so the hypothesis is met on its
// boundary too; squared norms avoid a sqrt.
QUENCH_PROPERTY(Descent, E24_quadratic_form_bound, case_count(), ()) {
    const int d = *qg::dimension();
    const auto step = *qg::vector(d, qg::signed_magnitude());
    const bool tight = *rc::gen::weightedOneOf<bool>({{4, rc::gen::just(false)}, {1, rc::gen::just(true)}});
    // tight: H = mu I, where D^T H D = mu ||D||^2 and ||H D|| = |mu| ||D||.
    const double mu = *qg::signed_magnitude();
    const auto entries = *qg::vector(d * d);
    auto h = [&](int i, int j) { return tight ? (i == j ? mu : 0.0) : entries[i * d + j]; };
    double hd2 = 0, dd = 0;  // double estimate of ||H D||^2 / ||D||^2, to place L near it
    for (int i = 0; i < d; ++i) {
        double r = 0;
        for (int j = 0; j < d; ++j) r += h(i, j) * step[j];
        hd2 += r * r;
        dd += step[i] * step[i];
    }
    const double L = qg::ulps_away(std::sqrt(hd2 / dd), *qg::ulp_offset()) * *qg::factor_at_least_one();
    RC_PRE(L > 0 && std::isfinite(L));
    bool unmet = false;
    const Verdict v = decide_rational([&](auto type) {
        using T = typename decltype(type)::type;
        T hd_norm2(0), dhd(0), d_norm2(0);
        for (int i = 0; i < d; ++i) {
            T r(0);
            for (int j = 0; j < d; ++j) r += T(h(i, j)) * T(step[j]);
            hd_norm2 += r * r;
            dhd += T(step[i]) * r;
            d_norm2 += T(step[i]) * T(step[i]);
        }
        const Verdict hypothesis = leq(hd_norm2, T(T(L) * T(L) * d_norm2));
        unmet = hypothesis == Verdict::violated;
        if (hypothesis != Verdict::holds) return hypothesis == Verdict::violated ? Verdict::holds : hypothesis;
        return leq(dhd, T(T(L) * d_norm2));
    });
    if (unmet) record_hypothesis_unmet();
    RC_ASSERT(v != Verdict::violated);
}
