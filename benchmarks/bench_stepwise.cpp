// bench_stepwise: the cost of the oracle's stepwise verdict per coordinate-step, next to the
// core's vectorised double step in the same run (run_benchmarks.py divides the two at the
// same d):
//   core_step/double/<d>            quench::step<double> (public API, the core's chosen ISA)
//   stepwise_check/float64/<d>      one step of the stepwise check of every coordinate, as
//                                   `compare` runs it (stepwise_engine.hpp: the regions and
//                                   the report's bookkeeping), from records held in memory
//   stepwise_check/float32/<d>      the same under the float32 model
//   stepwise_reference/float64/<d>  the per-coordinate reference path (check_step in long
//                                   double and StepwiseReport::offer for every coordinate),
//                                   which the engine must reproduce: the cost before the
//                                   engine, measured in the same run
//   stepwise_npy/float64/<d>        `compare` end to end (stepwise_compare_command) on .npy
//   stepwise_npy/float32/<d>        files written at set-up: trace, gradients, phi0 and the
//                                   candidate's gt, st, eta, phi; parsing and reading included
// The records are the core's own double run on a noisy trace (B = 8, K = 4, eta_max = 0.25):
// T = 64 steps of W = min(d, 2^16) coordinates, cycled; d > W is covered in chunks of W
// that reuse the records (the oracle's carried state is d long and streams from memory, as
// in a real run). The in-memory checks are timed on steps 6 .. 64 (restarts untimed), as
// core_step is timed past warm-up. items_per_second = coordinate-steps per second.
#include "bench_common.hpp"

#include "reference_run.hpp"
#include "stepwise_compare.hpp"
#include "stepwise_engine.hpp"
#include "stepwise_constants.hpp"
#include "stepwise_model.hpp"
#include "stepwise_report.hpp"

#include "npy.hpp"
#include "quench/quench.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace {

using namespace quench::oracle;
using namespace quench::oracle::stepwise;

bool any_failed = false;  // the smoke test must be able to fail

quench::Hyperparameters<double> hyper() {
    quench::Hyperparameters<double> h;
    h.batch_size = 8;
    h.warmup = 4;
    h.lambda_rate = 0.125;
    h.options.eta_max = 0.25;
    return h;
}

/// The noisy gradient of coordinate i at one step.
double gradient(std::mt19937_64& rng, std::size_t i) {
    std::normal_distribution<double> noise(0, 1);
    return 0.5 + 0.01 * static_cast<double>(i % 7) + noise(rng);
}

/// The trace's gradients and the core's records of T steps for W coordinates.
struct Recording {
    std::size_t w, T;
    std::vector<std::vector<double>> g, gt, st, eta, phi;
    Recording(std::size_t width, std::size_t steps) : w(width), T(steps) {
        ReferenceRun<double> run(hyper(), std::vector<double>(w, 1.0));
        std::mt19937_64 rng(11);
        for (std::size_t t = 0; t < T; ++t) {
            std::vector<double> gi(w);
            for (std::size_t i = 0; i < w; ++i) gi[i] = gradient(rng, i);
            run.step(gi, "bench");
            g.push_back(gi);
            gt.push_back(run.values(Quantity::gt));
            st.push_back(run.values(Quantity::st));
            eta.push_back(run.values(Quantity::eta));
            phi.push_back(run.values(Quantity::phi));
        }
    }
};

constexpr std::size_t record_width = std::size_t{1} << 16;
constexpr std::size_t record_steps = 64;
/// The checks are timed from step 6 on (after the warm-up of K = 4 steps and the first step
/// after it), like core_step, which is timed past warm-up: the first step of a run goes to
/// check_step for every coordinate (the rounding of its mass puts w/c' just above 1), and the
/// warm-up steps skip the rate; both are measured end to end by stepwise_npy.
constexpr std::size_t first_timed = 5;

