// The slides' real failure modes (docs/spec.md X8, X9, X11, X14) reproduced with the literal
// options, and the named options that remove them.
#include "scalar_types.hpp"

#include <limits>
#include <type_traits>
#include <vector>

using quench_test::is_exactly;
using R = quench_test::mpfr_float_100;

template <class T>
class Errata : public ::testing::Test {};
TYPED_TEST_SUITE(Errata, quench_test::AllScalarTypes);

namespace {
/// The hand example of step_test.cpp (B = 1, K = 2, lambda_eta = 1/4, eps = 1/16) with
/// lambda_B = 1/16, so that after t = 3 (gt = 1, var = 4) B* = 4/17 < B: weight 17/4 > 1.
template <class T>
quench::Hyperparameters<T> small_window(const quench::Options<T>& options) {
    quench::Hyperparameters<T> h;
    h.batch_size = T(1);
    h.warmup = 2;
    h.lambda_batch = T(0.0625);
    h.lambda_rate = T(0.25);
    h.epsilon = T(0.0625);
    h.options = options;
    return h;
}
template <class T>
void feed(quench::State<T>& s, const quench::Hyperparameters<T>& h, std::vector<T>& phi,
          std::initializer_list<double> gradients) {
    for (double g : gradients) quench::step<T>(s, h, std::vector<T>{T(g)}, phi);
}
}  // namespace

TYPED_TEST(Errata, X8UnclampedWeightDrivesVarianceNegative) {
    using T = TypeParam;
    // Literal: w = 17/4 at t = 4; with ghat = -4:
    // gt = -13/4 - 17 = -81/4, st = -65/4 + 68 = 207/4, var = 207/4 - 6561/16 = -5733/16 < 0.
    const auto h = small_window<T>(quench::Options<T>::literal());
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)};
    feed<T>(s, h, phi, {-4, 2, 2});
    EXPECT_TRUE(is_exactly(s.weight[0], R(17) / 4));
    feed<T>(s, h, phi, {-4});
    EXPECT_TRUE(is_exactly(quench::running_variance(s, h, 0), R(-5733) / 16));
    EXPECT_TRUE(quench::certainly_less(quench::running_variance(s, h, 0), T(0)));
}

TYPED_TEST(Errata, X8ClampKeepsVarianceNonNegative) {
    using T = TypeParam;
    // Clamped: w = min(1, 17/4) = 1, so gt = ghat, st = ghat^2, var = 0 exactly. A cap is
    // needed to give that zero variance a rate (X9).
    auto o = quench::Options<T>::literal();
    o.clamp_weight = true;
    o.eta_max = T(0.5);
    // An interval's var = st - gt^2 = 0 comes out as a tiny enclosure around 0 (the one-ulp
    // widening of exact results), which "possibly zero" without the X11 floor rejects.
    if constexpr (quench::is_interval_v<T>) o.clamp_variance = true;
    const auto h = small_window<T>(o);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)};
    feed<T>(s, h, phi, {-4, 2, 2});
    EXPECT_TRUE(is_exactly(s.weight[0], R(1)));
    feed<T>(s, h, phi, {-4});
    EXPECT_TRUE(is_exactly(quench::running_variance(s, h, 0), R(0)));
}

TYPED_TEST(Errata, X9ZeroVarianceWithoutCapIsAnError) {
    using T = TypeParam;
    // Same run, clamp only, no eta_max: var = 0 after warm-up makes eta unbounded. The step
    // must refuse with zero_variance_error and leave the state and phi untouched.
    auto o = quench::Options<T>::literal();
    o.clamp_weight = true;
    const auto h = small_window<T>(o);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)};
    feed<T>(s, h, phi, {-4, 2, 2});
    const quench::State<T> before = s;
    const T phi_before = phi[0];
    EXPECT_THROW(feed<T>(s, h, phi, {-4}), quench::zero_variance_error);
    EXPECT_EQ(s.t, before.t);
    EXPECT_TRUE(is_exactly(phi[0], R(quench::lower(phi_before))));
    EXPECT_TRUE(is_exactly(s.mean[0], R(quench::lower(before.mean[0]))));
    EXPECT_TRUE(is_exactly(s.weight[0], R(1)));
}

