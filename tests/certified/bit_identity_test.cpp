// The certified bounds are about the expressions of proofs/rounding/*.g. These
// tests fail when the core's double arithmetic drifts from them: the core (update_coordinate,
// the public step() on both its generic and its vectorised path, and the theory.hpp closed
// forms) must give results bit-identical to a literal transcription of each certified
// expression (certified_common.hpp), on many random inputs.
#include "certified_common.hpp"

#include <vector>

namespace {

using namespace certified_test;
namespace qc = quench::certified;

quench::Hyperparameters<double> random_hyper(Sampler& s, bool bias, int variant) {
    quench::Hyperparameters<double> h;
    h.batch_size = std::ldexp(s.uniform(1, 2), std::uniform_int_distribution<int>(0, 12)(s.engine()));
    h.warmup = 1;
    h.lambda_batch = s.magnitude({0x1p-10, 0x1p10});
    h.lambda_rate = s.magnitude({0x1p-20, 0x1p10});
    h.epsilon = s.magnitude({0x1p-60, 0x1p-10});
    h.options.bias_correction = bias;
    switch (variant) {
        case 0: break;  // the defaults: X8, X14 (1/2), X11, X13 per-example, no cap
        case 1: h.options.eta_max = s.magnitude({0x1p-20, 0x1p10}); break;
        case 2:
            h.options.max_weight.reset();
            h.options.noise = quench::NoiseStatistic::minibatch;
            h.options.eta_max = s.magnitude({0x1p-20, 0x1p10});
            break;
        default: h.options.max_weight = s.uniform(0.01, 1.0); break;
    }
    h.validate();
    return h;
}

Knobs knobs_of(const quench::detail::StepConstants<double>& k) {
    return Knobs{k.rate_factor, k.weight_factor, k.batch_factor, k.epsilon, k.warm_weight,
                 k.clamp_variance, k.clamp_weight, k.max_weight.has_value(),
                 k.max_weight.value_or(0), k.eta_max.has_value(), k.eta_max.value_or(0)};
}

/// A random coordinate state inside the bounds' hypotheses, with v near m^2/c (where D
/// cancels) half of the time, and exact zeros now and then.
struct Coordinate {
    double g, m, v, c, w;
};
Coordinate random_coordinate(Sampler& s) {
    Coordinate x{};
    x.w = s.coin() ? s.magnitude({0x1p-30, 1.0}) : s.magnitude(qc::weight_range);
    x.c = s.magnitude({0x1p-30, 1.0});
    x.m = s.signed_value({0x1p-100, 0x1p100});
    x.g = s.signed_value({0x1p-100, 0x1p100});
    x.v = s.coin() ? x.m * x.m / x.c * s.uniform(1.0, 1.0 + 1e-6) : s.magnitude({0x1p-200, 0x1p200});
    if (s.uniform(0, 1) < 0.02) x.g = 0;
    if (s.uniform(0, 1) < 0.02) x.m = 0;
    return x;
}

TEST(CertifiedBitIdentity, StepConstantsAreTheCertifiedFactors) {
    Sampler s(11);
    for (int i = 0; i < 1000; ++i) {
        for (int variant = 0; variant < 4; ++variant) {
            const auto h = random_hyper(s, true, variant);
            const quench::detail::StepConstants<double> k(h);
            const bool per_example = h.options.noise == quench::NoiseStatistic::per_example;
            // StepConstants: rate_factor = lambda_eta / B, weight_factor = 1 / lambda_B and
            // batch_factor = lambda_B * B (X13), or lambda_eta, B / lambda_B, lambda_B.
            EXPECT_TRUE(same_bits(k.rate_factor, per_example ? h.lambda_rate / h.batch_size : h.lambda_rate));
            EXPECT_TRUE(same_bits(k.weight_factor, per_example ? 1 / h.lambda_batch : h.batch_size / h.lambda_batch));
            EXPECT_TRUE(same_bits(k.batch_factor, per_example ? h.lambda_batch * h.batch_size : h.lambda_batch));
        }
    }
}

template <bool Bias>
void check_update_coordinate(std::uint64_t seed) {
    Sampler s(seed);
    long mismatches = 0;
    for (int i = 0; i < samples; ++i) {
        const auto h = random_hyper(s, Bias, i % 4);
        const quench::detail::StepConstants<double> k(h);
        const Coordinate x = random_coordinate(s);
        const double c = Bias ? x.c : 1.0;
        const auto u = quench::detail::update_coordinate<double, false, Bias>(k, x.g, x.m, x.v, c, x.w);
        const double star = quench::detail::reported_batch_star<double, false, Bias>(k, u);
        const Literal l = literal_update(knobs_of(k), Bias, x.g, x.m, x.v, c, x.w);
        const double phi = s.signed_value({0x1p-100, 0x1p100});
        const bool same = same_bits(u.mass, l.mass) && same_bits(u.mean, l.mean) &&
                          same_bits(u.second, l.second) &&
                          same_bits(u.scaled_variance, l.scaled_variance) &&
                          same_bits(u.eta, l.eta) && same_bits(u.weight, l.weight) &&
                          same_bits(star, l.batch_star) &&
                          same_bits(phi - u.eta * x.g, literal_parameter(phi, l.eta, x.g));
        if (!same && ++mismatches <= 3)
            ADD_FAILURE() << "update_coordinate differs from the certified expressions at g="
                          << x.g << " m=" << x.m << " v=" << x.v << " c=" << c << " w=" << x.w
                          << ": mean " << u.mean << " vs " << l.mean << ", D " << u.scaled_variance
                          << " vs " << l.scaled_variance << ", eta " << u.eta << " vs " << l.eta
                          << ", weight " << u.weight << " vs " << l.weight;
    }
    EXPECT_EQ(mismatches, 0);
}

TEST(CertifiedBitIdentity, UpdateCoordinateWithBiasCorrection) { check_update_coordinate<true>(21); }
TEST(CertifiedBitIdentity, UpdateCoordinateWithoutBiasCorrection) { check_update_coordinate<false>(22); }

/// The public step(), with and without per-step outputs: it runs the vectorised kernel
/// (vector_pass.hpp) when the processor has one, and the generic loop under QUENCH_ISA=scalar
/// (CTest runs these tests both ways: certified.generic_loop.*). Both must equal the literal
/// expressions coordinate by coordinate, over several consecutive steps.
void check_public_step(bool bias, bool with_outputs, std::uint64_t seed) {
    Sampler s(seed);
    const std::size_t d = 1031;  // not a multiple of any vector width: the scalar tail runs too
    const int rounds = samples / 1000;
    long mismatches = 0;
    for (int r = 0; r < rounds; ++r) {
        auto h = random_hyper(s, bias, r % 4);
        // A cap keeps every coordinate finite, so step() never throws and runs the vectorised
        // kernel (vector_pass.hpp: after warm-up only "always finite" policies have one).
        if (!h.options.eta_max) h.options.eta_max = s.magnitude({0x1p-20, 0x1p10});
        quench::State<double> st(d, h);
        st.t = h.warmup;  // after the warm-up: eta and the weight formula run
        std::vector<double> ghat(d), phi(d), eta(d), bstar(d);
        for (std::size_t i = 0; i < d; ++i) {
            const Coordinate x = random_coordinate(s);
            st.mean[i] = x.m;
            st.second[i] = x.v;
            if (bias) st.mass[i] = x.c;
            st.weight[i] = std::min(x.w, h.options.max_weight.value_or(1.0));
            phi[i] = s.signed_value({0x1p-100, 0x1p100});
        }
        for (int step = 0; step < 3; ++step) {
            for (std::size_t i = 0; i < d; ++i) ghat[i] = s.signed_value({0x1p-100, 0x1p100});
            const quench::detail::StepConstants<double> k(h);
            const Knobs kn = knobs_of(k);
            std::vector<Literal> expect(d);
            std::vector<double> phi_expect(d);
            for (std::size_t i = 0; i < d; ++i) {
                expect[i] = literal_update(kn, bias, ghat[i], st.mean[i], st.second[i],
                                           bias ? st.mass[i] : 1.0, st.weight[i]);
                phi_expect[i] = literal_parameter(phi[i], expect[i].eta, ghat[i]);
            }
            quench::StepOutputs<double> out;
            if (with_outputs) out = {eta, bstar};
            quench::step<double>(st, h, ghat, phi, out);
            for (std::size_t i = 0; i < d; ++i) {
                bool same = same_bits(st.mean[i], expect[i].mean) &&
                            same_bits(st.second[i], expect[i].second) &&
                            same_bits(st.weight[i], expect[i].weight) &&
                            same_bits(phi[i], phi_expect[i]) &&
                            (!bias || same_bits(st.mass[i], expect[i].mass));
                if (with_outputs)
                    same = same && same_bits(eta[i], expect[i].eta) &&
                           same_bits(bstar[i], expect[i].batch_star);
                if (!same && ++mismatches <= 3)
                    ADD_FAILURE() << "step() differs from the certified expressions at coordinate "
                                  << i << " (round " << r << ", step " << step << ")";
            }
        }
    }
    EXPECT_EQ(mismatches, 0);
    std::printf("[certified] step() %s outputs ran the %s kernel (QUENCH_ISA selects another)\n",
                with_outputs ? "with" : "without",
                quench::detail::kernel_isa_name(quench::detail::active_kernel_isa()));
}

TEST(CertifiedBitIdentity, PublicStepWithOutputsWithBias) { check_public_step(true, true, 31); }
TEST(CertifiedBitIdentity, PublicStepWithOutputsWithoutBias) { check_public_step(false, true, 32); }
TEST(CertifiedBitIdentity, PublicStepWithBias) { check_public_step(true, false, 33); }
TEST(CertifiedBitIdentity, PublicStepWithoutBias) { check_public_step(false, false, 34); }

/// The accessors: gt = m/c, st = v/c, var = max(c v - m m, 0)/(c c) (accessor_*.g).
TEST(CertifiedBitIdentity, Accessors) {
    Sampler s(41);
    quench::Hyperparameters<double> h;
    quench::State<double> st(1, h);
    st.t = 5;
    for (int i = 0; i < samples; ++i) {
        const Coordinate x = random_coordinate(s);
        st.mean[0] = x.m;
        st.second[0] = x.v;
        st.mass[0] = x.c;
        ASSERT_TRUE(same_bits(quench::running_mean(st, 0), x.m / x.c));
        ASSERT_TRUE(same_bits(quench::running_second_moment(st, 0), x.v / x.c));
        double D = x.c * x.v - x.m * x.m;
        D = D < 0 ? 0 : D;
        ASSERT_TRUE(same_bits(quench::running_variance(st, h, 0), D / (x.c * x.c)));
    }
}

/// theory.hpp closed forms vs the expressions of proofs/rounding/theory_*.g.
TEST(CertifiedBitIdentity, TheoryClosedForms) {
    namespace th = quench::theory;
    Sampler s(51);
    const Range r = qc::theory_value_range;
    for (int i = 0; i < samples; ++i) {
        const double a = s.magnitude(r), b = s.magnitude(r), e = s.signed_value(r);
        const double g = s.signed_value(r), sg = s.magnitude(r), L = s.magnitude(qc::theory_scale_range);
        const double B = s.magnitude(qc::theory_scale_range);
        ASSERT_TRUE(same_bits(th::per_example_rate(e, b), e / b));
        ASSERT_TRUE(same_bits(th::scaled_rate(a, b, e), a / b * e));
        ASSERT_TRUE(same_bits(th::gradient_confidence_radius(sg, B), (2 * sg) / std::sqrt(B)));
        ASSERT_TRUE(same_bits(th::vacuous_batch_threshold(sg, g), (4 * (sg * sg)) / (g * g)));
        ASSERT_TRUE(same_bits(th::optimal_batch(sg, g), (16 * (sg * sg)) / (g * g)));
        ASSERT_TRUE(same_bits(th::optimal_rate(L), 1 / (2 * L)));
        const double lin = (B * (g * g)) / ((32 * (sg * sg)) * L);
        ASSERT_TRUE(same_bits(th::linear_scaled_rate(B, g, sg, L), lin));
        const double cap = 1 / (2 * L);
        ASSERT_TRUE(same_bits(th::capped_scaled_rate(B, g, sg, L), cap < lin ? cap : lin));
        ASSERT_TRUE(same_bits(th::lambda_eta_from_smoothness(B, L), B / (32 * L)));
        ASSERT_TRUE(same_bits(th::guaranteed_decrease(e, g, L), ((L / 2) * (e * e)) * (g * g)));
        ASSERT_TRUE(same_bits(th::optimal_k(a, b), ((2 * a) / b) * ((2 * a) / b)));
        ASSERT_TRUE(same_bits(th::descent_bound(g, e, L), (-g) * e + (L * (e * e)) / 2));
        ASSERT_TRUE(same_bits(th::rate_at_batch(B, g, sg, L),
                              (1 - (2 * sg) / (std::abs(g) * std::sqrt(B))) / L));
        ASSERT_TRUE(same_bits(th::vector_rate_at_batch(B, a, b, L),
                              (1 - b / (a * std::sqrt(B))) / L));
    }
}

}  // namespace
