// Closed forms of theory.hpp (E3-E29) on inputs where they are exact in every scalar type,
// and their domain errors. Exact: point types must return the value bit for bit, interval
// types must contain it.
#include "scalar_types.hpp"

namespace qt = quench::theory;
using quench_test::is_exactly;
using R = quench_test::mpfr_float_100;

template <class T>
class Theory : public ::testing::Test {};
TYPED_TEST_SUITE(Theory, quench_test::AllScalarTypes);

TYPED_TEST(Theory, E12OptimalBatchAndRate) {
    using T = TypeParam;
    EXPECT_TRUE(is_exactly(qt::optimal_batch(T(1), T(2)), R(4)));      // 16 * 1 / 4
    EXPECT_TRUE(is_exactly(qt::optimal_batch(T(3), T(-4)), R(9)));     // 16 * 9 / 16, |g| (X3)
    EXPECT_TRUE(is_exactly(qt::optimal_batch(T(0), T(5)), R(0)));      // no noise: B* = 0
    EXPECT_TRUE(is_exactly(qt::optimal_rate(T(2)), R(0.25)));          // 1/(2L)
}

TYPED_TEST(Theory, E21RateAtBatchAndX4Domain) {
    using T = TypeParam;
    // sigma = 1, g = 1, L = 1: threshold 4 sigma^2/g^2 = 4, B* = 16.
    EXPECT_TRUE(is_exactly(qt::vacuous_batch_threshold(T(1), T(1)), R(4)));
    EXPECT_TRUE(is_exactly(qt::rate_at_batch(T(4), T(1), T(1), T(1)), R(0)));      // boundary: 0
    EXPECT_TRUE(is_exactly(qt::rate_at_batch(T(16), T(1), T(1), T(1)), R(0.5)));    // E12: 1/(2L)
    EXPECT_TRUE(is_exactly(qt::rate_at_batch(T(16), T(-1), T(1), T(1)), R(0.5)));   // |ghat| (X3)
    EXPECT_TRUE(is_exactly(qt::rate_at_batch(T(1), T(1), T(1), T(1)), R(-1)));      // below: negative
    // E23 at B* = 16: (1/2)^2 / 16; at B = 1 (outside the domain) 1 > 1/64 (X4).
    EXPECT_TRUE(is_exactly(qt::progress_per_example(T(16), T(1), T(1), T(1)), R(1) / 64));
    EXPECT_TRUE(is_exactly(qt::progress_per_example(T(1), T(1), T(1), T(1)), R(1)));
}

TYPED_TEST(Theory, E11E22ProgressBoundAtOptimum) {
    using T = TypeParam;
    // ghat = 2, sigma = 1, B = 16 (radius 2/4 = 1/2), L = 1, eta*(B) = 1 - 1/4 = 3/4.
    EXPECT_TRUE(is_exactly(qt::gradient_confidence_radius(T(1), T(16)), R(0.5)));
    EXPECT_TRUE(is_exactly(qt::rate_at_batch(T(16), T(2), T(1), T(1)), R(0.75)));
    // E11 at eta = 3/4: -(3/4)(2 - 1/2)2 + (1/2)(9/16)4 = -9/4 + 9/8 = -9/8; E22: -(L/2) eta^2 g^2.
    EXPECT_TRUE(is_exactly(qt::progress_bound(T(2), T(1), T(16), T(1), T(0.75)), R(-9) / 8));
    EXPECT_TRUE(is_exactly(qt::guaranteed_decrease(T(0.75), T(2), T(1)), R(9) / 8));
    // E9: -g D + L D^2 / 2 with g = 3, D = 2, L = 1: -6 + 2.
    EXPECT_TRUE(is_exactly(qt::descent_bound(T(3), T(2), T(1)), R(-4)));
}

