// bench_stepwise: the cost of the oracle's stepwise verdict per coordinate-step, next to the
// core's vectorised double step in the same run (run_benchmarks.py divides the two):
//   core_step/double/<d>         quench::step<double> (public API, the core's chosen ISA)
//   stepwise_check/float64/<d>   one step of the stepwise check of every coordinate (the
//                                model's regions, stepwise_model.hpp, and the report's
//                                bookkeeping) from records held in memory; the oracle's
//                                intervals in long double
//   stepwise_check/float32/<d>   the same under the float32 model (intervals in double)
// The records are the core's own double run on a noisy trace (B = 8, K = 4, default
// options), T = 64 steps, cycled. items_per_second = coordinate-steps per second. Reading
// the .npy files is not included (compare streams them; measured end to end in
// oracle/README.md "Streaming").
#include "bench_common.hpp"

#include "reference_run.hpp"
#include "stepwise_model.hpp"
#include "stepwise_report.hpp"

#include "quench/quench.hpp"

#include <random>
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

/// The trace's gradients and the core's records of T steps for d coordinates.
struct Recording {
    std::size_t d, T = 64;
    std::vector<std::vector<double>> g, gt, st, eta, phi;
    explicit Recording(std::size_t dim) : d(dim) {
        ReferenceRun<double> run(hyper(), std::vector<double>(d, 1.0));
        std::mt19937_64 rng(11);
        std::normal_distribution<double> noise(0, 1);
        for (std::size_t t = 0; t < T; ++t) {
            std::vector<double> gi(d);
            for (std::size_t i = 0; i < d; ++i) gi[i] = 0.5 + 0.01 * static_cast<double>(i % 7) + noise(rng);
            run.step(gi, "bench");
            g.push_back(gi);
            gt.push_back(run.values(Quantity::gt));
            st.push_back(run.values(Quantity::st));
            eta.push_back(run.values(Quantity::eta));
            phi.push_back(run.values(Quantity::phi));
        }
    }
};

template <class R>
Constants<R> constants(CandidatePrecision p) {
    const quench::Hyperparameters<double> h = hyper();
    Constants<R> k;
    k.set_precision(p);
    const R u = k.u;
    auto c = [&](double x) { return relative(static_cast<R>(x), static_cast<R>(double_roundoff) + u); };
    k.batch = c(h.batch_size);
    k.warmup = h.warmup;
    k.warmup_batch = point<R>(static_cast<R>(h.warmup));
    k.rate_factor = c(h.lambda_rate) / k.batch;
    k.weight_factor = point<R>(1) / c(h.lambda_batch);
    k.batch_factor = c(h.lambda_batch) * k.batch;
    k.epsilon = c(h.epsilon);
    k.eta_max = c(*h.options.eta_max);
    k.max_weight = c(*h.options.max_weight);
    k.warm_weight = limit_weight(widen_relative(k.batch / point<R>(static_cast<R>(h.warmup)), gamma(1, u)), k);
    return k;
}

void core_step(benchmark::State& st) {
    const auto d = static_cast<std::size_t>(st.range(0));
    const quench::Hyperparameters<double> h = hyper();
    quench::State<double> s(d, h);
    std::vector<double> phi(d, 1.0);
    const Recording r(std::min<std::size_t>(d, 4096));
    std::vector<std::vector<double>> g(2, std::vector<double>(d));
    for (std::size_t i = 0; i < d; ++i) g[0][i] = r.g[0][i % r.d], g[1][i] = r.g[1][i % r.d];
    for (int t = 0; t < 8; ++t) quench::step<double>(s, h, g[t % 2], phi);  // past warm-up
    std::int64_t n = 0;
    for (auto _ : st) {
        quench::step<double>(s, h, g[n++ % 2], phi);
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
}

/// The check of the core's double run under precision P's model (for float32 the records
/// are the double run rounded to float, as a float32 candidate would store them: checked at
/// float32's model, which they satisfy by far).
template <CandidatePrecision P>
void stepwise_check(benchmark::State& st) {
    using R = oracle_real<P>;
    const auto d = static_cast<std::size_t>(st.range(0));
    const Recording r(d);
    const Constants<R> k = constants<R>(P);
    std::vector<Carried<R>> carried(d);
    auto reset = [&] {
        for (auto& c : carried) c = Carried<R>{Box<R>{0, 0}, k.warm_weight, Box<R>{0, 0}, Box<R>{0, 0}, point<R>(1)};
    };
    reset();
    StepwiseReport report(P, true, {Quantity::gt, Quantity::st, Quantity::eta, Quantity::phi});
    std::size_t t = 0;
    for (auto _ : st) {
        if (t == r.T) {
            t = 0;
            reset();
        }
        for (std::size_t i = 0; i < d; ++i) {
            Recorded<R> rec;
            rec.gt = r.gt[t][i];
            rec.st = r.st[t][i];
            rec.eta = r.eta[t][i];
            rec.phi = r.phi[t][i];
            const StepChecks<R> checks = check_step<R>(t + 1, candidate_gradient<R>(r.g[t][i], false, k), rec, true, k, carried[i]);
            report.offer(t + 1, i, rec, checks);
        }
        ++t;
    }
    if (report.status() != 0) {
        any_failed = true;
        st.SkipWithError("the core's own run did not agree with the stepwise check");
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(d));
}

}  // namespace

int main(int argc, char** argv) {
    const quench_bench::Flags flags = quench_bench::parse_flags(argc, argv);
    const std::int64_t d = flags.smoke ? 64 : 4096;
    quench_bench::configure(benchmark::RegisterBenchmark("core_step/double", core_step), flags)->Arg(d);
    quench_bench::configure(benchmark::RegisterBenchmark("stepwise_check/float64",
                                                         stepwise_check<CandidatePrecision::float64>), flags)->Arg(d);
    quench_bench::configure(benchmark::RegisterBenchmark("stepwise_check/float32",
                                                         stepwise_check<CandidatePrecision::float32>), flags)->Arg(d);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return ran == 3 && !any_failed ? 0 : 1;
}
