#include "stepwise_compare.hpp"

#include "oracle_support.hpp"
#include "support/atomic_file.hpp"
#include "candidate_reader.hpp"
#include "number_text.hpp"
#include "oracle_error.hpp"
#include "stepwise_constants.hpp"
#include "stepwise_engine.hpp"
#include "support/progress.hpp"
#include "stepwise_report.hpp"
#include "trace_convert.hpp"
#include "trace_reader.hpp"

#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

namespace quench::oracle {

namespace {

using namespace stepwise;

bool has(const std::vector<Quantity>& qs, Quantity q) {
    for (Quantity x : qs)
        if (x == q) return true;
    return false;
}

/// The precision: declared, or float32 when any recorded .npy is float32. A declared
/// float64 with a float32 record cannot be checked at float64 (the record lost the digits).
CandidatePrecision choose_precision(const StepwiseOptions& o) {
    bool any_float32 = false;
    std::string float32_file;
    for (const auto& [q, path] : o.candidate_npy) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw bad_input(path + ": cannot open the candidate's " + quantity_name(q) + " file");
        if (read_npy_header(in, path).float32) {
            any_float32 = true;
            float32_file = path;
        }
    }
    if (o.precision) {
        if (*o.precision == CandidatePrecision::float64 && any_float32)
            throw bad_input(float32_file + ": recorded as float32, but --candidate-precision float64 was declared: "
                            "record the quantities at the precision the candidate stores them");
        return *o.precision;
    }
    return any_float32 ? CandidatePrecision::float32 : CandidatePrecision::float64;
}

/// The trace and the candidate read in lockstep, every coordinate's step checked by the
/// engine (the oracle's intervals in double for both precisions: stepwise_model.hpp).
struct StepLoop {
    TraceReader& trace;
    CandidateReader& cand;
    CandidateRow& crow;
    bool more_cand;  // the first candidate row was read already
    const quench::Hyperparameters<double>& hyper;
    const std::vector<double>& phi0;
    CandidatePrecision precision;
    bool full;
    StepwiseReport& report;
    tools::Progress& progress;

    /// Returns the number of steps.
    std::uint64_t run() const {
        const TraceHeader& h = trace.header();
        const Constants<double> k = make_constants<double>(hyper, precision);
        const std::size_t d = h.dimension;
        StepwiseEngine engine(k, d, full, cand.quantities());
        std::vector<Box<double>> phi(d);
        for (std::size_t i = 0; i < d; ++i)
            // phi0 as the candidate holds it (a decimal of the trace, rounded to its type)
            phi[i] = h.phi0_text.empty() ? candidate_gradient(phi0[i], false, k) : constant(phi0[i], k.u);
        engine.reset(phi);
        GradientRow row;
        std::vector<double> g;
        std::uint64_t t = 0;
        bool more = more_cand;
        for (;;) {
            const bool more_trace = trace.next(row);
            if (t > 0) more = cand.next(crow);
            if (more_trace != more)
                throw bad_input(more_trace ? cand.where() + ": the candidate ends after " + std::to_string(t) +
                                                 " steps, the trace has more (truncated candidate?)"
                                           : cand.where() + ": the candidate has more steps than the trace (" +
                                                 std::to_string(t) + ")");
            if (!more_trace) break;
            ++t;
            if (row.is_text) convert_row(row, g);  // .npy gradients are doubles already: no copy
            const double* gradient = row.is_text ? g.data() : row.values.data();
            const double* columns[quantity_count];
            for (std::size_t q = 0; q < quantity_count; ++q)
                columns[q] = crow.values[q].empty() ? nullptr : crow.values[q].data();
            engine.check(t, gradient, row.is_text, columns, 0, d, report);
            engine.finish_step();
            progress.update(t);
        }
        return t;
    }
};

}  // namespace

int stepwise_compare_command(const StepwiseOptions& o) {
    if (!o.candidate_jsonl && o.candidate_npy.empty())
        throw bad_input("compare: give the candidate: --candidate FILE.jsonl or --candidate-npy QUANTITY=FILE.npy");
    if (o.candidate_jsonl && !o.candidate_npy.empty())
        throw bad_input("compare: give --candidate or --candidate-npy, not both");
    const CandidatePrecision precision = choose_precision(o);

    TraceReader trace(o.trace, o.gradients);
    const TraceHeader& h = trace.header();
    const quench::Hyperparameters<double> hyper = make_hyperparameters<double>(h);
    const std::vector<double> phi0 = make_phi0<double>(h);
    std::unique_ptr<CandidateReader> cand = o.candidate_jsonl ? std::make_unique<CandidateReader>(*o.candidate_jsonl)
                                                              : std::make_unique<CandidateReader>(o.candidate_npy);
    if (cand->dimension() != h.dimension)
        throw bad_input(cand->where() + ": the candidate has dimension " + std::to_string(cand->dimension()) +
                        " but the trace (" + h.where + ") has " + std::to_string(h.dimension));
    const auto cand_total = cand->total_steps(), trace_total = trace.total_steps();
    if (cand_total && trace_total && *cand_total != *trace_total)
        throw bad_input(cand->where() + ": the candidate has " + std::to_string(*cand_total) + " steps, the trace " +
                        std::to_string(*trace_total));

    // A JSON Lines candidate names its quantities on its first step: read it first.
    CandidateRow crow;
    bool more_cand = cand->next(crow);

    // What can be checked (README, "What the oracle concludes"): eta and phi always; gt and
    // st together give the full check.
    const auto& qs = cand->quantities();
    const std::string how = " (the stepwise check needs eta and phi, and gt and st to check the rate; or pass --ulps N "
                            "for the whole-trajectory comparison)";
    for (Quantity q : {Quantity::eta, Quantity::phi})
        if (!has(qs, q)) throw bad_input("compare: the candidate does not record " + std::string(quantity_name(q)) + how);
    const bool full = has(qs, Quantity::gt) && has(qs, Quantity::st);
    if (!full && (has(qs, Quantity::gt) || has(qs, Quantity::st)))
        throw bad_input(std::string("compare: the candidate records ") + (has(qs, Quantity::gt) ? "gt but not st" : "st but not gt") +
                        ": the weight of the next step needs both (record both, or neither)");
    if (!full && (has(qs, Quantity::var) || has(qs, Quantity::Bstar)))
        throw bad_input("compare: the candidate records var or Bstar without gt and st: they are checked from gt and st; "
                        "record gt and st as well");

    // The output path is checked (its temporary created) before the work.
    std::unique_ptr<tools::AtomicFile> report_file;
    if (o.report_json) report_file = std::make_unique<tools::AtomicFile>(oracle_outputs, *o.report_json);

    StepwiseReport report(precision, full, qs);
    tools::Progress progress = step_progress(trace_total);
    std::uint64_t t = 0;
    const StepLoop loop{trace, *cand, crow, more_cand, hyper, phi0, precision, full, report, progress};
    t = loop.run();
    progress.finish();
    const int status = report.status();
    std::cout << report.text(t, h.dimension);
    if (report_file) {
        report_file->stream() << report.json(t, h.dimension);
        report_file->commit();
    }
    return status;
}

}  // namespace quench::oracle