TYPED_TEST(Errata, X9CapGivesEtaMaxAtZeroVariance) {
    using T = TypeParam;
    auto o = quench::Options<T>::literal();
    o.clamp_weight = true;
    o.clamp_variance = true;
    o.eta_max = T(0.5);
    const auto h = small_window<T>(o);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)}, eta(1), bstar(1);
    feed<T>(s, h, phi, {-4, 2, 2});
    quench::step<T>(s, h, std::vector<T>{T(-4)}, phi, {eta, bstar});
    EXPECT_TRUE(is_exactly(eta[0], R(0.5)));
    EXPECT_TRUE(is_exactly(bstar[0], R(0)));   // var = 0: B* = 0 (reported before limits)
    EXPECT_TRUE(is_exactly(phi[0], R(7) / 8 + 2));  // 7/8 - (1/2)(-4)
}

TYPED_TEST(Errata, X14AbsorbingStateWithClampOnlyAndNotWithDefaults) {
    using T = TypeParam;
    // Gradients 1 +- 1/8 (signal far above noise): B* = 16 var/gt^2 < B = 4 right after
    // warm-up. With only the X8 clamp the weight becomes 1 and var is exactly 0 for ever;
    // with the X14 limit (max_weight = 1/2, a default) var stays > 0.
    auto only_clamp = quench::Options<T>::literal();
    only_clamp.clamp_weight = true;
    only_clamp.clamp_variance = true;
    only_clamp.eta_max = T(0.5);
    auto with_limit = only_clamp;
    with_limit.max_weight = T(0.5);
    auto make = [](const quench::Options<T>& o) {
        quench::Hyperparameters<T> h;
        h.batch_size = T(4);
        h.warmup = 10;
        h.lambda_batch = T(16);
        h.lambda_rate = T(0.125);
        h.epsilon = T(1.0 / 1024);
        h.options = o;
        return h;
    };
    const auto h_clamp = make(only_clamp), h_limit = make(with_limit);
    quench::State<T> absorbed(1, h_clamp), alive(1, h_limit);
    std::vector<T> phi_a{T(0)}, phi_b{T(0)};
    int zero_steps = 0;
    for (int t = 1; t <= 200; ++t) {
        const std::vector<T> g{T(t % 2 ? 1.125 : 0.875)};
        quench::step<T>(absorbed, h_clamp, g, phi_a);
        quench::step<T>(alive, h_limit, g, phi_b);
        if (t > 12) {
            EXPECT_TRUE(is_exactly(quench::running_variance(absorbed, h_clamp, 0), R(0))) << "t = " << t;
            zero_steps += quench::certainly_positive(quench::running_variance(alive, h_limit, 0)) ? 0 : 1;
        }
    }
    EXPECT_EQ(zero_steps, 0);
}

TYPED_TEST(Errata, X11VarianceClampAtZeroInFloatingPoint) {
    using T = TypeParam;
    // Literal var = st - gt^2 can round below zero for a constant gradient whose square
    // is inexact; the clamp reports exactly >= 0 (point types) and never a negative enclosure.
    auto h = quench::Hyperparameters<T>::from_smoothness(T(1), T(1), 3);
    h.options.bias_correction = false;
    quench::State<T> s(1, h);
    std::vector<T> phi{T(0)};
    for (int t = 0; t < 50; ++t) quench::step<T>(s, h, std::vector<T>{T(0.1)}, phi);
    EXPECT_TRUE(quench::certainly_nonnegative(quench::running_variance(s, h, 0)));
}

