// Scale invariance of the rate across the accepted gradient range, per type (float, double),
// and "never a silently wrong rate" below it (quench/gradient_range.hpp).
//
// In real arithmetic eta depends on gt^2/var only, so scaling every gradient by s leaves the
// rates unchanged. In binary floating point a power-of-two s = 2^k scales every
// intermediate exactly, so while every intermediate stays normal the rates are bit-identical
// to those at s = 1; below the normal range the X11 floor decides them, and
// first_coordinate_outside_accepted_range() must say so. Fixed seeds: every run sees the
// same gradients.
#include <quench/certified_bounds.hpp>
#include <quench/gradient_range.hpp>
#include <quench/quench.hpp>

#include <boost/multiprecision/mpfr.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace {

constexpr std::size_t dimension = 4;
constexpr int steps = 40;

/// The rates of every step after warm-up at scale 2^k, and the first step at which a
/// coordinate left the accepted range (the run stops there, as the oracle does).
template <class T>
struct ScaledRun {
    std::vector<T> eta;                 // steps x dimension, up to the flagged step
    std::optional<int> flagged_step;
};

/// Gradients 1 + spread * z (z uniform in [-1, 1], seed per coordinate) times 2^k. With
/// spread 0.1 the raw weight gt^2/(lambda_B var) exceeds max_weight, so w = 1/2 at every
/// step and eps (fixed, not scaled) cannot change the trajectory; eta_max = 100 leaves the
/// rate (about 5) uncapped, so a floor-decided rate would show.
template <class T>
ScaledRun<T> run_at_scale(int k, unsigned seed) {
    quench::Hyperparameters<T> h;
    h.batch_size = T(8);
    h.warmup = 10;
    h.lambda_rate = T(0.125);
    h.epsilon = std::numeric_limits<T>::min();
    h.options.eta_max = T(100);
    quench::State<T> s(dimension, h);
    std::vector<T> phi(dimension, T(0)), eta(dimension), g(dimension);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> z(-1.0, 1.0);
    ScaledRun<T> r;
    for (int t = 1; t <= steps; ++t) {
        for (auto& x : g) x = std::ldexp(T(1 + 0.1 * z(rng)), k);  // exact: a power of two
        for (const T& x : g)
            if (quench::below_smallest_gradient(x)) {  // refused before the step
                r.flagged_step = t;
                return r;
            }
        quench::step<T>(s, h, std::span<const T>(g), std::span<T>(phi), quench::StepOutputs<T>{std::span<T>(eta), {}});
        if (quench::first_coordinate_outside_accepted_range(s, h)) {
            r.flagged_step = t;
            return r;
        }
        if (t > static_cast<int>(h.warmup)) r.eta.insert(r.eta.end(), eta.begin(), eta.end());
    }
    return r;
}

/// log2 of largest_gradient<T>(), rounded down, less 1 for the spread (|g| <= 1.1 * 2^k).
template <class T>
int largest_exponent() {
    return std::ilogb(quench::largest_gradient<T>()) - 1;
}

template <class T>
class GradientScale : public ::testing::Test {};
using PointTypes = ::testing::Types<float, double>;
TYPED_TEST_SUITE(GradientScale, PointTypes);

TYPED_TEST(GradientScale, RatesAreBitIdenticalAtEveryScaleOfTheAcceptedRange) {
    using T = TypeParam;
    const int k_top = largest_exponent<T>();
    const int k_bottom = std::numeric_limits<T>::min_exponent - std::numeric_limits<T>::digits;  // below every subnormal
    for (unsigned seed : {1u, 2u, 3u}) {
        const ScaledRun<T> ref = run_at_scale<T>(0, seed);
        ASSERT_FALSE(ref.flagged_step) << "seed " << seed;
        ASSERT_EQ(ref.eta.size(), dimension * (steps - 10));
        int lowest_unflagged = 0;
        bool flagged_below = false;
        for (int k = k_top; k >= k_bottom; --k) {
            const ScaledRun<T> r = run_at_scale<T>(k, seed);
            // Never silently wrong: every rate reported before a flag equals the one at s = 1.
            for (std::size_t j = 0; j < r.eta.size(); ++j)
                ASSERT_EQ(r.eta[j], ref.eta[j]) << "scale 2^" << k << ", seed " << seed << ", value " << j
                                               << " (step " << 11 + j / dimension << ", coordinate "
                                               << j % dimension << ")";
            if (r.flagged_step) flagged_below = true;
            else if (!flagged_below) lowest_unflagged = k;
        }
        // The accepted range reaches down to a few powers of two above smallest_gradient()
        // (var/gt^2 is about 2^-8 here, so D leaves the normal range about 2^4 above it) ...
        const int k_smallest = std::ilogb(quench::smallest_gradient<T>());
        EXPECT_LE(lowest_unflagged, k_smallest + 8) << "seed " << seed;
        // ... and below it the check does fire (it is not vacuous).
        EXPECT_TRUE(flagged_below) << "seed " << seed;
    }
}

