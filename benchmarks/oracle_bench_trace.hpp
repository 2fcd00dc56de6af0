// oracle_bench_trace.hpp - the trace bench_oracle times `quench-oracle run` on: d = 10
// coordinates, B = 8, K = 10, lambda_eta = B/64, eta_max = 1/4 (X9), the default options,
// gradients g_i = mu_i + 0.1 z (mu_i = 1 + i/10, z standard normal, fixed seed), written as
// JSON Lines (oracle/README.md, "The trace") with shortest round-trip doubles.
//
// Why signal-dominated: interval enclosures widen with the steps on noisy traces (the
// dependency effect, oracle/README.md "Limits"); on a noise-dominated trace the double
// enclosure becomes unbounded within a few hundred steps and the run stops. Here both the
// double and the 50-digit enclosures stay tight for thousands of steps, so all four runs
// (double / rigorous_interval / MPFR / MPFI) process the same trace to the end.
#pragma once

#include <charconv>
#include <cstdint>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

namespace quench_bench {

inline constexpr int oracle_trace_dimension = 10;

inline void append_double(std::string& out, double x) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);  // shortest round trip
    out.append(buf, r.ptr);
}

/// Writes the trace of `steps` gradients to `path`; throws std::runtime_error on failure.
inline void write_oracle_trace(const std::string& path, std::int64_t steps) {
    constexpr int d = oracle_trace_dimension;
    std::string text =
        R"J({"format":"quench-trace","version":1,)J"
        R"J("comment":"bench_oracle: signal-dominated, d = 10 (benchmarks/oracle_bench_trace.hpp)",)J"
        R"J("hyperparameters":{"batch_size":8,"warmup":10,"lambda_rate":0.125},)J"
        R"J("options":{"eta_max":0.25},"phi0":[)J";
    for (int i = 0; i < d; ++i) {
        if (i) text += ',';
        append_double(text, 1.0 + 0.1 * i);
    }
    text += "],\"steps\":" + std::to_string(steps) + "}\n";
    std::mt19937_64 rng(20170226);
    std::normal_distribution<double> z(0.0, 1.0);
    for (std::int64_t t = 0; t < steps; ++t) {
        text += "{\"g\":[";
        for (int i = 0; i < d; ++i) {
            if (i) text += ',';
            append_double(text, 1.0 + 0.1 * i + 0.1 * z(rng));
        }
        text += "]}\n";
    }
    std::ofstream f(path, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw std::runtime_error(path + ": cannot write the benchmark trace");
}

}  // namespace quench_bench