void core_step(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    const quench::Hyperparameters<double> h = hyper();
    quench::State<double> s(d, h);
    std::vector<double> phi(d, 1.0);
    std::mt19937_64 rng(11);
    std::vector<std::vector<double>> g(2, std::vector<double>(d));
    for (std::size_t i = 0; i < d; ++i) g[0][i] = gradient(rng, i), g[1][i] = gradient(rng, i);
    for (int t = 0; t < 8; ++t) quench::step<double>(s, h, g[t % 2], phi);  // past warm-up
    std::int64_t n = 0;
    for (auto _ : st) {
        quench::step<double>(s, h, g[n++ % 2], phi);
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
}

/// The engine as `compare` runs it, under precision P's model (for float32, the double
/// records satisfy float32's model by far).
template <CandidatePrecision P>
void stepwise_check(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    const Recording r(std::min(d, record_width), record_steps);
    const Constants<double> k = make_constants<double>(hyper(), P);
    const std::vector<Quantity> recorded{Quantity::gt, Quantity::st, Quantity::eta, Quantity::phi};
    StepwiseReport report(P, true, recorded);
    StepwiseEngine engine(k, d, true, recorded);
    std::vector<Box<double>> phi0(d, point<double>(1));
    auto one_step = [&](std::size_t t) {
        for (std::size_t c0 = 0; c0 < d; c0 += r.w) {
            const std::size_t n = std::min(r.w, d - c0);
            const double* rec[quantity_count] = {r.gt[t].data(), r.st[t].data(), nullptr, nullptr,
                                                 r.eta[t].data(), r.phi[t].data()};
            engine.check(t + 1, r.g[t].data(), false, rec, c0, n, report);
        }
        engine.finish_step();
    };
    // Steps 1 .. first_timed, untimed after every restart (as core_step starts past warm-up).
    auto restart = [&] {
        engine.reset(phi0);
        for (std::size_t t = 0; t < first_timed; ++t) one_step(t);
    };
    restart();
    std::size_t t = first_timed;
    for (auto _ : st) {
        if (t == r.T) {
            st.PauseTiming();
            restart();
            st.ResumeTiming();
            t = first_timed;
        }
        one_step(t++);
    }
    if (report.status() != 0) {
        any_failed = true;
        st.SkipWithError("the core's own run did not agree with the stepwise check");
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
}


/// The reference path: check_step in the oracle's previous interval type and offer() for
/// every coordinate.
template <CandidatePrecision P>
void stepwise_reference(benchmark::State& st) {
    using R = oracle_real<P>;
    const auto d = static_cast<std::size_t>(st.range(0));
    const Recording r(std::min(d, record_width), record_steps);
    const Constants<R> k = make_constants<R>(hyper(), P);
    std::vector<Carried<R>> carried(d);
    auto reset = [&] {
        for (auto& c : carried) c = Carried<R>{Box<R>{0, 0}, k.warm_weight, Box<R>{0, 0}, Box<R>{0, 0}, point<R>(1)};
    };
    StepwiseReport report(P, true, {Quantity::gt, Quantity::st, Quantity::eta, Quantity::phi});
    auto one_step = [&](std::size_t t) {
        for (std::size_t i = 0; i < d; ++i) {
            const std::size_t j = i % r.w;
            Recorded<R> rec;
            rec.gt = r.gt[t][j];
            rec.st = r.st[t][j];
            rec.eta = r.eta[t][j];
            rec.phi = r.phi[t][j];
            const StepChecks<R> checks =
                check_step<R>(t + 1, candidate_gradient<R>(r.g[t][j], false, k), rec, true, k, carried[i], true);
            report.offer(t + 1, i, rec, checks);
        }
    };
    auto restart = [&] {
        reset();
        for (std::size_t t = 0; t < first_timed; ++t) one_step(t);
    };
    restart();
    std::size_t t = first_timed;
    for (auto _ : st) {
        if (t == r.T) {
            st.PauseTiming();
            restart();
            st.ResumeTiming();
            t = first_timed;
        }
        one_step(t++);
    }
    if (report.status() != 0) {
        any_failed = true;
        st.SkipWithError("the core's own run did not agree with the reference stepwise check");
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
}

/// A (rows, cols) .npy of float64 or float32 values.
void write_npy(const std::string& path, const std::vector<std::vector<double>>& rows, bool float32) {
    std::ofstream out(path, std::ios::binary);
    std::string header = npy_header_f8(rows.size(), rows.empty() ? 0 : rows[0].size());
    if (float32) header.replace(header.find("<f8"), 3, "<f4");
    out << header;
    for (const auto& row : rows)
        for (double v : row) {
            if (float32) {
                const float f = static_cast<float>(v);
                out.write(reinterpret_cast<const char*>(&f), sizeof f);
            } else {
                out.write(reinterpret_cast<const char*>(&v), sizeof v);
            }
        }
}

/// `compare` end to end on .npy files: a trace of T(d) steps (about 2^23 coordinate-steps,
/// at least 64 steps) and the core's records, as float64 or rounded to float32. At least 64:
/// the first step costs more than the others (its coordinates go through check_step), and
/// with 16 steps at d = 10^6 it weighed on the rate (float32: 65 times the double step
/// against 46 with 64 steps); the runs the check is for have 10^2..10^5 steps, so 64 steps
/// still overstate that start-up's share.
template <CandidatePrecision P>
void stepwise_npy(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    const std::size_t T = std::max<std::size_t>(64, std::min<std::size_t>(4096, (std::size_t{1} << 23) / d));
    const bool f32 = P == CandidatePrecision::float32;
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("quench-bench-stepwise-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        ReferenceRun<double> run(hyper(), std::vector<double>(d, 1.0));
        std::mt19937_64 rng(11);
        std::vector<std::vector<double>> g, gt, s2, eta, phi;
        for (std::size_t t = 0; t < T; ++t) {
            std::vector<double> gi(d);
            for (std::size_t i = 0; i < d; ++i) gi[i] = gradient(rng, i);
            run.step(gi, "bench");
            g.push_back(gi);
            gt.push_back(run.values(Quantity::gt));
            s2.push_back(run.values(Quantity::st));
            eta.push_back(run.values(Quantity::eta));
            phi.push_back(run.values(Quantity::phi));
        }
        write_npy((dir / "g.npy").string(), g, false);
        write_npy((dir / "gt.npy").string(), gt, f32);
        write_npy((dir / "st.npy").string(), s2, f32);
        write_npy((dir / "eta.npy").string(), eta, f32);
        write_npy((dir / "phi.npy").string(), phi, f32);
        // phi0 as a 1-D (d,) .npy: the (1, d) header with its shape rewritten (the same length,
        // padded with spaces, so the data still starts at byte 128).
        write_npy((dir / "phi0.npy").string(), {std::vector<double>(d, 1.0)}, false);
        {
            std::fstream f(dir / "phi0.npy", std::ios::in | std::ios::out | std::ios::binary);
            std::string header(128, '\0');
            f.read(header.data(), 128);
            const std::string two_d = "(1, " + std::to_string(d) + ")", one_d = "(" + std::to_string(d) + ",)  ";
            header.replace(header.find(two_d), two_d.size(), one_d);
            f.seekp(0);
            f.write(header.data(), 128);
        }
        std::ofstream(dir / "trace.jsonl")
            << "{\"format\":\"quench-trace\",\"version\":1,\"hyperparameters\":{\"batch_size\":8,\"warmup\":4,"
               "\"lambda_rate\":0.125},\"options\":{\"eta_max\":0.25},\"phi0\":\"phi0.npy\",\"gradients\":\"g.npy\"}\n";
    }
    StepwiseOptions o;
    o.trace = (dir / "trace.jsonl").string();
    for (auto [q, name] : {std::pair{Quantity::gt, "gt"}, {Quantity::st, "st"}, {Quantity::eta, "eta"},
                           {Quantity::phi, "phi"}})
        o.candidate_npy.emplace_back(q, (dir / (std::string(name) + ".npy")).string());
    std::ostringstream sink;
    std::streambuf* old = std::cout.rdbuf(sink.rdbuf());
    for (auto _ : st) {
        sink.str("");
        if (stepwise_compare_command(o) != 0) {
            any_failed = true;
            st.SkipWithError("the core's own run did not agree (end to end)");
            break;
        }
    }
    std::cout.rdbuf(old);
    std::filesystem::remove_all(dir);
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d * T));
    st.counters["steps"] = static_cast<double>(T);
}

}  // namespace

