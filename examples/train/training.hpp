// training.hpp - the comparison itself: quenching SGD, SGD with step 1/L and Adam trained on
// the same minibatches (one shuffle per epoch, the same batch size and number of steps), with
// their losses and accuracies recorded after every epoch and quenching SGD's mean eta and
// median B* at log-spaced steps.
#pragma once

#include "digits_data.hpp"
#include "train_options.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace quench::train {

/// One method after one epoch (epoch 0: the initial weights).
struct Record {
    std::size_t epoch;
    double examples;  ///< gradient evaluations so far
    double train_loss, test_loss, train_accuracy, test_accuracy, mean_rate, median_batch_star;
};

struct MethodHistory {
    std::string name;
    std::vector<Record> records;  ///< epochs 0, 1, ..., options.epochs
};

/// Quenching SGD per step, at steps 1, 2, ... growing by 5 %: gradient evaluations, mean eta, median B*.
struct QuenchingTrace {
    std::vector<double> evaluations, mean_eta, median_bstar;
};

struct TrainingResult {
    std::vector<MethodHistory> methods;  ///< quenching SGD, SGD, Adam
    QuenchingTrace quenching;
};

/// Trains the three methods from zero weights; `L` is the smoothness bound of `train`.
/// Throws std::runtime_error when the batch is larger than the training set.
TrainingResult train_methods(const TrainOptions& options, const Dataset& train, const Dataset& test, double L);

}  // namespace quench::train
