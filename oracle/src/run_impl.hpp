// run_impl.hpp - the body of `quench-oracle run` for one working type T (instantiated by
// run_double.cpp, run_interval.cpp, run_mpfr.cpp, run_mpfi.cpp).
#pragma once

#include "enclosure_width.hpp"
#include "oracle_support.hpp"
#include "support/progress.hpp"
#include "reference_run.hpp"
#include "run_command.hpp"
#include "trace_convert.hpp"
#include "trace_reader.hpp"
#include "trajectory_writer.hpp"

#include <iostream>
#include <memory>

namespace quench::oracle {

/// Streams the trace through `run` (ReferenceRun<T>, or ExactEnclosure for MPFI), whose
/// values are of type T, into the outputs of `o`.
template <class Run>
int run_streamed(const RunOptions& o, TraceReader& trace, Run& run) {
    using T = typename Run::value_type;
    const TraceHeader& h = trace.header();
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
    std::unique_ptr<WidthReport> widths;
    if constexpr (std::is_same_v<T, mp_interval>)
        if (o.widths) widths = std::make_unique<WidthReport>();
    tools::Progress progress = step_progress(trace.total_steps());
    GradientRow row;
    std::vector<T> g;
    try {
        while (trace.next(row)) {
            convert_row(row, g);
            run.step(std::span<const T>(g), trace.where());
            check_reportable(run, trace.where());
            if (jsonl) jsonl->write(run);
            if (npy) npy->write(run);
            if constexpr (std::is_same_v<T, mp_interval>)
                if (widths) widths->observe(run);
            progress.update(run.steps());
        }
    } catch (const bad_input&) {
        // The widths up to the step that failed (an enclosure that became unbounded is what
        // --widths is there to show); nothing else is written.
        if (widths)
            std::cout << widths->text(enclosure_method_name(o.enclosure), o.precision.digits10, h.dimension)
                      << "stopped at step " << run.steps() + 1 << " (the error below)\n";
        throw;
    }
    progress.finish();
    if (npy) npy->finish();
    outputs.commit();
    if (widths) std::cout << widths->text(enclosure_method_name(o.enclosure), o.precision.digits10, h.dimension);
    return exit_ok;
}

template <class T>
int run_with(const RunOptions& o) {
    TraceReader trace(o.trace, o.gradients);
    ReferenceRun<T> run(make_hyperparameters<T>(trace.header()), make_phi0<T>(trace.header()));
    return run_streamed(o, trace, run);
}

}  // namespace quench::oracle
