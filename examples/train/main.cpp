// quench-train: quenching SGD on a real data set. Multinomial logistic regression on the
// UCI handwritten digits (data/digits.csv.gz), with L a proven bound on the Hessian norm
// computed from the training data (smoothness_bound.hpp), the theory's lambda_eta =
// B/(32 L) (X10), against plain SGD with step 1/L and Adam, at equal numbers of gradient
// evaluations (same batch size, same number of steps, same minibatch sequence).
//
// Writes train.csv, SVG plots, report.md and LaTeX fragments into --out (all of them, or on
// an error none); prints a summary. Exit status: 0 when the run's checks hold (the training
// loss fell for every method, and with --epochs >= 20, quenching happened: eta fell and B*
// grew), 1 otherwise, 2 on bad input or an I/O error.
//
// The parts: train_options (the command line), training (the loop), train_report (files).
#include "digits_data.hpp"
#include "smoothness_bound.hpp"
#include "train_options.hpp"
#include "train_report.hpp"
#include "training.hpp"

#include "output_folder.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <variant>

namespace {

using namespace quench::train;

void print_summary(const RunFacts& f, const TrainingResult& result, const RunVerdict& v, const std::string& root) {
    std::printf("quench-train: %zu epochs, B = %zu, L = %.6g, %.1f s, report in %s/report.md\n", f.options.epochs,
                f.options.batch_size(), f.L, f.seconds, root.c_str());
    for (const MethodHistory& m : result.methods) {
        const Record& last = m.records.back();
        std::printf("  %-16s train loss %.4f  test loss %.4f  train acc %.4f  test acc %.4f\n", m.name.c_str(),
                    last.train_loss, last.test_loss, last.train_accuracy, last.test_accuracy);
    }
    const QuenchingChange& c = v.quenching;
    std::printf("  quenching: mean eta %.3g -> %.3g, median B* %.3g -> %.3g\n", c.eta_early, c.eta_late, c.bstar_early,
                c.bstar_late);
    std::printf("%s\n", v.checks_hold ? "ok: checks hold" : "FAILED: a check does not hold");
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = parse_options(argc, argv);
    if (const int* status = std::get_if<int>(&parsed)) return *status;
    const TrainOptions& options = std::get<TrainOptions>(parsed);
    try {
        const auto start = std::chrono::steady_clock::now();
        quench::examples::OutputFolder folder("quench-train", options.out);
        const Dataset all = load_digits(options.data);
        Dataset train, test;
        split(all, options.test_fraction, options.seed, train, test);
        const SmoothnessBound bound = smoothness_bound(train);
        const TrainingResult result = train_methods(options, train, test, bound.L());
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const RunFacts facts{options, train.size(), test.size(), bound.L(), bound.trace_bound,
                             bound.collatz_wielandt_bound, seconds};
        const RunVerdict verdict = write_report(folder, facts, result);
        folder.commit();  // all of the report, or (on an error above) none of it
        print_summary(facts, result, verdict, folder.root());
        return verdict.checks_hold ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quench-train: %s\n", e.what());
        return 2;
    }
}
