#include "train_options.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>

namespace quench::train {

std::variant<TrainOptions, int> parse_options(int argc, char** argv) {
    CLI::App app{"quench-train: quenching SGD vs SGD and Adam on the UCI handwritten digits"};
    TrainOptions o;
    app.add_option("--data", o.data, "digits.csv.gz (64 pixels 0..16 and a label per line)");
    app.add_option("--out", o.out, "output folder")->check([](const std::string& s) {
        return s.empty() ? std::string("must not be empty") : std::string();
    });
    app.add_option("--epochs", o.epochs, "passes over the training set")->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    app.add_option("--batch", o.batch, "batch size B (all methods)")->check(CLI::Range(1.0, 1024.0));
    app.add_option("--warmup", o.warmup, "quenching SGD warm-up steps K")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}));
    app.add_option("--test-fraction", o.test_fraction, "held-out fraction")->check(CLI::Range(0.05, 0.95));
    app.add_option("--adam-rate", o.adam_rate, "Adam's step size")->check(CLI::Range(1e-8, 10.0));
    app.add_option("--seed", o.seed, "seed of the split and of the minibatch order");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (o.batch != std::floor(o.batch)) {
        std::fprintf(stderr, "quench-train: --batch must be a whole number of examples\n");
        return 2;
    }
    return o;
}

}  // namespace quench::train
