// bench_step: throughput of one quenching-SGD step (docs/spec.md steps 1-6, E20) for float and
// double, d = 10^3 .. 10^8 coordinates, next to its limits and rivals in the same run:
//   step/<T>/<d>                    quench::step (public API: validation pass + fused pass,
//                                   instruction set and threads chosen by the core)
//   step_outputs/<T>/<d>            the same with the per-step outputs {eta, bstar}, as the
//                                   README's example calls it (two more arrays written)
//   kernel/<T>/<isa>/<threads>/<d>  the fused pass alone, per instruction-set variant
//                                   (scalar = the generic loop of quench_sgd.hpp)
//   triad/<T>/<threads>/<d>         a = b + s c over the same number of bytes as step
//   triad/<T>/<threads>-inplace/<d> a += s b, the same (no write-allocate)
//   shape/<T>/<threads>/<d>         the step's own memory traffic (a read pass over ghat, then
//                                   six arrays read and five written) with one addition per
//                                   value: the bandwidth limit of the step's access pattern
//   adam/<T>/<d>, sgd/<T>/<d>       the usual Adam and SGD steps
// Counters: items_per_second = coordinates per second; bytes_per_second = bytes the loop
// really moves (see the byte counts below). The results script (run_benchmarks.py) divides
// step's bytes/s by the best triad's bytes/s at the same d: the headline ratio.
#include "baselines.hpp"
#include "bench_common.hpp"

#include "quench/quench.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

using quench_bench::Flags;

// Bytes per coordinate of one step, each counted once per pass that touches it:
// validation reads ghat (1); the fused pass reads ghat, phi, mean, second, mass, weight (6)
// and writes phi, mean, second, mass, weight (5), every one a line it has just read.
template <class T> constexpr std::int64_t step_bytes = 12 * sizeof(T);
// With outputs: eta and Bstar written too (write-allocate: each also fetched once).
template <class T> constexpr std::int64_t step_outputs_bytes = 16 * sizeof(T);
template <class T> constexpr std::int64_t kernel_bytes = 11 * sizeof(T);
// Triad per element: reads b and c, writes a; a is not read by the loop but the cache
// must fetch its line before writing it (write-allocate), so the memory moves 4 values.
template <class T> constexpr std::int64_t triad_bytes = 4 * sizeof(T);
template <class T> constexpr std::int64_t adam_bytes = 7 * sizeof(T);  // g, m, v, p; m, v, p
template <class T> constexpr std::int64_t sgd_bytes = 3 * sizeof(T);   // g, p; p

/// The derivation's meta-parameters with the default options (X8, X9, X11, X13, X14, X15 on).
template <class T>
quench::Hyperparameters<T> hyper() {
    return quench::Hyperparameters<T>::from_smoothness(T(32), T(1), 1);
}

/// A state past warm-up and two alternating gradients (so the variance stays positive).
template <class T>
struct StepFixture {
    quench::Hyperparameters<T> h = hyper<T>();
    quench::State<T> state;
    std::vector<T> g0, g1, phi;
    explicit StepFixture(std::size_t d)
        : state(d, h), g0(quench_bench::gradient<T>(d, 1)), g1(quench_bench::gradient<T>(d, 2)),
          phi(d, T(0)) {
        quench::step<T>(state, h, g0, phi);  // warm-up (K = 1)
        quench::step<T>(state, h, g1, phi);
    }
    const std::vector<T>& gradient(std::int64_t n) const { return n % 2 ? g1 : g0; }
};

template <class T, bool Outputs = false>
void step(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    StepFixture<T> f(d);
    std::vector<T> eta(Outputs ? d : 0), bstar(Outputs ? d : 0);
    const quench::StepOutputs<T> out{eta, bstar};  // empty spans without outputs
    std::int64_t n = 0;
    for (auto _ : st) {
        quench::step<T>(f.state, f.h, f.gradient(n++), f.phi, out);
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
    st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(d) *
                         (Outputs ? step_outputs_bytes<T> : step_bytes<T>));
    st.counters["threads"] = d >= quench::detail::parallel_threshold ? quench::detail::max_step_threads() : 1;
    st.SetLabel(quench::detail::kernel_isa_name(quench::detail::active_kernel_isa()));
}

template <class T>
void kernel(benchmark::State& st, quench::detail::KernelIsa isa, unsigned threads) {
    const auto d = static_cast<std::size_t>(st.range(0));
    StepFixture<T> f(d);
    const quench::detail::StepConstants<T> k(f.h);
    const auto policy = quench::detail::step_policy<T>(k, f.state, f.h, {});
    std::int64_t n = 0;
    for (auto _ : st) {
        const std::vector<T>& g = f.gradient(n++);
        if (isa == quench::detail::KernelIsa::scalar)
            quench::detail::generic_pass<T>(policy, k, f.state, g, f.phi);
        else
            quench::detail::vector_pass<T>(policy, isa, threads, k, f.state, g, f.phi);
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
    st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(d) * kernel_bytes<T>);
}

/// Runs body(begin, end) over [0, n) split over `threads` threads.
template <class F>
void split(std::size_t n, unsigned threads, F body) {
    if (threads <= 1) return body(std::size_t(0), n);
    const std::size_t chunk = ((n + threads - 1) / threads + 63) / 64 * 64;
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
        const std::size_t b = std::min(n, t * chunk), e = std::min(n, b + chunk);
        pool.emplace_back([=] { body(b, e); });
    }
    body(0, std::min(n, chunk));
    for (auto& th : pool) th.join();
}