TYPED_TEST(Theory, E13ScalingAndX10) {
    using T = TypeParam;
    // B = 4, g = 2, sigma = 1, L = 1: B* = 4 and eta_B = 4*4/32 = 1/2 = eta*.
    EXPECT_TRUE(is_exactly(qt::linear_scaled_rate(T(4), T(2), T(1), T(1)), R(0.5)));
    EXPECT_TRUE(is_exactly(qt::scaled_rate(T(4), T(4), T(0.5)), R(0.5)));          // E4
    EXPECT_TRUE(is_exactly(qt::per_example_rate(T(0.5), T(4)), R(0.125)));         // E3
    // B = 8 > B* = 4: the linear rule gives 1 > eta*, the cap gives 1/2 (X9).
    EXPECT_TRUE(is_exactly(qt::linear_scaled_rate(T(8), T(2), T(1), T(1)), R(1)));
    EXPECT_TRUE(is_exactly(qt::capped_scaled_rate(T(8), T(2), T(1), T(1)), R(0.5)));
    EXPECT_TRUE(is_exactly(qt::capped_scaled_rate(T(2), T(2), T(1), T(1)), R(0.25)));
    EXPECT_TRUE(is_exactly(qt::lambda_eta_from_smoothness(T(64), T(1)), R(2)));     // B/(32L)
    EXPECT_TRUE(is_exactly(qt::lambda_batch_from_theory<T>(), R(16)));
}

// The cases above sit where a wrong closed form can still give the right number: B = B*
// (E4's ratio is 1 either way up), sigma = 1 (sigma and sigma^2 agree), ghat > 0 (ghat and
// |ghat| agree). Here each input is moved off that point, values by hand.
TYPED_TEST(Theory, ClosedFormsAwayFromTheSymmetricInputs) {
    using T = TypeParam;
    // E4: eta_B = (B/B*) eta* with B = 8, B* = 2, eta* = 1/2: 4 * 1/2 (inverted: 1/8).
    EXPECT_TRUE(is_exactly(qt::scaled_rate(T(8), T(2), T(0.5)), R(2)));
    // E11 with ghat = -2 (X3: |ghat|): the same -9/8 as for ghat = 2 above, since the bound
    // depends on |ghat| only; with ghat itself, -(3/4)(-2 - 1/2)(-2) + 9/8 = -21/8.
    EXPECT_TRUE(is_exactly(qt::progress_bound(T(-2), T(1), T(16), T(1), T(0.75)), R(-9) / 8));
    // E13 with sigma = 2: B g^2/(32 sigma^2 L) = 4*4/(32*4*1) = 1/8 (sigma unsquared: 1/4).
    EXPECT_TRUE(is_exactly(qt::linear_scaled_rate(T(4), T(2), T(2), T(1)), R(1) / 8));
    EXPECT_TRUE(is_exactly(qt::capped_scaled_rate(T(4), T(2), T(2), T(1)), R(1) / 8));
    // Second values for the closed forms checked once above, with other inputs (negative
    // gradients, L != 1, k > 1); the wrong constant each would give is in parentheses.
    EXPECT_TRUE(is_exactly(qt::per_example_rate(T(1), T(8)), R(1) / 8));                  // E3 (8)
    EXPECT_TRUE(is_exactly(qt::descent_bound(T(-1), T(4), T(0.5)), R(8)));                 // E9: 4 + 4 (6)
    EXPECT_TRUE(is_exactly(qt::guaranteed_decrease(T(0.5), T(-4), T(2)), R(4)));           // E22: (L/2) eta^2 g^2 (2)
    EXPECT_TRUE(is_exactly(qt::vacuous_batch_threshold(T(2), T(-1)), R(16)));              // X4: 4 sigma^2/g^2 (8)
    // E21/E23 at B = 64, ghat = -1, sigma = 2, L = 1: eta = 1 - 4/8 = 1/2, eta^2/B = 1/256 (1/128).
    EXPECT_TRUE(is_exactly(qt::rate_at_batch(T(64), T(-1), T(2), T(1)), R(0.5)));
    EXPECT_TRUE(is_exactly(qt::progress_per_example(T(64), T(-1), T(2), T(1)), R(1) / 256));
    // E27/E28 at k = 16, r = 4 (deviation r/sqrt(k) = 1), ||ghat|| = 2, L = 1: eta(k) =
    // 1 - 1/2 (X6's sign: 3/2); at eta = 1/2 the bound is -1 + 1/2 (r/k: -5/4). E29: k* = (6/4)^2.
    EXPECT_TRUE(is_exactly(qt::vector_rate_at_batch(T(16), T(2), T(4), T(1)), R(0.5)));
    EXPECT_TRUE(is_exactly(qt::vector_progress_bound(T(2), T(4), T(16), T(1), T(0.5)), R(-0.5)));
    EXPECT_TRUE(is_exactly(qt::optimal_k(T(3), T(4)), R(9) / 4));                           // (81/16)
}