int main(int argc, char** argv) {
    const quench_bench::Flags flags = quench_bench::parse_flags(argc, argv);
    std::vector<std::int64_t> dims;
    if (flags.smoke) dims = {64};
    else
        for (double x = 1e3; x <= std::min(flags.max_d, 1e6) * 1.0001; x *= 10)
            if (x >= flags.min_d * 0.9999) dims.push_back(static_cast<std::int64_t>(x));
    int registered = 0;
    auto add = [&](const char* name, auto fn) {
        auto* b = quench_bench::configure(benchmark::RegisterBenchmark(name, fn), flags);
        for (std::int64_t d : dims) b->Arg(d);
        registered += static_cast<int>(dims.size());
    };
    add("core_step/double", core_step);
    add("stepwise_check/float64", stepwise_check<CandidatePrecision::float64>);
    add("stepwise_check/float32", stepwise_check<CandidatePrecision::float32>);
    add("stepwise_reference/float64", stepwise_reference<CandidatePrecision::float64>);
    add("stepwise_reference/float32", stepwise_reference<CandidatePrecision::float32>);
    add("stepwise_npy/float64", stepwise_npy<CandidatePrecision::float64>);
    add("stepwise_npy/float32", stepwise_npy<CandidatePrecision::float32>);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    const bool all_ran = ran == static_cast<std::size_t>(registered);  // a filter may skip some
    return (all_ran || !flags.smoke) && !any_failed ? 0 : 1;
}
