// bench_exactness: the cost of exactness. One quenching-SGD step (docs/spec.md steps 1-6, E20) per
// coordinate in each supported scalar type, at d = 1000, with the derivation's
// meta-parameters and the default options; run_benchmarks.py divides each type's
// coordinates per second by double's (same run) to give the cost ratios.
//   exact/double          quench::step<double> (vectorised, dispatched)
//   exact/double_generic  the generic loop for double (what every other type runs)
//   exact/<type>          quench::step<type>
#include "bench_common.hpp"

#include "quench/interval.hpp"
#include "quench/mpfi.hpp"
#include "quench/quench.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <string>
#include <vector>

namespace {

namespace mp = boost::multiprecision;

template <class T>
struct Fixture {
    quench::Hyperparameters<T> h = quench::Hyperparameters<T>::from_smoothness(T(32), T(1), 1);
    quench::State<T> state;
    std::vector<T> g0, g1, phi;
    explicit Fixture(std::size_t d) : state(d, h), phi(d, T(0)) {
        for (double x : quench_bench::gradient<double>(d, 1)) g0.push_back(T(x));
        for (double x : quench_bench::gradient<double>(d, 2)) g1.push_back(T(x));
        quench::step<T>(state, h, g0, phi);  // warm-up (K = 1)
        quench::step<T>(state, h, g1, phi);
    }
};

template <class T, bool Generic = false>
void exact(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    Fixture<T> f(d);
    const quench::detail::StepConstants<T> k(f.h);
    std::int64_t n = 0;
    for (auto _ : st) {
        const std::vector<T>& g = n++ % 2 ? f.g1 : f.g0;
        if constexpr (Generic) {
            quench::detail::generic_pass<T>(quench::detail::step_policy<T>(k, f.state, f.h, {}), k,
                                            f.state, g, f.phi);
            ++f.state.t;
        } else {
            quench::step<T>(f.state, f.h, g, f.phi);
        }
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
}

}  // namespace

int main(int argc, char** argv) {
    const quench_bench::Flags flags = quench_bench::parse_flags(argc, argv);
    const std::int64_t d = flags.smoke ? 16 : 1000;
    auto reg = [&](const char* name, void (*fn)(benchmark::State&)) {
        quench_bench::configure(benchmark::RegisterBenchmark(name, fn), flags)
            ->Arg(d)->Unit(benchmark::kMicrosecond);
    };
    reg("exact/double", exact<double>);
    reg("exact/double_generic", exact<double, true>);
    reg("exact/float", exact<float>);
    reg("exact/long_double", exact<long double>);
    reg("exact/cpp_bin_float_50", exact<mp::cpp_bin_float_50>);
    reg("exact/mpfr_float_50", exact<mp::mpfr_float_50>);
    reg("exact/rigorous_interval", exact<quench::rigorous_interval>);
    reg("exact/mpfi_float_50", exact<mp::mpfi_float_50>);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
