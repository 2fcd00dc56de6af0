// quench-demo: quenching SGD on a noisy quadratic, the project's demonstration job.
//
// loss(x) = (1/2) sum_i h_i x_i^2 with curvatures h_i spread log-uniformly over [L/10, L];
// a minibatch gradient is h_i x_i plus Gaussian noise of per-example standard deviation
// sigma, averaged over B examples (so its standard deviation is sigma/sqrt(B)). The
// algorithm runs with the derivation's meta-parameters (lambda_B = 16, lambda_eta =
// B/(32 L), eta_max = 1/(2 L)) and the default options; the table shows the loss falling
// while the rates "quench" (eta -> 0) and B* grows as the signal gt^2 falls below the noise.
#include "quench/quench.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <numeric>
#include <random>
#include <vector>

namespace {

/// Standard normal deviates by Box-Muller over a fixed engine: the same numbers on every
/// platform (std::normal_distribution is implementation-defined).
class Normal {
public:
    explicit Normal(std::uint64_t seed) : engine_(seed) {}
    double operator()() {
        if (has_spare_) { has_spare_ = false; return spare_; }
        const double two_pi = 6.283185307179586;
        double u1 = 0;
        while (u1 == 0) u1 = uniform();
        const double u2 = uniform();
        const double radius = std::sqrt(-2 * std::log(u1));
        spare_ = radius * std::sin(two_pi * u2);
        has_spare_ = true;
        return radius * std::cos(two_pi * u2);
    }

private:
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    std::mt19937_64 engine_;
    double spare_ = 0;
    bool has_spare_ = false;
};

double median(std::vector<double> v) {
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    return v[mid];
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"quench-demo: quenching SGD on a noisy quadratic"};
    std::size_t dim = 20;
    std::uint64_t steps = 2000, warmup = 20, seed = 1;
    double batch = 8, smoothness = 1, sigma = 1, start = 10;
    app.add_option("--dim", dim, "number of coordinates")->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24));
    app.add_option("--steps", steps, "number of steps")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100000000}));
    app.add_option("--warmup", warmup, "warm-up steps K")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
    app.add_option("--batch", batch, "batch size B (examples)")->check(CLI::PositiveNumber);
    app.add_option("--smoothness", smoothness, "largest curvature L")->check(CLI::PositiveNumber);
    app.add_option("--sigma", sigma, "per-example gradient noise")->check(CLI::NonNegativeNumber);
    app.add_option("--start", start, "initial value of every coordinate");
    app.add_option("--seed", seed, "random seed");
    CLI11_PARSE(app, argc, argv);

    try {
        if (!std::isfinite(start) || !std::isfinite(sigma) || !std::isfinite(batch) ||
            !std::isfinite(smoothness))
            throw quench::invalid_input("--start, --sigma, --batch and --smoothness must be finite");
        const auto hyper = quench::Hyperparameters<double>::from_smoothness(batch, smoothness, warmup);
        quench::State<double> state(dim, hyper);
        std::vector<double> curvature(dim), x(dim, start), grad(dim), eta(dim), bstar(dim);
        for (std::size_t i = 0; i < dim; ++i)
            curvature[i] = smoothness * std::pow(10.0, -static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(dim - 1, 1)));
        Normal normal(seed);
        const double noise = sigma / std::sqrt(batch);
        const quench::StepOutputs<double> out{eta, bstar};

        std::printf("quenching SGD on a noisy quadratic: d = %zu, B = %g, K = %llu, L = %g, sigma = %g\n",
                    dim, batch, static_cast<unsigned long long>(warmup), smoothness, sigma);
        std::printf("%8s  %14s  %12s  %12s\n", "t", "loss", "mean eta", "median B*");
        std::uint64_t next_row = 1;
        for (std::uint64_t t = 1; t <= steps; ++t) {
            for (std::size_t i = 0; i < dim; ++i) grad[i] = curvature[i] * x[i] + noise * normal();
            quench::step<double>(state, hyper, grad, x, out);
            if (t == next_row || t == steps || t == warmup || t == warmup + 1) {
                double loss = 0;
                for (std::size_t i = 0; i < dim; ++i) loss += 0.5 * curvature[i] * x[i] * x[i];
                const double mean_eta = std::accumulate(eta.begin(), eta.end(), 0.0) / static_cast<double>(dim);
                std::printf("%8llu  %14.6g  %12.4g  %12.4g\n", static_cast<unsigned long long>(t), loss,
                            mean_eta, median(bstar));
                if (t == next_row) next_row *= 2;
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quench-demo: %s\n", e.what());
        return 2;
    }
    return 0;
}
