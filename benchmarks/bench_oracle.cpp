// bench_oracle: throughput of `quench-oracle run`, in process: each iteration is
// one complete run_command() of the oracle's library (read the trace, step the core's
// quench::step at the working type, write the JSON Lines trajectory), on the same generated
// trace (oracle_bench_trace.hpp: d = 10, 2000 steps by default). items/s = steps per second.
//   oracle_run/double          --precision double             (double)
//   oracle_run/double_enclose  --precision double --enclose   (quench::rigorous_interval)
//   oracle_run/50              --precision 50                 (MPFR, 50 digits)
//   oracle_run/50_enclose      --precision 50 --enclose       (MPFI centred forms, 50 digits)
//   oracle_run/50_enclose_interval  ... --enclosure interval  (plain MPFI intervals)
// run_benchmarks.py divides double's steps/s by each one's (same run) for the slowdowns.
// Flags: --smoke (20 steps, one iteration each), --steps=N; Google Benchmark's pass through.
#include "bench_common.hpp"
#include "oracle_bench_trace.hpp"

#include "run_command.hpp"
#include "scalar_types.hpp"
#include "support/temporary_folder.hpp"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

/// Set when a run fails: the binary then exits non-zero (the smoke test must be able to fail).
bool any_run_failed = false;

void fail(benchmark::State& st, const std::string& why) {
    any_run_failed = true;
    std::cerr << "bench_oracle: " << why << '\n';
    st.SkipWithError(why.c_str());
}

struct Setup {
    std::string trace, output;
    std::int64_t steps = 0;
};

void oracle_run(benchmark::State& st, const Setup* setup, const char* precision, bool enclose,
                quench::oracle::EnclosureMethod method) {
    quench::oracle::RunOptions o;
    o.trace = setup->trace;
    o.enclose = enclose;
    o.enclosure = method;
    o.jsonl = setup->output;
    try {
        o.precision = quench::oracle::parse_precision(precision);
    } catch (const std::exception& e) {
        fail(st, e.what());
        return;
    }
    for (auto _ : st) {
        try {
            if (quench::oracle::run_command(o) != 0) {
                fail(st, "quench-oracle run returned a non-zero status");
                break;
            }
        } catch (const std::exception& e) {
            fail(st, e.what());
            break;
        }
    }
    st.SetItemsProcessed(st.iterations() * setup->steps);
    st.counters["steps"] = static_cast<double>(setup->steps);
    st.SetLabel(std::string(precision) + (enclose ? " --enclose" : "") +
                (enclose && method == quench::oracle::EnclosureMethod::interval ? " --enclosure interval" : ""));
}

/// Removes --steps=N from argv; returns N (or `fallback`).
std::int64_t parse_steps(int& argc, char** argv, std::int64_t fallback) {
    std::int64_t steps = fallback;
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--steps=", 8) == 0) steps = std::strtoll(argv[i] + 8, nullptr, 10);
        else argv[out++] = argv[i];
    }
    argc = out;
    return steps;
}

}  // namespace

int main(int argc, char** argv) {
    const quench_bench::Flags flags = quench_bench::parse_flags(argc, argv);
    const std::int64_t steps = parse_steps(argc, argv, flags.smoke ? 20 : 2000);
    if (steps < 1) {
        std::cerr << "bench_oracle: --steps must be a positive integer\n";
        return 2;
    }
    try {
        const quench::tools::TemporaryFolder dir("quench-bench-oracle", "bench_oracle");
        Setup setup{(dir.path() / "trace.jsonl").string(), (dir.path() / "trajectory.jsonl").string(), steps};
        quench_bench::write_oracle_trace(setup.trace, steps);
        using quench::oracle::EnclosureMethod;
        auto reg = [&](const char* name, const char* precision, bool enclose,
                       EnclosureMethod method = EnclosureMethod::centred) {
            quench_bench::configure(
                benchmark::RegisterBenchmark(name, oracle_run, &setup, precision, enclose, method), flags)
                ->Unit(benchmark::kMillisecond);
        };
        reg("oracle_run/double", "double", false);
        reg("oracle_run/double_enclose", "double", true);
        reg("oracle_run/50", "50", false);
        reg("oracle_run/50_enclose", "50", true);
        reg("oracle_run/50_enclose_interval", "50", true, EnclosureMethod::interval);
        benchmark::Initialize(&argc, argv);
        if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
        const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
        if (ran == 0 || any_run_failed) return 1;
    } catch (const std::exception& e) {
        std::cerr << "bench_oracle: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
