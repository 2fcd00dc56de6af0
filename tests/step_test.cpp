// The complete algorithm (docs/spec.md steps 1-6) on hand-computed trajectories: warm-up, the first
// steps after it, and the slides' indexing. Values are dyadic, so every type must be exact
// (intervals: contain the exact value).
#include "hand_example.hpp"
#include "scalar_types.hpp"

#include <vector>

using quench_test::hand_example;
using quench_test::is_exactly;
using R = quench_test::mpfr_float_100;

template <class T>
class Step : public ::testing::Test {};
TYPED_TEST_SUITE(Step, quench_test::AllScalarTypes);


TYPED_TEST(Step, HandComputedLiteralTrajectory) {
    using T = TypeParam;
    const auto h = hand_example<T>();
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)}, eta(1), bstar(1);
    const quench::StepOutputs<T> out{eta, bstar};
    auto take = [&](double g) { const std::vector<T> gv{T(g)}; quench::step<T>(s, h, gv, phi, out); };

    // t = 1, w = B/K = 1/2: gt = -2, st = 8; warm-up: eta = 0, B* = K.
    take(-4);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(-2)));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(8)));
    EXPECT_TRUE(is_exactly(eta[0], R(0)));
    EXPECT_TRUE(is_exactly(bstar[0], R(2)));
    // t = 2 = K, w = 1/2: gt = 0, st = 6, var = 6; still eta = 0.
    take(2);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(0)));
    EXPECT_TRUE(is_exactly(quench::running_variance(s, h, 0), R(6)));
    EXPECT_TRUE(is_exactly(eta[0], R(0)));
    EXPECT_TRUE(is_exactly(phi[0], R(1)));
    // t = 3 > K, w = B/B*(2) = 1/2: gt = 1, st = 5, var = 4 (E16);
    // eta = lambda_eta gt^2/var = 1/16 (E18); Phi = 1 - eta * 2 = 7/8 (E20: ghat^t);
    // B* = 16 * 4 / (1 + 1/16) = 1024/17 (E17), so the next weight is 17/1024.
    take(2);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(1)));
    EXPECT_TRUE(is_exactly(quench::running_variance(s, h, 0), R(4)));
    EXPECT_TRUE(is_exactly(eta[0], R(1) / 16));
    EXPECT_TRUE(is_exactly(phi[0], R(7) / 8));
    EXPECT_TRUE(quench_test::is_rounded(bstar[0], T(T(1024) / T(17)), R(1024) / 17));
    EXPECT_TRUE(quench_test::is_rounded(quench::batch_star(s, h, 0), T(T(1024) / T(17)), R(1024) / 17));
    EXPECT_TRUE(is_exactly(s.weight[0], R(17) / 1024));
    // t = 4, w = 17/1024: gt = 1041/1024, st = 5103/1024 (both exact in every type).
    take(2);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(1041) / 1024));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(5103) / 1024));
    EXPECT_EQ(s.t, 4u);
}

TYPED_TEST(Step, WarmupUsesWeightBOverKAndZeroRate) {
    using T = TypeParam;
    // B = 1, K = 4: weight 1/4 for t <= K + 1 (B*(t) = K for t <= K weights step t + 1).
    auto h = hand_example<T>();
    h.warmup = 4;
    quench::State<T> s(2, h);
    std::vector<T> phi{T(3), T(-5)}, eta(2), bstar(2);
    const std::vector<T> g{T(4), T(-8)};
    R expected_mean0 = 0;
    for (int t = 1; t <= 4; ++t) {
        quench::step<T>(s, h, g, phi, {eta, bstar});
        expected_mean0 = expected_mean0 * R(0.75) + R(0.25) * 4;  // E15 with w = B/K
        EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), expected_mean0)) << "t = " << t;
        EXPECT_TRUE(is_exactly(quench::running_mean(s, 1), -2 * expected_mean0)) << "t = " << t;
        EXPECT_TRUE(is_exactly(eta[0], R(0)));
        EXPECT_TRUE(is_exactly(eta[1], R(0)));
        EXPECT_TRUE(is_exactly(bstar[1], R(4)));
        EXPECT_TRUE(is_exactly(s.weight[0], R(0.25)));
        EXPECT_TRUE(is_exactly(phi[0], R(3)));  // eta = 0: nothing moves
        EXPECT_TRUE(is_exactly(phi[1], R(-5)));
    }
    EXPECT_TRUE(is_exactly(quench::batch_star(s, h, 0), R(4)));
}