/// The configuration (gradients of mean 1 and spread 0.5, B = 8, L = 2, K = 10,
/// eps = 1e-12 fixed): at every decade s = 10^-j of the type's range, every rate that is not
/// flagged meets the certified one-step bound against the exact step (mpfr_float_100) from
/// the same state, with float's unit roundoff in place of double's and one more u for the
/// second-order terms (the Gappa bounds are proved for binary64).
TYPED_TEST(GradientScale, UnflaggedRatesMeetTheCertifiedStepBoundAtEveryDecade) {
    using T = TypeParam;
    using mp = boost::multiprecision::mpfr_float_100;
    namespace qc = quench::certified;
    const double u = static_cast<double>(std::numeric_limits<T>::epsilon()) / 2;
    const double margin = std::is_same_v<T, double> ? 0 : u;  // float: one more u
    const double per_u = u / qc::unit_roundoff;
    const auto h = quench::Hyperparameters<T>::from_smoothness(T(8), T(2), 10);
    quench::Hyperparameters<mp> hm;
    hm.batch_size = mp(h.batch_size);
    hm.warmup = h.warmup;
    hm.lambda_batch = mp(h.lambda_batch);
    hm.lambda_rate = mp(h.lambda_rate);
    hm.epsilon = mp(h.epsilon);
    hm.options.eta_max = mp(*h.options.eta_max);
    hm.options.max_weight = mp(*h.options.max_weight);
    const quench::detail::StepConstants<mp> exact_constants(hm);
    const int decades = -std::numeric_limits<T>::min_exponent10 + 1;
    int checked = 0, flagged = 0;
    for (int j = 0; j <= decades; ++j) {
        const double scale = std::pow(10.0, -j);
        std::mt19937_64 rng(17);
        std::normal_distribution<double> nd(1.0, 0.5);
        quench::State<T> s(dimension, h);
        std::vector<T> phi(dimension, T(0)), eta(dimension), g(dimension);
        for (int t = 1; t <= steps; ++t) {
            for (auto& x : g) x = T(T(nd(rng)) * T(scale));
            bool refused = false;
            for (const T& x : g) refused = refused || quench::below_smallest_gradient(x);
            if (refused) {
                ++flagged;
                break;  // refused before the step, as the oracle does
            }
            const quench::State<T> pre = s;
            quench::step<T>(s, h, std::span<const T>(g), std::span<T>(phi), quench::StepOutputs<T>{std::span<T>(eta), {}});
            if (t <= static_cast<int>(h.warmup)) continue;
            if (quench::first_coordinate_outside_accepted_range(s, h)) {
                ++flagged;
                break;  // reported: the oracle refuses the step, a caller can stop
            }
            for (std::size_t i = 0; i < dimension; ++i) {
                const auto ex = quench::detail::update_coordinate<mp, false, true>(
                    exact_constants, mp(g[i]), mp(pre.mean[i]), mp(pre.second[i]), mp(pre.mass[i]), mp(pre.weight[i]));
                if (ex.mean == 0 || ex.scaled_variance == 0) continue;  // no relative bound
                // certified_bounds.hpp, "One step, composed": kappa_M = S_m/|M|, kappa_D = (C V + S_m^2)/|D*|.
                const mp keep = 1 - mp(pre.weight[i]);
                const mp sm = keep * abs(mp(pre.mean[i])) + mp(pre.weight[i]) * abs(mp(g[i]));
                const mp kappa_m = sm / abs(ex.mean);
                const mp kappa_d = (ex.mass * ex.second + sm * sm) / abs(ex.scaled_variance);
                const mp den = 1 - (qc::step_variance_abs * per_u + margin) * kappa_d;
                if (den <= 0) continue;  // the bound is vacuous
                const mp bound = (1 + qc::rate_rel * per_u + margin) * pow(1 + (qc::mean_abs * per_u + margin) * kappa_m, 2) / den - 1;
                const mp err = abs(mp(eta[i]) / ex.eta - 1);
                ASSERT_LE(err, bound) << "scale 1e-" << j << ", step " << t << ", coordinate " << i << ": eta "
                                      << eta[i] << ", exact " << ex.eta;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 1000);
    EXPECT_GT(flagged, 0);  // the smallest decades are outside the accepted range
}

}  // namespace
