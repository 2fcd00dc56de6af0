// binomial_test.hpp - the exact one-sided binomial tail, for Monte Carlo claims that
// cannot flake: with n trials and success probability p, P(X >= m) = I_p(m, n - m + 1)
// (the regularised incomplete beta function; Boost.Math evaluates it to ~1e-15 relative).
#pragma once

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/detail/ibeta_inverse.hpp>

#include <cstdint>

namespace quench::reproduce {

/// P(X >= m) for X ~ Binomial(n, p).
inline double binomial_upper_tail(std::uint64_t m, std::uint64_t n, double p) {
    if (m == 0) return 1.0;
    if (m > n) return 0.0;
    if (p <= 0) return 0.0;
    if (p >= 1) return 1.0;
    return boost::math::ibeta(static_cast<double>(m), static_cast<double>(n - m + 1), p);
}

/// P(X <= m) for X ~ Binomial(n, p).
inline double binomial_lower_tail(std::uint64_t m, std::uint64_t n, double p) {
    if (m >= n) return 1.0;
    return 1.0 - binomial_upper_tail(m + 1, n, p);
}

/// The exact (Clopper-Pearson) one-sided upper confidence bound on p after m successes in
/// n trials: the p with P(X <= m) = 1 - confidence, i.e. the inverse of I_p(m + 1, n - m).
inline double clopper_pearson_upper(std::uint64_t m, std::uint64_t n, double confidence) {
    if (m >= n) return 1.0;
    return boost::math::ibeta_inv(static_cast<double>(m + 1), static_cast<double>(n - m), confidence);
}

}  // namespace quench::reproduce