// The user-facing constructor produces the derivation's values, computed by hand here (not
// by the closed forms it calls): a constant spelled differently inside from_smoothness
// (B/(30 L), 1/(3 L), lambda_B = 15) fails this even when every run shares the wrong value.
TYPED_TEST(Theory, X10FromSmoothnessGivesTheDerivationsValues) {
    using T = TypeParam;
    struct Case { double B, L, lambda_eta, eta_max; };
    //                      B/(32 L)     1/(2 L)
    for (const Case c : {Case{64, 1, 2, 0.5}, Case{4, 0.5, 0.25, 1}, Case{1, 0.015625, 2, 32},
                         Case{32, 4, 0.25, 0.125}}) {
        const auto h = quench::Hyperparameters<T>::from_smoothness(T(c.B), T(c.L), 7, T(0.5));
        EXPECT_TRUE(is_exactly(h.batch_size, R(c.B)));
        EXPECT_EQ(h.warmup, 7u);
        EXPECT_TRUE(is_exactly(h.lambda_batch, R(16))) << "E12: lambda_B = 16";
        EXPECT_TRUE(is_exactly(h.lambda_rate, R(c.lambda_eta))) << "X10: B/(32 L), B = " << c.B << ", L = " << c.L;
        EXPECT_TRUE(is_exactly(h.epsilon, R(0.5)));
        ASSERT_TRUE(h.options.eta_max.has_value());
        EXPECT_TRUE(is_exactly(*h.options.eta_max, R(c.eta_max))) << "X9: 1/(2 L), L = " << c.L;
        // The default options (the safe ones), not the literal slides.
        EXPECT_TRUE(h.options.clamp_weight);
        ASSERT_TRUE(h.options.max_weight.has_value());
        EXPECT_TRUE(is_exactly(*h.options.max_weight, R(0.5)));
        EXPECT_TRUE(h.options.clamp_variance);
        EXPECT_TRUE(h.options.bias_correction);
        EXPECT_EQ(h.options.noise, quench::NoiseStatistic::per_example);
    }
}

TYPED_TEST(Theory, E28E29VectorCase) {
    using T = TypeParam;
    // r = 1, ||ghat|| = 2: k* = (2r/||ghat||)^2 = 1 and eta(k*) = 1/(2L) (E29).
    EXPECT_TRUE(is_exactly(qt::optimal_k(T(1), T(2)), R(1)));
    EXPECT_TRUE(is_exactly(qt::vector_rate_at_batch(T(1), T(2), T(1), T(1)), R(0.5)));
    // 1-D radius r = 2 sigma turns E29 into E12 (X7): (2*2*3/4)^2 = 9 = 16*9/16.
    EXPECT_TRUE(is_exactly(qt::optimal_k(T(6), T(4)), R(9)));
    EXPECT_TRUE(is_exactly(qt::optimal_batch(T(3), T(4)), R(9)));
    // E27 at k = 4, r = 2 (deviation 1), ||ghat|| = 2, L = 1, eta = 1/2: -1/2*2*1 + 1/2*1/4*4.
    EXPECT_TRUE(is_exactly(qt::vector_progress_bound(T(2), T(2), T(4), T(1), T(0.5)), R(-0.5)));
}

TYPED_TEST(Theory, E26RadiusEnclosesTheMpfrValue) {
    using T = TypeParam;
    const T r = qt::concentration_radius(T(1), T(0.05));
    const R exact = 1 + sqrt(2 * log(1 / R(0.05)));  // 0.05 as double, exactly
    if constexpr (quench::is_interval_v<T>) {
        EXPECT_TRUE(quench::contains(r, exact)) << quench_test::show(r);
    } else {
        // Stated bound: 1/delta, sqrt and 1 + x are correctly rounded (<= 1/2 ulp each); log
        // is within 4 ulps for glibc and Boost.Multiprecision. Propagated (log is
        // 0.334-conditioned at 20, sqrt halves relative errors, 1 + x scales them by
        // 2.45/3.45): <= 1/2 + 0.71 (1/2 + (4 + 0.334/2)/2) = 2.3 ulps. 8 leaves room.
        const R ulp = R(std::numeric_limits<T>::epsilon()) * exact;
        EXPECT_LE(abs(R(r) - exact), 8 * ulp) << quench_test::show(r);
    }
    // E26's deviation r/sqrt(k) at k = 16 is r/4: sqrt(16) and the division by 4 are exact,
    // so the bound above holds scaled by 1/4 (r/k would be r/16).
    const T deviation = qt::concentration_bound(T(1), T(0.05), T(16));
    const R quarter = exact / 4;
    if constexpr (quench::is_interval_v<T>) {
        EXPECT_TRUE(quench::contains(deviation, quarter)) << quench_test::show(deviation);
    } else {
        const R ulp = R(std::numeric_limits<T>::epsilon()) * quarter;
        EXPECT_LE(abs(R(deviation) - quarter), 8 * ulp) << quench_test::show(deviation);
    }
    // X5 numbers (docs/spec.md): sqrt(12) > r(delta = 1/20) = 3.448... > sqrt(11).
    EXPECT_TRUE(quench::certainly_less(r, quench::sqrt(T(12))));
    EXPECT_TRUE(quench::certainly_less(quench::sqrt(T(11)), r));
}

