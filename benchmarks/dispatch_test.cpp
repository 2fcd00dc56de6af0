// dispatch_test: the vectorised fused pass (core/include/quench/fused_kernel.hpp) gives
// bit-identical results to the generic scalar loop (detail::fused_pass), for float and
// double, for every instruction-set variant this processor runs, every option set that has a
// kernel, with and without bias correction (X15), in warm-up and after it (E17/E18), split
// over one or more threads. Bit-identical is the requirement because the certified
// rounding-error bounds are for the generic loop's expressions (docs/spec.md steps 1-6, E20).
#include "quench/quench.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using quench::detail::KernelArrays;
using quench::detail::KernelIsa;
using quench::detail::KernelMode;

/// Gradients of every kind the update meets: wide magnitudes and both signs, exact zeros,
/// and coordinates that repeat one value (zero variance: the X11 floor and the X9 cap).
template <class T>
std::vector<T> random_gradient(std::mt19937_64& rng, std::size_t d, const std::vector<T>& constant) {
    std::uniform_real_distribution<double> exponent(-6, 6), unit(-1, 1);
    std::vector<T> g(d);
    for (std::size_t i = 0; i < d; ++i) {
        if (i % 7 == 3) g[i] = constant[i];
        else if (i % 11 == 5) g[i] = T(0);
        else g[i] = T(unit(rng) * std::pow(10.0, exponent(rng)));
    }
    return g;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    // Empty vectors (the mass without bias correction) have data() == nullptr, which
    // memcmp must not see even for a size of 0.
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

/// Option sets with a kernel (KernelMode other than none), by name.
template <class T>
quench::Hyperparameters<T> hyper(const std::string& options, bool bias) {
    auto h = quench::Hyperparameters<T>::from_smoothness(T(8), T(3), 4);  // K = 4 warm-up steps
    h.options.bias_correction = bias;
    if (options == "clamp") h.options.max_weight.reset();
    if (options == "max_weight") h.options.clamp_weight = false;
    if (options == "literal_noise") h.options.noise = quench::NoiseStatistic::minibatch;
    return h;
}

/// Runs `steps` steps twice from the same state: once with the generic loop, once with the
/// variant `isa` on `threads` threads, and compares every array bit for bit after each step.
template <class T>
void check_variant(KernelIsa isa, unsigned threads, const std::string& options, bool bias,
                   std::size_t d) {
    const auto h = hyper<T>(options, bias);
    quench::State<T> reference(d, h), candidate(d, h);
    std::mt19937_64 rng(1234 + d + threads);
    std::vector<T> constant = random_gradient<T>(rng, d, std::vector<T>(d, T(1)));
    std::vector<T> phi_ref(d), phi(d);
    for (std::size_t i = 0; i < d; ++i) phi_ref[i] = phi[i] = T(static_cast<double>(i % 13) - 6);
    for (int t = 0; t < 12; ++t) {
        const std::vector<T> g = random_gradient<T>(rng, d, constant);
        const quench::detail::StepConstants<T> k(h);
        const bool warm = reference.t + 1 <= h.warmup;
        const KernelMode mode = quench::detail::kernel_mode(k, warm);
        ASSERT_NE(mode, KernelMode::none) << "option set " << options << " has no kernel";
        bool overflow_ref, overflow;
        if (bias) {
            overflow_ref = warm ? quench::detail::fused_pass<T, true, true, false>(k, reference, g, phi_ref, {})
                                : quench::detail::fused_pass<T, false, true, false>(k, reference, g, phi_ref, {});
            const KernelArrays<T> a{g.data(), phi.data(), candidate.mean.data(),
                                    candidate.second.data(), candidate.mass.data(),
                                    candidate.weight.data()};
            overflow = quench::detail::vector_pass<T, true>(mode, isa, threads, k, a, d);
        } else {
            overflow_ref = warm ? quench::detail::fused_pass<T, true, false, false>(k, reference, g, phi_ref, {})
                                : quench::detail::fused_pass<T, false, false, false>(k, reference, g, phi_ref, {});
            const KernelArrays<T> a{g.data(), phi.data(), candidate.mean.data(),
                                    candidate.second.data(), nullptr, candidate.weight.data()};
            overflow = quench::detail::vector_pass<T, false>(mode, isa, threads, k, a, d);
        }
        ++reference.t;
        ++candidate.t;
        const std::string where = std::string(quench::detail::kernel_isa_name(isa)) + ", " +
                                  std::to_string(threads) + " thread(s), options " + options +
                                  (bias ? ", bias" : ", no bias") + ", d " + std::to_string(d) +
                                  ", step " + std::to_string(t + 1);
        ASSERT_EQ(overflow, overflow_ref) << where;
        ASSERT_TRUE(same_bits(candidate.mean, reference.mean)) << "mean: " << where;
        ASSERT_TRUE(same_bits(candidate.second, reference.second)) << "second: " << where;
        ASSERT_TRUE(same_bits(candidate.mass, reference.mass)) << "mass: " << where;
        ASSERT_TRUE(same_bits(candidate.weight, reference.weight)) << "weight: " << where;
        ASSERT_TRUE(same_bits(phi, phi_ref)) << "phi: " << where;
    }
}

const KernelIsa all_isas[] = {KernelIsa::baseline, KernelIsa::avx2, KernelIsa::avx512};
const char* const option_sets[] = {"default", "clamp", "max_weight", "literal_noise"};

template <class T>
void check_all_variants() {
    int variants_run = 0;
    for (KernelIsa isa : all_isas) {
        if (!quench::detail::kernel_isa_supported(isa)) continue;
        ++variants_run;
        for (const char* options : option_sets)
            for (bool bias : {true, false})
                // 1013 = 63 blocks of 16 and a tail of 5; 2 threads split it at 512.
                for (unsigned threads : {1u, 2u}) check_variant<T>(isa, threads, options, bias, 1013);
    }
    EXPECT_GE(variants_run, 1);  // the baseline always runs
}

TEST(Dispatch, DoubleVariantsAreBitIdenticalToTheGenericLoop) { check_all_variants<double>(); }
TEST(Dispatch, FloatVariantsAreBitIdenticalToTheGenericLoop) { check_all_variants<float>(); }

TEST(Dispatch, ShortVectorsUseOnlyTheScalarTail) {
    for (std::size_t d : {1u, 15u, 16u, 17u})
        check_variant<double>(quench::detail::active_kernel_isa() == KernelIsa::scalar
                                  ? KernelIsa::baseline : quench::detail::active_kernel_isa(),
                              1, "default", true, d);
}

// The public step() takes the dispatched path for double (with outputs empty) and the
// generic one when outputs are asked for: both must agree bit for bit.
TEST(Dispatch, PublicStepMatchesTheReportingPath) {
    const std::size_t d = 777;
    const auto h = hyper<double>("default", true);
    quench::State<double> a(d, h), b(d, h);
    std::vector<double> pa(d, 1.0), pb(d, 1.0), eta(d), bstar(d);
    std::mt19937_64 rng(99);
    const std::vector<double> constant(d, 0.25);
    for (int t = 0; t < 10; ++t) {
        const auto g = random_gradient<double>(rng, d, constant);
        quench::step<double>(a, h, g, pa);
        quench::step<double>(b, h, g, pb, quench::StepOutputs<double>{eta, bstar});
        ASSERT_TRUE(same_bits(pa, pb)) << "step " << t + 1;
        ASSERT_TRUE(same_bits(a.weight, b.weight)) << "step " << t + 1;
    }
}

// An overflowing phi is reported by every variant (the caller throws overflow_error).
TEST(Dispatch, EveryVariantReportsAnOverflowingParameter) {
    for (KernelIsa isa : all_isas) {
        if (!quench::detail::kernel_isa_supported(isa)) continue;
        for (std::size_t where : {0u, 37u, 40u}) {  // in a block and in the tail of d = 41
            const std::size_t d = 41;
            auto h = hyper<double>("default", true);
            h.warmup = 1;
            h.options.eta_max = 1e300;
            h.lambda_rate = 1e300;
            quench::State<double> s(d, h);
            std::vector<double> phi(d, 0.0), g(d, 1.0);
            quench::step<double>(s, h, g, phi);  // warm-up
            for (std::size_t i = 0; i < d; ++i) g[i] = i == where ? 1e10 : 1.0;
            phi[where] = -1e300;
            const quench::detail::StepConstants<double> k(h);
            const KernelArrays<double> a{g.data(), phi.data(), s.mean.data(), s.second.data(),
                                         s.mass.data(), s.weight.data()};
            const bool overflow = quench::detail::vector_pass<double, true>(
                quench::detail::kernel_mode(k, false), isa, 1, k, a, d);
            EXPECT_TRUE(overflow) << quench::detail::kernel_isa_name(isa) << " at " << where;
            EXPECT_TRUE(std::isinf(phi[where]));
        }
    }
}

}  // namespace

