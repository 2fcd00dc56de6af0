// vector_pass_test: the vectorised pass (quench/vector_pass.hpp) gives bit-identical results
// to the generic scalar loop (detail::generic_pass), for float and double, for every
// instruction-set variant this processor runs, every option set that has a kernel, with and
// without bias correction (X15), in warm-up and after it (E17/E18), with and without the
// per-step outputs eta and Bstar, split over one or more threads. Bit-identical is the
// requirement because the certified rounding-error bounds are for the generic loop's
// expressions (steps 1-6, E20). A unit test: it needs only GoogleTest, so it always builds.
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

using quench::detail::KernelIsa;
using quench::detail::StepPolicy;

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

/// Option sets with a kernel (has_vector_kernel after warm-up), by name.
template <class T>
quench::Hyperparameters<T> hyper(const std::string& options, bool bias) {
    auto h = quench::Hyperparameters<T>::from_smoothness(T(8), T(3), 4);  // K = 4 warm-up steps
    h.options.bias_correction = bias;
    if (options == "clamp") h.options.max_weight.reset();
    if (options == "max_weight") h.options.clamp_weight = false;
    if (options == "literal_noise") h.options.noise = quench::NoiseStatistic::minibatch;
    // Tempering: floors that bind on some coordinates and not on others (the random
    // gradients span 12 decades); one floor alone leaves the other at -infinity.
    if (options == "tempered" || options == "eta_min") h.options.eta_min = T(T(*h.options.eta_max) / T(64));
    if (options == "tempered" || options == "min_weight") h.options.min_weight = T(0.125);
    return h;
}

/// Which per-step outputs a pass writes.
enum class Outputs { none, eta, batch_star, both };
const Outputs all_outputs[] = {Outputs::none, Outputs::eta, Outputs::batch_star, Outputs::both};
const char* outputs_name(Outputs o) {
    switch (o) {
        case Outputs::none: return "no outputs";
        case Outputs::eta: return "eta";
        case Outputs::batch_star: return "Bstar";
        case Outputs::both: return "eta and Bstar";
    }
    return "?";
}
bool reports_eta(Outputs o) { return o == Outputs::eta || o == Outputs::both; }
bool reports_batch_star(Outputs o) { return o == Outputs::batch_star || o == Outputs::both; }

/// Output spans for `o` over the buffers (empty spans where nothing is reported).
template <class T>
quench::StepOutputs<T> outputs_of(Outputs o, std::vector<T>& eta, std::vector<T>& batch_star) {
    quench::StepOutputs<T> out;
    if (reports_eta(o)) out.eta = eta;
    if (reports_batch_star(o)) out.batch_star = batch_star;
    return out;
}

/// Runs 12 steps twice from the same state: once with the generic loop, once with the
/// variant `isa` on `threads` threads, and compares every array (and every output asked for)
/// bit for bit after each step.
template <class T>
void check_variant(KernelIsa isa, unsigned threads, const std::string& options, bool bias,
                   std::size_t d, Outputs outputs = Outputs::none) {
    const auto h = hyper<T>(options, bias);
    quench::State<T> reference(d, h), candidate(d, h);
    // NaN-filled output buffers: an output the pass forgets to write differs from a written one.
    const T unset = std::numeric_limits<T>::quiet_NaN();
    std::vector<T> eta_ref(d, unset), eta(d, unset), star_ref(d, unset), star(d, unset);
    std::mt19937_64 rng(1234 + d + threads);
    std::vector<T> constant = random_gradient<T>(rng, d, std::vector<T>(d, T(1)));
    std::vector<T> phi_ref(d), phi(d);
    for (std::size_t i = 0; i < d; ++i) phi_ref[i] = phi[i] = T(static_cast<double>(i % 13) - 6);
    for (int t = 0; t < 12; ++t) {
        const std::vector<T> g = random_gradient<T>(rng, d, constant);
        const quench::detail::StepConstants<T> k(h);
        const auto out_ref = outputs_of(outputs, eta_ref, star_ref), out = outputs_of(outputs, eta, star);
        const StepPolicy policy = quench::detail::step_policy(k, reference, h, out);
        ASSERT_TRUE(quench::detail::has_vector_kernel(policy)) << "option set " << options << " has no kernel";
        const bool overflow_ref = quench::detail::generic_pass<T>(policy, k, reference, g, phi_ref, out_ref);
        const bool overflow = quench::detail::vector_pass<T>(policy, isa, threads, k, candidate, g, phi, out);
        ++reference.t;
        ++candidate.t;
        const std::string where = std::string(quench::detail::kernel_isa_name(isa)) + ", " +
                                  std::to_string(threads) + " thread(s), options " + options +
                                  (bias ? ", bias" : ", no bias") + ", " + outputs_name(outputs) +
                                  ", d " + std::to_string(d) + ", step " + std::to_string(t + 1);
        ASSERT_EQ(overflow, overflow_ref) << where;
        ASSERT_TRUE(same_bits(candidate.mean, reference.mean)) << "mean: " << where;
        ASSERT_TRUE(same_bits(candidate.second, reference.second)) << "second: " << where;
        ASSERT_TRUE(same_bits(candidate.mass, reference.mass)) << "mass: " << where;
        ASSERT_TRUE(same_bits(candidate.weight, reference.weight)) << "weight: " << where;
        ASSERT_TRUE(same_bits(phi, phi_ref)) << "phi: " << where;
        ASSERT_TRUE(same_bits(eta, eta_ref)) << "eta: " << where;
        ASSERT_TRUE(same_bits(star, star_ref)) << "Bstar: " << where;
        if (reports_eta(outputs)) {
            ASSERT_FALSE(std::isnan(eta[d - 1])) << "eta unwritten: " << where;
        }
        if (reports_batch_star(outputs)) {
            ASSERT_FALSE(std::isnan(star[d - 1])) << "Bstar unwritten: " << where;
        }
    }
}

