// softmax_regression.hpp - multinomial logistic regression: parameters W (classes x
// features, row-major; the last feature is the constant 1, so the last column is the bias),
// loss = mean over examples of the softmax cross-entropy -log p_y(x), p = softmax(W x).
#pragma once

#include "digits_data.hpp"

#include <algorithm>
#include <cmath>
#include <span>

namespace quench::train {

inline constexpr std::size_t parameters = classes * features;

/// p = softmax(W x), computed stably (shifted by the largest logit).
inline void probabilities(std::span<const double> w, const double* x, double* p) {
    double top = -INFINITY;
    for (std::size_t c = 0; c < classes; ++c) {
        double z = 0;
        for (std::size_t j = 0; j < features; ++j) z += w[c * features + j] * x[j];
        p[c] = z;
        top = std::max(top, z);
    }
    double sum = 0;
    for (std::size_t c = 0; c < classes; ++c) sum += (p[c] = std::exp(p[c] - top));
    for (std::size_t c = 0; c < classes; ++c) p[c] /= sum;
}

/// The minibatch mean gradient (1/|batch|) sum (p - e_y) x^T into `grad`.
inline void minibatch_gradient(std::span<const double> w, const Dataset& d, std::span<const std::size_t> batch,
                               std::span<double> grad) {
    std::fill(grad.begin(), grad.end(), 0.0);
    double p[classes];
    const double scale = 1.0 / static_cast<double>(batch.size());
    for (std::size_t n : batch) {
        const double* x = d.row(n);
        probabilities(w, x, p);
        p[d.y[n]] -= 1;
        for (std::size_t c = 0; c < classes; ++c) {
            const double a = p[c] * scale;
            for (std::size_t j = 0; j < features; ++j) grad[c * features + j] += a * x[j];
        }
    }
}

struct Evaluation {
    double loss, accuracy;
};

/// Mean cross-entropy and accuracy over a whole data set.
inline Evaluation evaluate(std::span<const double> w, const Dataset& d) {
    double loss = 0;
    std::size_t correct = 0;
    double p[classes];
    for (std::size_t n = 0; n < d.size(); ++n) {
        probabilities(w, d.row(n), p);
        loss -= std::log(std::max(p[d.y[n]], 1e-300));
        correct += static_cast<std::size_t>(std::max_element(p, p + classes) - p) == d.y[n];
    }
    return {loss / static_cast<double>(d.size()), static_cast<double>(correct) / static_cast<double>(d.size())};
}

}  // namespace quench::train