TYPED_TEST(Errata, X11ClampKeepsTheReportedBatchStarNonNegative) {
    using T = TypeParam;
    // The defaults with B = 1, K = 1 (weight 1/2 twice, eta_max = 1/2) and ghat = 1.3 twice:
    // a constant gradient, so D = c v - m^2 = 0 in real arithmetic (X15). In double, step 2
    // rounds it to -2^-53 (c = 3/4, m = fl(3 ghat/4), v = fl(3 fl(ghat^2)/4)); the update's
    // X11 clamp makes it 0, so the reported Bstar = lambda_B B D/(m^2 + eps c^2) is exactly 0
    // there, and never below 0 in a point type (a negative Bstar is no batch size). An
    // interval encloses the exact 0 (its outward steps may take the lower end one ulp below).
    const auto h = quench::Hyperparameters<T>::from_smoothness(T(1), T(1), 1);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(0)}, eta(1), bstar(1);
    quench::step<T>(s, h, std::vector<T>{T(1.3)}, phi, {eta, bstar});
    quench::step<T>(s, h, std::vector<T>{T(1.3)}, phi, {eta, bstar});
    if constexpr (quench::is_interval_v<T>) EXPECT_TRUE(quench::contains(bstar[0], R(0))) << quench_test::show(bstar[0]);
    else EXPECT_GE(bstar[0], T(0)) << quench_test::show(bstar[0]);
    if constexpr (std::is_same_v<T, double>) {
        const double g = 1.3, m = 0.25 * g + 0.5 * g, v = 0.25 * (g * g) + 0.5 * (g * g);
        ASSERT_LT(0.75 * v - m * m, 0.0) << "the case must round D below zero";
        EXPECT_EQ(bstar[0], 0.0);
    }
}

TYPED_TEST(Errata, X9ZeroVarianceWithTheClampButNoCapIsAnError) {
    using T = TypeParam;
    // The default options without eta_max: a constant gradient has var = 0 in real
    // arithmetic (X15), and 3 is exact in every type, so D = c v - m^2 rounds to 0 here.
    // The X11 floor would make eta = lambda_eta gt^2 / (smallest normal), a huge finite
    // number that differs between types; the step must refuse instead.
    quench::Hyperparameters<T> h;
    h.batch_size = T(1);
    h.warmup = 2;
    h.lambda_rate = T(0.25);
    ASSERT_FALSE(h.options.eta_max.has_value());
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)};
    feed<T>(s, h, phi, {3, 3});
    EXPECT_THROW(feed<T>(s, h, phi, {3}), quench::zero_variance_error);
    EXPECT_EQ(s.t, 2u);
}

// X11's floor on the divisor is the smallest positive normal number (for IEEE types), not just
// some small value: with a zero variance and a subnormal gt^2 the rate is gt^2 c^2 / floor,
// below the cap, so the floor's value shows in eta. B = 1, K = 1, lambda_eta = 1, the default
// options, ghat = g twice: step 2 has c = 3/4, m = 3g/4, v = 3g^2/4, D = c v - m^2 = 0 exactly
// (every value a power of two times 3 or 9, subnormal ones included), so
// eta = lambda_eta m^2 / floor = (9/16) g^2 / min.
template <class T>
T rate_at_zero_variance(T g) {
    quench::Hyperparameters<T> h;
    h.batch_size = T(1);
    h.warmup = 1;
    h.lambda_rate = T(1);
    h.options.eta_max = T(1);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)}, eta(1);
    quench::step<T>(s, h, std::vector<T>{g}, phi, {eta, {}});
    quench::step<T>(s, h, std::vector<T>{g}, phi, {eta, {}});
    return eta[0];
}

TEST(ErrataFloor, X11FloorIsTheSmallestNormalSeenInEta) {
    // double: g = 2^-520, g^2 = 2^-1040 (subnormal), min = 2^-1022: eta = 9 * 2^-22.
    EXPECT_EQ(rate_at_zero_variance<double>(0x1p-520), 9 * 0x1p-22);
    // float: g = 2^-65, g^2 = 2^-130 (subnormal), min = 2^-126: eta = 9 * 2^-8.
    EXPECT_EQ(rate_at_zero_variance<float>(0x1p-65f), 9 * 0x1p-8f);
}

TEST(ErrataFloor, X11FloorValue) {
    // The divisor floor itself: the smallest normal number for IEEE types, 1/max for MPFR
    // (whose exponent range is asymmetric, so 1/min would overflow).
    using quench::detail::StepConstants;
    EXPECT_EQ(StepConstants<double>::smallest_safe_divisor(), std::numeric_limits<double>::min());
    EXPECT_EQ(StepConstants<float>::smallest_safe_divisor(), std::numeric_limits<float>::min());
    EXPECT_EQ(StepConstants<long double>::smallest_safe_divisor(), std::numeric_limits<long double>::min());
    using M = quench_test::mpfr_float_50;
    EXPECT_EQ(StepConstants<M>::smallest_safe_divisor(), M(M(1) / std::numeric_limits<M>::max()));
}