const KernelIsa all_isas[] = {KernelIsa::baseline, KernelIsa::avx2, KernelIsa::avx512};
const char* const option_sets[] = {"default", "clamp", "max_weight", "literal_noise",
                                   "tempered", "eta_min", "min_weight"};

template <class T>
void check_all_variants() {
    int variants_run = 0;
    for (KernelIsa isa : all_isas) {
        if (!quench::detail::kernel_isa_supported(isa)) continue;
        ++variants_run;
        for (const char* options : option_sets)
            for (bool bias : {true, false})
                // 1013 = 63 blocks of 16 and a tail of 5; 2 threads split it at 512.
                for (unsigned threads : {1u, 2u})
                    for (Outputs outputs : all_outputs)
                        check_variant<T>(isa, threads, options, bias, 1013, outputs);
    }
    EXPECT_GE(variants_run, 1);  // the baseline always runs
}

// The one dispatcher hands every runtime policy to its callable as the same compile-time
// value, except for the fields a warm-up pass does not read, which it leaves false.
TEST(StepPolicyDispatch, EveryRuntimePolicyArrivesAsTheSameConstant) {
    constexpr std::size_t fields = quench::detail::policy_fields::count;
    for (unsigned bits = 0; bits < (1u << fields); ++bits) {
        StepPolicy runtime;
        for (std::size_t f = 0; f < fields; ++f)
            runtime.*quench::detail::policy_fields::all[f] = (bits >> f) & 1u;
        StepPolicy expected = runtime;
        if (runtime.warm)
            expected.clamp_variance = expected.eta_max = expected.limit_weight = expected.temper = false;
        const StepPolicy arrived = quench::detail::dispatch_policy(runtime, []<StepPolicy P>() { return P; });
        EXPECT_TRUE(arrived == expected) << "policy bits " << bits;
    }
    // Fields marked unused arrive false.
    StepPolicy runtime;
    runtime.bias = runtime.report_eta = true;
    const StepPolicy arrived = quench::detail::dispatch_policy<quench::detail::outputs_unused>(
        runtime, []<StepPolicy P>() { return P; });
    EXPECT_TRUE(arrived.bias);
    EXPECT_FALSE(arrived.report_eta);
}

TEST(VectorPass, DoubleVariantsAreBitIdenticalToTheGenericLoop) { check_all_variants<double>(); }
TEST(VectorPass, FloatVariantsAreBitIdenticalToTheGenericLoop) { check_all_variants<float>(); }

TEST(VectorPass, ShortVectorsUseOnlyTheScalarTail) {
    for (std::size_t d : {1u, 15u, 16u, 17u})
        for (Outputs outputs : all_outputs)
            check_variant<double>(quench::detail::active_kernel_isa() == KernelIsa::scalar
                                      ? KernelIsa::baseline : quench::detail::active_kernel_isa(),
                                  1, "default", true, d, outputs);
}

// The public step() with and without outputs (both on the vectorised path for double) must
// agree bit for bit, and its outputs must be the accessors' eta and Bstar of the new state.
TEST(VectorPass, PublicStepMatchesTheReportingPath) {
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
        for (std::size_t i = 0; i < d; ++i)
            ASSERT_EQ(bstar[i], quench::batch_star(b, h, i)) << "step " << t + 1 << ", coordinate " << i;
    }
}

// An overflowing phi is reported by every variant (the caller throws overflow_error).
TEST(VectorPass, EveryVariantReportsAnOverflowingParameter) {
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
            const bool overflow = quench::detail::vector_pass<double>(
                quench::detail::step_policy<double>(k, s, h, {}), isa, 1, k, s, g, phi);
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

TEST(VectorPass, VectorisedGradientCheckRejectsWhatTheElementwiseCheckRejects) {
    check_gradient_validation<double>();
    check_gradient_validation<float>();
}

}  // namespace