namespace {

// step()'s vectorised input check (gradients_admissible) must reject what the element-wise
// check rejects, in a block and in the tail, and accept the largest admissible gradient.
template <class T>
void check_gradient_validation() {
    const std::size_t d = 41;  // two blocks of 16 and a tail of 9
    const auto h = hyper<T>("default", true);
    const T limit = quench::largest_gradient<T>();
    const T bad_values[] = {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                            -std::numeric_limits<T>::infinity(), T(limit * T(2)), T(-limit * T(2))};
    for (std::size_t where : {0u, 5u, 16u, 31u, 37u, 40u}) {
        for (T bad : bad_values) {
            quench::State<T> s(d, h);
            std::vector<T> g(d, T(0.5)), phi(d, T(1));
            g[where] = bad;
            EXPECT_THROW(quench::step<T>(s, h, g, phi), quench::invalid_input) << "at " << where;
            EXPECT_EQ(s.t, 0u);
            EXPECT_EQ(phi[where], T(1));
        }
        quench::State<T> s(d, h);
        std::vector<T> g(d, T(0.5)), phi(d, T(1));
        g[where] = -limit;
        EXPECT_NO_THROW(quench::step<T>(s, h, g, phi)) << "at " << where;
    }
    // Every instruction-set variant of the check, on whole and partial ranges (the threads'
    // split): a bad value inside the range is found, one outside it is not looked at.
    using quench::detail::KernelIsa;
    for (KernelIsa isa : {KernelIsa::baseline, KernelIsa::avx2, KernelIsa::avx512}) {
        if (!quench::detail::kernel_isa_supported(isa)) continue;
        const char* name = quench::detail::kernel_isa_name(isa);
        for (std::size_t where : {0u, 5u, 16u, 31u, 37u, 40u}) {
            for (T bad : bad_values) {
                std::vector<T> g(d, T(0.5));
                g[where] = bad;
                EXPECT_FALSE(quench::detail::run_admissible<T>(isa, g.data(), 0, d, limit)) << name << " at " << where;
                const std::size_t begin = where < 3 ? where + 1 : 3;
                EXPECT_EQ(quench::detail::run_admissible<T>(isa, g.data(), begin, d, limit), where < begin)
                    << name << " from " << begin << ", bad at " << where;
            }
            std::vector<T> g(d, T(0.5));
            g[where] = -limit;
            EXPECT_TRUE(quench::detail::run_admissible<T>(isa, g.data(), 0, d, limit)) << name << " at " << where;
        }
    }
}

TEST(Dispatch, VectorisedGradientCheckRejectsWhatTheElementwiseCheckRejects) {
    check_gradient_validation<double>();
    check_gradient_validation<float>();
}

}  // namespace
