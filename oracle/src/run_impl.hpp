// run_impl.hpp - the body of `quench-oracle run` for one working type T (instantiated by
// run_double.cpp, run_interval.cpp, run_mpfr.cpp, run_mpfi.cpp).
#pragma once

#include "oracle_support.hpp"
#include "support/progress.hpp"
#include "reference_run.hpp"
#include "run_command.hpp"
#include "trace_convert.hpp"
#include "trace_reader.hpp"
#include "trajectory_writer.hpp"

#include <memory>

namespace quench::oracle {

template <class T>
int run_with(const RunOptions& o) {
    TraceReader trace(o.trace, o.gradients);
    const TraceHeader& h = trace.header();
    ReferenceRun<T> run(make_hyperparameters<T>(h), make_phi0<T>(h));
    const std::string precision = o.precision.is_double() ? "double" : std::to_string(o.precision.digits10);
    // Every output is checked and opened before the first step (support/output_files.hpp).
    tools::OutputSet outputs(oracle_outputs);
    std::unique_ptr<JsonlTrajectoryWriter<T>> jsonl;
    std::unique_ptr<NpyTrajectoryWriter<T>> npy;
    if (o.jsonl) jsonl = std::make_unique<JsonlTrajectoryWriter<T>>(outputs, *o.jsonl, h.dimension, precision);
    if (o.npy_dir) {
        outputs.add_directory(*o.npy_dir, "--npy-dir");
        npy = std::make_unique<NpyTrajectoryWriter<T>>(outputs, *o.npy_dir, h.dimension);
    }
    tools::Progress progress = step_progress(trace.total_steps());
    GradientRow row;
    std::vector<T> g;
    while (trace.next(row)) {
        convert_row(row, g);
        run.step(std::span<const T>(g), trace.where());
        check_reportable(run, trace.where());
        if (jsonl) jsonl->write(run);
        if (npy) npy->write(run);
        progress.update(run.steps());
    }
    progress.finish();
    if (npy) npy->finish();
    outputs.commit();
    return exit_ok;
}

}  // namespace quench::oracle