template <class T>
void triad(benchmark::State& st, unsigned threads) {
    const auto d = static_cast<std::size_t>(st.range(0));
    // As many bytes as one step over d coordinates moves.
    const std::size_t n = d * step_bytes<T> / triad_bytes<T>;
    std::vector<T> a(n, T(0)), b(quench_bench::gradient<T>(n, 3)), c(quench_bench::gradient<T>(n, 4));
    for (auto _ : st) {
        split(n, threads, [&](std::size_t lo, std::size_t hi) {
            quench_bench::triad<T>(a.data(), b.data(), c.data(), T(0.5), lo, hi);
        });
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));  // per step-equivalent
    st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(n) * triad_bytes<T>);
}

/// The in-place triad a += s b: reads a and b, writes a (3 values per element, no
/// write-allocate), the access pattern of the step itself.
template <class T>
void triad_in_place(benchmark::State& st, unsigned threads) {
    const auto d = static_cast<std::size_t>(st.range(0));
    const std::size_t n = d * step_bytes<T> / (3 * sizeof(T));
    std::vector<T> a(quench_bench::gradient<T>(n, 3)), b(quench_bench::gradient<T>(n, 4));
    T s = T(0.5);
    for (auto _ : st) {
        split(n, threads, [&](std::size_t lo, std::size_t hi) {
            quench_bench::triad_in_place<T>(a.data(), b.data(), s, lo, hi);
        });
        s = -s;  // a stays bounded: +b/2 then -b/2
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
    st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(n * 3 * sizeof(T)));
}

/// The step's access pattern at (almost) no arithmetic: baselines.hpp same_shape_*, split over
/// threads as step() splits d >= 2^18 (both passes).
template <class T>
void shape(benchmark::State& st, unsigned threads) {
    const auto d = static_cast<std::size_t>(st.range(0));
    const std::vector<T> g = quench_bench::gradient<T>(d, 1);
    std::vector<T> p(d, T(0)), m(d, T(0)), v(d, T(1)), c(d, T(1)), w(d, T(0));
    std::atomic<std::uint64_t> bits{0};
    for (auto _ : st) {
        split(d, threads, [&](std::size_t lo, std::size_t hi) {
            bits.fetch_or(quench_bench::same_shape_read<T>(g.data(), lo, hi), std::memory_order_relaxed);
        });
        split(d, threads, [&](std::size_t lo, std::size_t hi) {
            quench_bench::same_shape_update<T>(g.data(), p.data(), m.data(), v.data(), c.data(), w.data(), lo, hi);
        });
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(bits.load());
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
    st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(d) * step_bytes<T>);
}

template <class T>
void adam(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    std::vector<T> p(d, T(0)), m(d, T(0)), v(d, T(0));
    const std::vector<T> g0 = quench_bench::gradient<T>(d, 1), g1 = quench_bench::gradient<T>(d, 2);
    std::uint64_t t = 0;
    for (auto _ : st) {
        ++t;
        quench_bench::adam_step<T>(p.data(), m.data(), v.data(), (t % 2 ? g1 : g0).data(), T(1e-3), t, d);
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
    st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(d) * adam_bytes<T>);
}

template <class T>
void sgd(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    std::vector<T> p(d, T(0));
    const std::vector<T> g0 = quench_bench::gradient<T>(d, 1), g1 = quench_bench::gradient<T>(d, 2);
    std::int64_t n = 0;
    for (auto _ : st) {
        quench_bench::sgd_step<T>(p.data(), (n++ % 2 ? g1 : g0).data(), T(1e-3), d);
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
    st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(d) * sgd_bytes<T>);
}

template <class T>
void register_type(const char* type, const Flags& flags) {
    using quench::detail::KernelIsa;
    const auto dims = quench_bench::dimensions(flags);
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    auto reg = [&](const std::string& name, auto fn) {
        auto* b = quench_bench::configure(benchmark::RegisterBenchmark(name.c_str(), fn), flags);
        for (auto d : dims) b->Arg(d);
        b->Unit(benchmark::kMicrosecond)->UseRealTime();
    };
    const std::string t = type;
    reg("step/" + t, [](benchmark::State& s) { step<T>(s); });
    reg("step_outputs/" + t, [](benchmark::State& s) { step<T, true>(s); });
    for (unsigned threads = 1; threads <= hw; threads *= 2)
        reg("triad/" + t + "/" + std::to_string(threads),
            [threads](benchmark::State& s) { triad<T>(s, threads); });
    for (unsigned threads = 1; threads <= hw; threads *= 2)
        reg("triad/" + t + "/" + std::to_string(threads) + "-inplace",
            [threads](benchmark::State& s) { triad_in_place<T>(s, threads); });
    for (unsigned threads = 1; threads <= hw; threads *= 2)
        reg("shape/" + t + "/" + std::to_string(threads),
            [threads](benchmark::State& s) { shape<T>(s, threads); });
    reg("adam/" + t, [](benchmark::State& s) { adam<T>(s); });
    reg("sgd/" + t, [](benchmark::State& s) { sgd<T>(s); });
    for (KernelIsa isa : {KernelIsa::scalar, KernelIsa::baseline, KernelIsa::avx2, KernelIsa::avx512}) {
        if (!quench::detail::kernel_isa_supported(isa)) continue;
        for (unsigned threads = 1; threads <= hw; threads *= 2) {
            if (isa == KernelIsa::scalar && threads > 1) continue;
            reg("kernel/" + t + "/" + quench::detail::kernel_isa_name(isa) + "/" + std::to_string(threads),
                [isa, threads](benchmark::State& s) { kernel<T>(s, isa, threads); });
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Flags flags = quench_bench::parse_flags(argc, argv);
    register_type<double>("double", flags);
    register_type<float>("float", flags);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
