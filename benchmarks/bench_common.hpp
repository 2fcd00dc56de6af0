// bench_common.hpp - what every quench benchmark binary shares: its own size flags, so that
// the smoke test (CTest label "benchmark") runs each benchmark once at its smallest size.
//   --smoke          register only the smallest size, one iteration each
//   --max-d=N        largest dimension for the step and limit benchmarks (default 1e8)
//   --min-d=N        smallest one (default 1e3): --min-d=1e8 --max-d=1e8 runs only 10^8
// Google Benchmark's flags (--benchmark_filter, --benchmark_format=json, ...) pass through.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace quench_bench {

struct Flags {
    bool smoke = false;
    double max_d = 1e8;
    double min_d = 1e3;
};

/// The number N of a flag --name=N: a dimension from 1e3 to 1e10, else exit 2 with a message.
inline double dimension_flag(const char* arg) {
    const char* text = std::strchr(arg, '=') + 1;
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(v >= 1e3 && v <= 1e10)) {
        std::fprintf(stderr, "error: %s: expected a dimension between 1e3 and 1e10\n", arg);
        std::exit(2);
    }
    return v;
}

/// Removes this file's flags from argv (so benchmark::Initialize does not reject them).
inline Flags parse_flags(int& argc, char** argv) {
    Flags f;
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--smoke") == 0) f.smoke = true;
        else if (std::strncmp(argv[i], "--max-d=", 8) == 0) f.max_d = dimension_flag(argv[i]);
        else if (std::strncmp(argv[i], "--min-d=", 8) == 0) f.min_d = dimension_flag(argv[i]);
        else argv[out++] = argv[i];
    }
    argc = out;
    if (f.min_d > f.max_d) {
        std::fprintf(stderr, "error: --min-d is above --max-d\n");
        std::exit(2);
    }
    return f;
}

/// Dimensions 10^3 .. max_d by decades, from min_d on (only 10^3 in a smoke run).
inline std::vector<std::int64_t> dimensions(const Flags& f) {
    std::vector<std::int64_t> d;
    for (double x = 1e3; x <= f.max_d * 1.0001; x *= 10) {
        if (!f.smoke && x < f.min_d * 0.9999) continue;
        d.push_back(static_cast<std::int64_t>(x));
        if (f.smoke) break;
    }
    return d;
}

/// Gradients of unit scale with a fixed seed: the same data for every benchmark.
template <class T>
std::vector<T> gradient(std::size_t d, std::uint64_t seed = 7) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1, 1);
    std::vector<T> g(d);
    for (auto& x : g) x = T(u(rng));
    return g;
}

/// Smoke runs: one iteration, no timing target.
inline benchmark::internal::Benchmark* configure(benchmark::internal::Benchmark* b, const Flags& f) {
    if (f.smoke) b->Iterations(1);
    return b;
}

}  // namespace quench_bench
