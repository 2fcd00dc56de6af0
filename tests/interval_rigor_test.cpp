// The rigorous interval<double> encloses the MPFR value of every operation the core uses,
// including the case that broke Boost's default policy under optimisation (docs/design.md:
// 0.1/3 gave a zero-width interval). This file is compiled twice, at -O0 and at -O3.
#include "scalar_types.hpp"

#include <bit>
#include <cstdint>
#include <random>
#include <vector>

using quench::rigorous_interval;
using R = quench_test::mpfr_float_100;

TEST(RigorousInterval, OneTenthOverThreeIsEnclosedAndNotAPoint) {
    volatile double opaque = 0.1;  // volatile: keep the compiler from folding it
    const double tenth = opaque;
    const rigorous_interval q = rigorous_interval(tenth) / rigorous_interval(3.0);
    EXPECT_TRUE(quench::contains(q, R(R(0.1) / 3)));
    EXPECT_LT(q.lower(), q.upper());
}

TEST(RigorousInterval, EveryOperationEnclosesTheMpfrValue) {
    std::mt19937_64 engine(7);
    std::uniform_real_distribution<double> mantissa(-1, 1);
    std::uniform_int_distribution<int> exponent(-60, 60);
    int outside = 0;
    for (int k = 0; k < 20000; ++k) {
        const double a = std::ldexp(mantissa(engine), exponent(engine));
        const double b = std::ldexp(mantissa(engine), exponent(engine));
        const rigorous_interval A(a), B(b);
        const R ra(a), rb(b);
        outside += !quench::contains(A + B, R(ra + rb));
        outside += !quench::contains(A - B, R(ra - rb));
        outside += !quench::contains(A * B, R(ra * rb));
        if (b != 0) outside += !quench::contains(A / B, R(ra / rb));
        outside += !quench::contains(boost::numeric::sqrt(rigorous_interval(std::fabs(a))), R(sqrt(abs(ra))));
        if (a != 0) outside += !quench::contains(boost::numeric::log(rigorous_interval(std::fabs(a))), R(log(abs(ra))));
    }
    EXPECT_EQ(outside, 0);
}

// A second check of each outward step, on chosen cases instead of random ones: for each of
// + - * / sqrt log one case whose double nearest to the exact value lies below it (only the
// upper bound's step keeps it inside) and one whose nearest lies above it (only the lower
// bound's). Which side it lies on is asserted first, from the 100-bit value.
TEST(RigorousInterval, EachOutwardStepOnACaseThatNeedsIt) {
    volatile double opaque_tiny = 0x1p-60, opaque_wide = 1 + 0x1p-52;
    const double tiny = opaque_tiny, wide = opaque_wide;
    const rigorous_interval one(1.0), two(2.0), three(3.0), t(tiny), w(wide);
    struct Case {
        const char* what;
        rigorous_interval got;
        R exact;
        bool nearest_below;  // the double nearest to exact is below it
    };
    using boost::numeric::log;
    using boost::numeric::sqrt;
    const Case cases[] = {
        {"1 + 2^-60", one + t, R(1) + R(tiny), true},
        {"-1 + -2^-60", -one + -t, -R(1) - R(tiny), false},
        {"1 - -2^-60", one - -t, R(1) + R(tiny), true},
        {"1 - 2^-60", one - t, R(1) - R(tiny), false},
        {"(1 + 2^-52)^2", w * w, R(wide) * R(wide), true},
        {"(1 + 2^-52) * -(1 + 2^-52)", w * -w, -R(wide) * R(wide), false},
        {"1/3", one / three, R(1) / 3, true},
        {"-1/3", -one / three, R(-1) / 3, false},
        {"sqrt(3)", sqrt(three), sqrt(R(3)), true},
        {"sqrt(2)", sqrt(two), sqrt(R(2)), false},
        {"log(2)", log(two), log(R(2)), true},
        {"log(3)", log(three), log(R(3)), false},
    };
    for (const Case& c : cases) {
        const R nearest(static_cast<double>(c.exact));  // mpfr's conversion rounds to nearest
        ASSERT_TRUE(c.nearest_below ? nearest < c.exact : nearest > c.exact) << c.what;
        EXPECT_TRUE(quench::contains(c.got, c.exact)) << c.what << ": " << c.got;
    }
}

// The policy's inline one-ulp steps are std::nextafter toward +-inf, bit for bit: on the
// special values and on random bit patterns (every sign, subnormals, infinities).
TEST(RigorousInterval, OutwardStepsAreNextafter) {
    const double inf = std::numeric_limits<double>::infinity();
    auto same = [](double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); };
    std::vector<double> xs = {0.0, -0.0, inf, -inf, std::numeric_limits<double>::max(),
                              -std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                              -std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
                              -std::numeric_limits<double>::denorm_min(), 1.0, -1.0};
    std::mt19937_64 engine(11);
    for (int k = 0; k < 100000; ++k) xs.push_back(std::bit_cast<double>(engine()));
    int differ = 0;
    for (double x : xs) {
        if (std::isnan(x)) {
            differ += !std::isnan(quench::detail::step_up(x)) + !std::isnan(quench::detail::step_down(x));
            continue;
        }
        differ += !same(quench::detail::step_up(x), std::nextafter(x, inf));
        differ += !same(quench::detail::step_down(x), std::nextafter(x, -inf));
    }
    EXPECT_EQ(differ, 0);
}

TEST(RigorousInterval, OverflowAndUnderflowStayOnTheRightSide) {
    const double big = std::numeric_limits<double>::max();
    const rigorous_interval sum = rigorous_interval(big) + rigorous_interval(big);
    EXPECT_TRUE(quench::contains(sum, R(R(big) * 2)));  // [max, inf]
    const double tiny = std::numeric_limits<double>::denorm_min();
    const rigorous_interval product = rigorous_interval(tiny) * rigorous_interval(0.25);
    EXPECT_TRUE(quench::contains(product, R(R(tiny) / 4)));  // rounds to 0, widened to [-tiny, tiny]
}

// Conversions into the interval from a wider type (the policy's conv_down/conv_up): a value
// that double cannot hold is rounded to nearest, which lands above it for these three, so
// only the outward step keeps the lower bound below (and, for 2^53 + 1, the upper above).
TEST(RigorousInterval, ConversionsOfInexactValuesEncloseThem) {
    const long double tenth = 0.1L;  // 0.1L < 0.1 (the double nearest to it)
    EXPECT_TRUE(quench::contains(rigorous_interval(tenth), R(tenth)));
    const std::uint64_t odd = (std::uint64_t(1) << 53) + 3;  // rounds to 2^53 + 4 (ties to even)
    EXPECT_TRUE(quench::contains(rigorous_interval(odd), R(odd)));
    const std::uint64_t below = (std::uint64_t(1) << 53) + 1;  // rounds to 2^53 (ties to even)
    EXPECT_TRUE(quench::contains(rigorous_interval(below), R(below)));
}

TEST(RigorousInterval, UndecidedComparisonsThrow) {
    const rigorous_interval a(1.0, 2.0), b(1.5, 3.0);
    EXPECT_ANY_THROW((void)(a < b));
    EXPECT_TRUE(quench::possibly_less(b, a));
    EXPECT_FALSE(quench::certainly_less(a, b));
}
