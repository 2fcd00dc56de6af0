// smoothness_bound.hpp - a proven upper bound L on the Hessian norm of the mean softmax
// cross-entropy of softmax_regression.hpp, computed from the training data.
//
// Claim: for every W, ||H(W)|| <= (1/2) lambda_max(M), M = (1/n) sum_n x_n x_n^T.
// Proof. The Hessian of -log softmax(W x)_y with respect to vec(W) (row-major, classes
// outer) is A ⊗ x x^T with A = diag(p) - p p^T, p = softmax(W x) (it does not depend on y).
// A is symmetric and positive semi-definite (u^T A u = Var_p(u) >= 0), and by Gershgorin
// every eigenvalue of A is at most max_i [A_ii + sum_{j != i} |A_ij|]
// = max_i [p_i(1 - p_i) + p_i(1 - p_i)] = max_i 2 p_i (1 - p_i) <= 1/2. So
// (1/2) I - A is PSD, hence ((1/2) I - A) ⊗ x x^T is PSD (a Kronecker product of PSD
// matrices), i.e. A ⊗ x x^T <= (1/2) I ⊗ x x^T in the PSD order. Averaging over n:
// 0 <= H <= (1/2) I ⊗ M, so ||H|| = lambda_max(H) <= (1/2) lambda_max(M).  □
//
// Two rigorous upper bounds on lambda_max(M), both evaluated in quench::rigorous_interval
// (outward-rounded) so that rounding cannot make them too small:
//  - trace: lambda_max(M) <= tr M = (1/n) sum_n ||x_n||^2 (M is PSD);
//  - Collatz-Wielandt: M is entrywise >= 0 (pixels and the bias feature are >= 0), so for
//    ANY vector v > 0, rho(M) <= max_i (M v)_i / v_i, and rho(M) = lambda_max(M) for a PSD M.
//    v comes from a power iteration in double (its accuracy only affects tightness; any
//    v > 0 gives a valid bound), floored at a positive value.
// The program uses the smaller of the two.
#pragma once

#include "digits_data.hpp"

#include "quench/interval.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace quench::train {

struct SmoothnessBound {
    double trace_bound;             ///< (1/2) tr M, rounded up
    double collatz_wielandt_bound;  ///< (1/2) max_i (M v)_i / v_i, rounded up
    double L() const { return std::min(trace_bound, collatz_wielandt_bound); }
};

inline SmoothnessBound smoothness_bound(const Dataset& d) {
    using R = quench::rigorous_interval;
    constexpr std::size_t p = features;
    const R n(static_cast<double>(d.size()));
    // M in intervals (the sums are exact in double here, the division is not).
    std::vector<R> M(p * p, R(0));
    for (std::size_t k = 0; k < d.size(); ++k) {
        const double* x = d.row(k);
        for (std::size_t i = 0; i < p; ++i)
            for (std::size_t j = 0; j < p; ++j) M[i * p + j] += R(x[i]) * R(x[j]);
    }
    for (auto& m : M) m /= n;
    R trace(0);
    for (std::size_t i = 0; i < p; ++i) trace += M[i * p + i];

    // Power iteration on the midpoints, in double.
    std::vector<double> v(p, 1.0), w(p);
    for (int it = 0; it < 500; ++it) {
        double norm = 0;
        for (std::size_t i = 0; i < p; ++i) {
            double s = 0;
            for (std::size_t j = 0; j < p; ++j) s += boost::numeric::median(M[i * p + j]) * v[j];
            w[i] = s;
            norm = std::max(norm, s);
        }
        for (std::size_t i = 0; i < p; ++i) v[i] = w[i] / norm;
    }
    for (auto& x : v) x = std::max(x, 1e-6);  // any v > 0 is valid
    R worst(0);
    for (std::size_t i = 0; i < p; ++i) {
        R s(0);
        for (std::size_t j = 0; j < p; ++j) s += M[i * p + j] * R(v[j]);
        worst = quench::max(worst, R(s / R(v[i])));
    }
    return {quench::upper(R(trace / R(2))), quench::upper(R(worst / R(2)))};
}

}  // namespace quench::train
