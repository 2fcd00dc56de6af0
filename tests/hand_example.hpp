// hand_example.hpp - the meta-parameters of the hand-computed trajectories (step_test.cpp,
// tempering_test.cpp): literal options, B = 1, K = 2 (warm-up weight B/K = 1/2),
// lambda_B = 16, lambda_eta = 1/4, eps = 1/16. Every value is dyadic, so each step of a
// trajectory with dyadic gradients can be worked out by hand and held exactly by every type.
#pragma once

#include <quench/quench.hpp>

namespace quench_test {

template <class T>
quench::Hyperparameters<T> hand_example() {
    quench::Hyperparameters<T> h;
    h.batch_size = T(1);
    h.warmup = 2;
    h.lambda_batch = T(16);
    h.lambda_rate = T(0.25);
    h.epsilon = T(0.0625);
    h.options = quench::Options<T>::literal();
    return h;
}

}  // namespace quench_test