TYPED_TEST(Step, DefaultsBiasCorrectTheFirstStep) {
    using T = TypeParam;
    // X15: with bias correction the first step gives gt = ghat, st = ghat^2, var = 0
    // exactly; without it gt = w ghat and var = w (1 - w) ghat^2.
    auto h = quench::Hyperparameters<T>::from_smoothness(T(1), T(1), 4);
    quench::State<T> corrected(1, h);
    std::vector<T> phi{T(0)};
    const std::vector<T> g{T(2)};
    quench::step<T>(corrected, h, g, phi);
    EXPECT_TRUE(is_exactly(quench::running_mean(corrected, 0), R(2)));
    EXPECT_TRUE(is_exactly(quench::running_variance(corrected, h, 0), R(0)));

    h.options.bias_correction = false;
    quench::State<T> raw(1, h);
    quench::step<T>(raw, h, g, phi);
    EXPECT_TRUE(is_exactly(quench::running_mean(raw, 0), R(0.5)));            // w = 1/4
    EXPECT_TRUE(is_exactly(quench::running_variance(raw, h, 0), R(0.75)));     // 1/4 3/4 4
}

TYPED_TEST(Step, PerExampleStatisticScalesByB) {
    using T = TypeParam;
    // X13: same gradients, B = 4; per-example B* is B times the minibatch one and eta is
    // the minibatch one over B (lambda_eta the same).
    auto h = hand_example<T>();
    h.batch_size = T(4);
    h.warmup = 8;  // weight B/K = 1/2 as in the hand example
    auto run = [&](quench::NoiseStatistic noise, T& eta_out, T& bstar_out, T& weight_out) {
        auto hh = h;
        hh.options.noise = noise;
        quench::State<T> s(1, hh);
        std::vector<T> phi{T(1)}, eta(1), bstar(1);
        for (double g : {-4.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0})
            quench::step<T>(s, hh, std::vector<T>{T(g)}, phi, {eta, bstar});
        eta_out = eta[0];
        bstar_out = bstar[0];
        weight_out = s.weight[0];  // w = B/Bstar for step 10, Bstar in examples (X13)
    };
    T eta_mb(0), b_mb(0), w_mb(0), eta_pe(0), b_pe(0), w_pe(0);
    run(quench::NoiseStatistic::minibatch, eta_mb, b_mb, w_mb);
    run(quench::NoiseStatistic::per_example, eta_pe, b_pe, w_pe);
    if constexpr (!quench::is_interval_v<T>) {
        EXPECT_EQ(b_pe, T(4) * b_mb);      // multiplications by 4 are exact
        EXPECT_EQ(eta_pe * T(4), eta_mb);
        EXPECT_EQ(w_pe * T(4), w_mb);      // the literal options put no limit on w
    } else {
        EXPECT_FALSE(quench::certainly_less(b_pe, T(T(4) * b_mb)));
        EXPECT_FALSE(quench::certainly_less(T(T(4) * b_mb), b_pe));
    }
}

TYPED_TEST(Step, FromSmoothnessRatesOnAHandComputedRun) {
    using T = TypeParam;
    // The constructor's values seen through step(), computed by hand (a second check of
    // X10 and X9, independent of reading the fields): B = 4, L = 1/2, K = 1, so
    // lambda_eta = B/(32 L) = 1/4, eta_max = 1/(2 L) = 1, and the weight is the X14 limit 1/2.
    const auto h = quench::Hyperparameters<T>::from_smoothness(T(4), T(0.5), 1);
    // ghat = 2, then 0. Step 1 (warm-up): c = 1/2, m = 1, v = 2 (var = 0), eta = 0.
    // Step 2: c = 3/4, m = 1/2, v = 1, D = c v - m^2 = 1/2, gt = 2/3, var = D/c^2 = 8/9;
    // eta = lambda_eta gt^2/(B var) = (1/4)(4/9)/(32/9) = 1/32, below the cap.
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)}, eta(1);
    quench::step<T>(s, h, std::vector<T>{T(2)}, phi, {eta, {}});
    EXPECT_TRUE(is_exactly(eta[0], R(0)));
    quench::step<T>(s, h, std::vector<T>{T(0)}, phi, {eta, {}});
    EXPECT_TRUE(is_exactly(eta[0], R(1) / 32)) << "X10: lambda_eta = B/(32 L)";
    // ghat = 2 twice instead: step 2 has D = (3/4) 3 - (3/2)^2 = 0, so eta is the cap
    // eta_max = 1 (X9, X11) and phi moves by eta ghat = 2.
    quench::State<T> c(1, h);
    std::vector<T> phi2{T(1)};
    quench::step<T>(c, h, std::vector<T>{T(2)}, phi2, {eta, {}});
    quench::step<T>(c, h, std::vector<T>{T(2)}, phi2, {eta, {}});
    EXPECT_TRUE(is_exactly(eta[0], R(1))) << "X9: eta_max = 1/(2 L)";
    EXPECT_TRUE(is_exactly(phi2[0], R(-1)));
}

