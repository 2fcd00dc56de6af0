// The certified expressions must hold for a program that includes the headers with its own
// flags: consumer_fast_contract_core.cpp compiles quench::step with -ffp-contract=fast
// -march=native and without quench::core's -ffp-contract=off. Its results must be
// bit-identical to the literal transcription of the certified expressions (computed here,
// in a translation unit with the usual flags), on the vectorised kernel and on the generic
// loop, as tests/certified/bit_identity_test.cpp requires of the normal build.
#include "consumer_fast_contract.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using certified_test::Knobs;
using certified_test::literal_parameter;
using certified_test::literal_update;

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

class Draw {
public:
    explicit Draw(std::uint64_t seed) : rng_(seed) {}
    double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
    /// log-uniform magnitude in [2^lo, 2^hi) with a random 53-bit mantissa
    double magnitude(int lo, int hi) {
        return std::ldexp(uniform(1, 2), std::uniform_int_distribution<int>(lo, hi - 1)(rng_));
    }
    double signed_magnitude(int lo, int hi) { return coin() ? magnitude(lo, hi) : -magnitude(lo, hi); }
    bool coin() { return std::bernoulli_distribution(0.5)(rng_); }

private:
    std::mt19937_64 rng_;
};

consumer::Setting random_setting(Draw& r, bool bias, int variant) {
    consumer::Setting s{};
    s.batch = r.magnitude(0, 13);
    s.lambda_batch = r.magnitude(-10, 10);
    s.lambda_rate = r.magnitude(-20, 10);
    s.epsilon = r.magnitude(-60, -10);
    s.bias = bias;
    s.clamp_weight = true;
    s.clamp_variance = true;
    s.per_example = variant != 2;
    s.max_weight = variant == 0 ? 0.5 : variant == 3 ? r.uniform(0.01, 1.0) : 0;
    s.eta_max = r.magnitude(-20, 10);  // always: D = 0 must not refuse the step
    return s;
}

// The test is only meaningful where the consumer's translation unit really contracts.
TEST(ConsumerFastContract, ConsumerTranslationUnitContracts) {
    if (!consumer::fma_available()) GTEST_SKIP() << "no FMA in this instruction set: nothing to fuse";
    // (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 when fused, 0 when the product is rounded first.
    EXPECT_EQ(consumer::user_multiply_add(1 + 0x1p-30, 1 - 0x1p-30, -1), -0x1p-60);
}

void check_step(bool bias, bool generic, std::uint64_t seed) {
    Draw r(seed);
    constexpr std::size_t d = 37;  // two blocks of 16 lanes and a scalar tail
    long mismatches = 0, compared = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const consumer::Setting s = random_setting(r, bias, trial % 4);
        const Knobs k = consumer::knobs(s);
        std::vector<double> m(d), v(d), c(d), w(d), g(d), phi(d), eta(d);
        for (std::size_t i = 0; i < d; ++i) {
            w[i] = r.magnitude(-30, 0);
            c[i] = r.magnitude(-30, 0);
            m[i] = r.signed_magnitude(-100, 100);
            g[i] = r.signed_magnitude(-100, 100);
            v[i] = r.coin() ? m[i] * m[i] / c[i] * r.uniform(1.0, 1.0 + 1e-6) : r.magnitude(-200, 200);
            phi[i] = r.signed_magnitude(-50, 50);
        }
        const auto m0 = m, v0 = v, c0 = c, w0 = w, phi0 = phi;
        consumer::step(s, d, 5, m.data(), v.data(), c.data(), w.data(), g.data(), phi.data(),
                       generic, eta.data());
        for (std::size_t i = 0; i < d; ++i) {
            const auto e = literal_update(k, bias, g[i], m0[i], v0[i], bias ? c0[i] : 1, w0[i]);
            const double p = literal_parameter(phi0[i], e.eta, g[i]);
            bool same = same_bits(m[i], e.mean) && same_bits(v[i], e.second) &&
                        same_bits(w[i], e.weight) && same_bits(phi[i], p) &&
                        (!bias || same_bits(c[i], e.mass)) && (!generic || same_bits(eta[i], e.eta));
            ++compared;
            if (!same && ++mismatches <= 3)
                ADD_FAILURE() << "coordinate " << i << " of trial " << trial << ": mean " << m[i]
                              << " vs " << e.mean << ", phi " << phi[i] << " vs " << p;
        }
    }
    EXPECT_EQ(mismatches, 0) << "of " << compared << " coordinates";
}

TEST(ConsumerFastContract, VectorKernelWithBias) { check_step(true, false, 51); }
TEST(ConsumerFastContract, VectorKernelWithoutBias) { check_step(false, false, 52); }
TEST(ConsumerFastContract, GenericLoopWithBias) { check_step(true, true, 53); }
TEST(ConsumerFastContract, GenericLoopWithoutBias) { check_step(false, true, 54); }

/// running_variance: max(c v - m m, 0) / (c c) (accessor_variance.g), where c v - m m fuses.
TEST(ConsumerFastContract, RunningVariance) {
    Draw r(55);
    consumer::Setting s = random_setting(r, true, 0);
    for (int i = 0; i < 20000; ++i) {
        const double c = r.magnitude(-30, 0), m = r.signed_magnitude(-100, 100);
        const double v = r.coin() ? m * m / c * r.uniform(1.0, 1.0 + 1e-6) : r.magnitude(-200, 200);
        double D = c * v - m * m;
        D = D < 0 ? 0 : D;
        ASSERT_TRUE(same_bits(consumer::running_variance(s, m, v, c), D / (c * c))) << i;
    }
}

}  // namespace
