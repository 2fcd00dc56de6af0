// train_report.hpp - what quench-train writes about a run: train.csv and quenching.csv, the
// four plots (pgfplots for the paper, SVG rendered from it for the report), the results
// table (Markdown and TeX from one set of cells), the paper's macros, report.md, and the
// run's checks.
#pragma once

#include "output_folder.hpp"
#include "train_options.hpp"
#include "training.hpp"

namespace quench::train {

/// What the report says about the run besides the training result.
struct RunFacts {
    const TrainOptions& options;
    std::size_t train_size, test_size;
    double L, trace_bound, collatz_wielandt_bound;  ///< smoothness_bound.hpp
    double seconds;
};

/// Quenching SGD right after warm-up and at the end (NaN early when the run is too short).
struct QuenchingChange {
    double eta_early, eta_late, bstar_early, bstar_late;
    bool quenched;  ///< eta fell and B* grew
};

struct RunVerdict {
    bool checks_hold;  ///< every method's training loss fell; with --epochs >= 20, quenched too
    QuenchingChange quenching;
};

/// Writes every file of the report into `folder` (not yet committed).
RunVerdict write_report(examples::OutputFolder& folder, const RunFacts& facts, const TrainingResult& result);

}  // namespace quench::train