TYPED_TEST(Step, NextWeightScalesEpsilonByTheMassSquared) {
    using T = TypeParam;
    // E17 with X15: the next weight is B/Bstar = (m^2 + eps c^2) / (lambda_B D) for the raw
    // averages (per-example statistic, B = 1), i.e. (gt^2 + eps)/(lambda_B var). B = 1, K = 1,
    // lambda_B = 16, eps = 1/16, ghat = 1 then -1: step 2 has c = 3/4, m = -1/4, v = 3/4,
    // D = c v - m^2 = 1/2, so w = (1/16 + (1/16)(9/16)) / (16 (1/2)) = 25/2048 (eps without
    // c^2 would give 32/2048).
    quench::Hyperparameters<T> h;
    h.batch_size = T(1);
    h.warmup = 1;
    h.lambda_batch = T(16);
    h.lambda_rate = T(1);
    h.epsilon = T(0.0625);
    h.options.eta_max = T(1);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(0)};
    quench::step<T>(s, h, std::vector<T>{T(1)}, phi);
    quench::step<T>(s, h, std::vector<T>{T(-1)}, phi);
    EXPECT_TRUE(is_exactly(s.weight[0], R(25) / 2048));
}

TYPED_TEST(Step, AccessorsUndoTheMassWithBiasCorrection) {
    using T = TypeParam;
    // The run of FromSmoothnessRatesOnAHandComputedRun (B = 4, L = 1/2, K = 1; ghat = 2,
    // then 0), read through the accessors after step 2: c = 3/4, m = 1/2, v = 1, D = 1/2, so
    // gt = m/c = 2/3, st = v/c = 4/3 and var = D/c^2 = 8/9 (X15), each one correctly rounded
    // division of exact operands (D/c would be 2/3, m alone 1/2).
    const auto h = quench::Hyperparameters<T>::from_smoothness(T(4), T(0.5), 1);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)};
    quench::step<T>(s, h, std::vector<T>{T(2)}, phi);
    quench::step<T>(s, h, std::vector<T>{T(0)}, phi);
    EXPECT_TRUE(is_exactly(s.mass[0], R(0.75)));
    EXPECT_TRUE(quench_test::is_rounded(quench::running_mean(s, 0), T(T(2) / T(3)), R(2) / 3));
    EXPECT_TRUE(quench_test::is_rounded(quench::running_second_moment(s, 0), T(T(4) / T(3)), R(4) / 3));
    EXPECT_TRUE(quench_test::is_rounded(quench::running_variance(s, h, 0), T(T(8) / T(9)), R(8) / 9));
}

TYPED_TEST(Step, WarmupWeightIsClampedUnderX8) {
    using T = TypeParam;
    // X8 with no X14 limit: B = 4 > K = 2 makes the warm-up weight B/K = 2, clamped to 1, so
    // the first step replaces the zero averages: m = 3, v = 9, var = 0. Unclamped, w = 2
    // would give m = 6, v = 18 and var = 18 - 36 < 0. (The defaults' X14 limit 1/2 hides a
    // missing clamp, and the literal slides have no clamp.)
    auto h = hand_example<T>();
    h.batch_size = T(4);
    h.options.clamp_weight = true;
    quench::State<T> s(1, h);
    EXPECT_TRUE(is_exactly(s.weight[0], R(1)));
    std::vector<T> phi{T(1)};
    quench::step<T>(s, h, std::vector<T>{T(3)}, phi);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(3)));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(9)));
    EXPECT_TRUE(is_exactly(s.weight[0], R(1)));
}

// Options::literal() is the slides (every erratum option off, the minibatch statistic of
// the slides' E16/E17) and the defaults are the corrections; spelled out field by field
// here, independently of the option catalogue that literal() iterates, so that a wrong
// literal value of one option fails by name (the hand-computed trajectories above have
// B = 1, where X13's factor B cannot show).
TEST(StepOptions, LiteralIsTheSlidesAndDefaultsAreTheErrata) {
    const auto lit = quench::Options<double>::literal();
    EXPECT_FALSE(lit.clamp_weight);                                // X8
    EXPECT_FALSE(lit.max_weight.has_value());                      // X14
    EXPECT_FALSE(lit.clamp_variance);                              // X11
    EXPECT_FALSE(lit.eta_max.has_value());                         // X9
    EXPECT_FALSE(lit.bias_correction);                             // X15
    EXPECT_EQ(lit.noise, quench::NoiseStatistic::minibatch);       // X13
    const quench::Options<double> def{};
    EXPECT_TRUE(def.clamp_weight);
    ASSERT_TRUE(def.max_weight.has_value());
    EXPECT_EQ(*def.max_weight, 0.5);
    EXPECT_TRUE(def.clamp_variance);
    EXPECT_FALSE(def.eta_max.has_value());  // set by from_smoothness (1/(2L)), not by default
    EXPECT_TRUE(def.bias_correction);
    EXPECT_EQ(def.noise, quench::NoiseStatistic::per_example);
}