TYPED_TEST(Theory, DomainErrorsAreClear) {
    using T = TypeParam;
    EXPECT_THROW(qt::optimal_batch(T(1), T(0)), quench::invalid_input);
    EXPECT_THROW(qt::optimal_batch(T(-1), T(1)), quench::invalid_input);
    EXPECT_THROW(qt::optimal_rate(T(0)), quench::invalid_input);
    EXPECT_THROW(qt::optimal_rate(T(-2)), quench::invalid_input);
    EXPECT_THROW(qt::rate_at_batch(T(0), T(1), T(1), T(1)), quench::invalid_input);
    EXPECT_THROW(qt::concentration_radius(T(1), T(1)), quench::invalid_input);
    EXPECT_THROW(qt::concentration_radius(T(1), T(0)), quench::invalid_input);
    EXPECT_THROW(qt::linear_scaled_rate(T(1), T(1), T(0), T(1)), quench::invalid_input);
    if constexpr (!quench::is_interval_v<T>) {  // intervals refuse to hold a NaN at all
        const T nan = T(std::numeric_limits<double>::quiet_NaN());
        EXPECT_THROW(qt::optimal_rate(nan), quench::invalid_input);
    }
    try {
        qt::optimal_batch(T(1), T(0));
    } catch (const quench::invalid_input& e) {
        EXPECT_NE(std::string(e.what()).find("optimal_batch"), std::string::npos) << e.what();
    }
}

// Finite inputs whose value leaves double's range: overflow_error naming the function, never a
// silent infinity or NaN (found by the cross-precision property: E27 gave inf - inf = NaN).
TEST(TheoryDouble, OverflowThrowsInsteadOfInfinityOrNaN) {
    EXPECT_THROW(qt::optimal_batch(1e200, 1e-200), quench::overflow_error);       // 16 s^2/g^2 = inf
    EXPECT_THROW(qt::descent_bound(-1e200, 1e200, 1.0), quench::overflow_error);  // g D = inf
    EXPECT_THROW(qt::vector_progress_bound(8.46e88, 2.2e93, 4.9e-91, 9.86e-32, -9.49e80),
                 quench::overflow_error);  // -inf + inf
    try {
        qt::vector_progress_bound(8.46e88, 2.2e93, 4.9e-91, 9.86e-32, -9.49e80);
    } catch (const quench::overflow_error& e) {
        EXPECT_NE(std::string(e.what()).find("vector_progress_bound"), std::string::npos) << e.what();
    }
    // A non-finite input is a domain error naming the input, not an "overflow".
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_THROW(qt::descent_bound(nan, 1.0, 1.0), quench::invalid_input);
    EXPECT_THROW(qt::progress_bound(1.0, 1.0, 4.0, 1.0, inf), quench::invalid_input);
    EXPECT_THROW(qt::guaranteed_decrease(nan, 1.0, 1.0), quench::invalid_input);
    EXPECT_THROW(qt::vector_progress_bound(1.0, 1.0, 1.0, 1.0, nan), quench::invalid_input);
    EXPECT_THROW(qt::per_example_rate(inf, 2.0), quench::invalid_input);
    try {
        qt::descent_bound(1.0, nan, 1.0);
        ADD_FAILURE() << "descent_bound accepted D = NaN";
    } catch (const quench::invalid_input& e) {
        EXPECT_NE(std::string(e.what()).find("D finite"), std::string::npos) << e.what();
    }
    // The same inputs at 50 digits (MPFR's exponent range) have a value.
    using M = quench_test::mpfr_float_50;
    EXPECT_NO_THROW(qt::vector_progress_bound(M(8.46e88), M(2.2e93), M(4.9e-91), M(9.86e-32), M(-9.49e80)));
}
