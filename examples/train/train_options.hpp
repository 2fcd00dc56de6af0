// train_options.hpp - quench-train's command line: what one run is asked to do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#ifndef QUENCH_DIGITS_PATH
#define QUENCH_DIGITS_PATH "digits.csv.gz"
#endif

namespace quench::train {

struct TrainOptions {
    std::string data = QUENCH_DIGITS_PATH;  ///< digits.csv.gz: 64 pixels 0..16 and a label per line
    std::string out = "quench-train-report";
    std::size_t epochs = 200;
    double batch = 16;  ///< a whole number (checked): B for every method
    double test_fraction = 0.25, adam_rate = 1e-3;
    std::uint64_t warmup = 20;  ///< quenching SGD's warm-up steps K
    std::uint64_t seed = 1;     ///< the split's and the minibatch order's
    std::size_t batch_size() const { return static_cast<std::size_t>(batch); }
};

/// The options of `argv`, or the exit status when the program ends here: 0 after --help, the
/// command line's status after a message naming a bad option, 2 for a fractional --batch.
std::variant<TrainOptions, int> parse_options(int argc, char** argv);

}  // namespace quench::train
