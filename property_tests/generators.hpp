// property_tests/generators.hpp - generators of random problems (docs/design.md: RapidCheck's own
// floating-point generators have no special values and shrink poorly). Values are doubles,
// hence exactly representable inputs for the interval verdicts. Every generator shrinks
// toward a small, readable case: magnitudes toward 1 (then small integers), signs toward +,
// fractions toward 0 or 1, offsets toward 0 ulps, dimensions toward 1.
#pragma once

#include <quench/scalar.hpp>

#include <rapidcheck.h>

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <ostream>
#include <vector>

namespace quench::props::gen {

namespace rg = rc::gen;

/// A positive magnitude in [1e-12, 1e12]: small integers (readable), log-uniform decades,
/// powers of two (exact reciprocals), and the two extremes.
inline rc::Gen<double> magnitude() {
    auto small_integer = rg::map(rg::inRange(1, 17), [](int k) { return static_cast<double>(k); });
    auto decades = rg::map(rg::pair(rg::inRange(0, 12001), rg::arbitrary<bool>()), [](std::pair<int, bool> p) {
        return std::pow(10.0, (p.second ? -p.first : p.first) / 1000.0);
    });
    auto power_of_two = rg::map(rg::pair(rg::inRange(0, 40), rg::arbitrary<bool>()),
                                [](std::pair<int, bool> p) { return std::ldexp(1.0, p.second ? -p.first : p.first); });
    return rg::weightedOneOf<double>({{2, small_integer}, {5, decades}, {2, power_of_two},
                                      {1, rg::element(1e-12, 1e12)}});
}

/// A magnitude with either sign (shrinks toward +).
inline rc::Gen<double> signed_magnitude() {
    return rg::map(rg::pair(magnitude(), rg::arbitrary<bool>()),
                   [](std::pair<double, bool> p) { return p.second ? -p.first : p.first; });
}

/// Any value: a signed magnitude, or zero (one time in eight).
inline rc::Gen<double> value() {
    return rg::weightedOneOf<double>({{7, signed_magnitude()}, {1, rg::just(0.0)}});
}

/// A fraction in [0, 1]: the end points 0 and 1, 1/2, dyadic fractions, and fractions an ulp
/// from 1 (the boundary of every "for all s in [0, 1]" claim).
inline rc::Gen<double> unit_fraction() {
    auto dyadic = rg::map(rg::inRange(0, 1025), [](int k) { return k / 1024.0; });
    auto uniform = rg::map(rg::inRange<std::int64_t>(0, std::int64_t{1} << 53),
                           [](std::int64_t k) { return std::ldexp(static_cast<double>(k), -53); });
    auto near_one = rg::map(rg::inRange(1, 4), [](int k) {
        double x = 1.0;
        for (int i = 0; i < k; ++i) x = std::nextafter(x, 0.0);
        return x;
    });
    return rg::weightedOneOf<double>({{1, rg::element(0.0, 1.0, 0.5)}, {3, dyadic}, {4, uniform},
                                      {1, near_one}});
}

/// A factor >= 1: exactly 1, an ulp or a few above 1, or log-uniform up to 1e12.
inline rc::Gen<double> factor_at_least_one() {
    auto ulps = rg::map(rg::inRange(1, 4), [](int k) {
        double x = 1.0;
        for (int i = 0; i < k; ++i) x = std::nextafter(x, 2.0);
        return x;
    });
    auto decades = rg::map(rg::inRange(0, 12001), [](int e) { return std::pow(10.0, e / 1000.0); });
    return rg::weightedOneOf<double>({{1, rg::just(1.0)}, {2, ulps}, {5, decades}});
}

/// x moved by k ulps (k in [-3, 3], shrinking toward 0): values next to a threshold.
inline double ulps_away(double x, int k) {
    const double toward = k < 0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    for (int i = 0; i < std::abs(k); ++i) x = std::nextafter(x, toward);
    return x;
}
inline rc::Gen<int> ulp_offset() { return rg::inRange(-3, 4); }

/// A dimension in [1, max_d], shrinking toward 1.
inline rc::Gen<int> dimension(int max_d = 8) { return rg::inRange(1, max_d + 1); }

/// A vector of d values.
inline rc::Gen<std::vector<double>> vector(int d, rc::Gen<double> element = value()) {
    return rg::container<std::vector<double>>(static_cast<std::size_t>(d), std::move(element));
}

/// A symmetric matrix with spectrum in [-L, L] (or [0, L] when psd), given exactly by its
/// spectral decomposition H = Q diag(lambda) Q^T with the Householder reflection
/// Q = I - 2 v v^T / (v^T v) (Q = I when v = 0). Both are exact rationals of the doubles
/// below, so the interval evaluation of H encloses a matrix whose spectral norm is at
/// most L exactly (eigenvalues lambda_i = L s_i, s_i in [-1, 1]).
struct SymmetricMatrix {
    double L = 1;
    std::vector<double> s;  // eigenvalues / L, in [-1, 1] (in [0, 1] when psd)
    std::vector<double> v;  // Householder vector; all zero: H is diagonal
    int dimension() const { return static_cast<int>(s.size()); }
};

inline std::ostream& operator<<(std::ostream& os, const SymmetricMatrix& m) {
    os << std::setprecision(17) << "H = Q diag(L s) Q^T, L = " << m.L << ", s = [";
    for (double x : m.s) os << ' ' << x;
    os << " ], v = [";
    for (double x : m.v) os << ' ' << x;
    return os << " ]";
}

/// Structured spectra: L I (the tight case), -L I, rank one, random, with zeros.
inline rc::Gen<SymmetricMatrix> symmetric_matrix(int d, bool psd) {
    return rg::exec([d, psd] {
        SymmetricMatrix m;
        m.L = *magnitude();
        auto signed_fraction = rg::map(rg::pair(unit_fraction(), rg::arbitrary<bool>()),
                                       [psd](std::pair<double, bool> p) { return p.second && !psd ? -p.first : p.first; });
        const int kind = *rg::inRange(0, 4);
        if (kind == 0) m.s.assign(d, *rg::element(1.0, psd ? 0.0 : -1.0));           // +-L I or 0
        else if (kind == 1) { m.s.assign(d, 0.0); m.s[0] = *signed_fraction; }    // rank one
        else m.s = *vector(d, signed_fraction);                                    // general
        m.v = *rg::weightedOneOf<std::vector<double>>(
            {{1, rg::just(std::vector<double>(d, 0.0))},
             {2, vector(d, rg::map(rg::inRange(-4, 5), [](int k) { return static_cast<double>(k); }))},
             {3, vector(d, value())}});
        return m;
    });
}

/// H as an exact enclosure in the interval type T (row major).
template <class T>
std::vector<T> matrix_entries(const SymmetricMatrix& m) {
    const int d = m.dimension();
    T vv(0);
    for (double x : m.v) vv += T(x) * T(x);
    const bool reflect = quench::certainly_positive(vv);
    std::vector<T> q(static_cast<std::size_t>(d * d));
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j)
            q[i * d + j] = T(i == j ? 1 : 0) - (reflect ? T(T(2) * T(m.v[i]) * T(m.v[j]) / vv) : T(0));
    std::vector<T> h(static_cast<std::size_t>(d * d), T(0));
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j)
            for (int k = 0; k < d; ++k) h[i * d + j] += q[i * d + k] * T(m.L) * T(m.s[k]) * q[j * d + k];
    return h;
}

}  // namespace quench::props::gen
