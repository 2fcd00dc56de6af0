// stepwise_model_test.cpp - the stepwise verdict's own arithmetic is rigorous: every
// outward-rounded interval operation (stepwise_box.hpp) holds the exact result, computed
// by MPFR at 256 bits, for random operands over many binades (subnormal to huge), in double
// and long double; the monotone mean update (stepwise_model.hpp) holds every corner's exact
// value and is no wider than the corners' hull plus a few roundings; a float32 candidate
// whose gradient stops is admissible through the subnormals, with gradual underflow and
// with results flushed to zero, and is not without the model's underflow term.
#include "stepwise_constants.hpp"
#include "stepwise_model.hpp"

#include <gtest/gtest.h>
#include <mpfr.h>

#include <cmath>
#include <random>

namespace {

using namespace quench::oracle::stepwise;

/// An exact real (256 bits: every product and sum of two long doubles is exact, quotients
/// are rounded far below the boxes' one-ulp widening).
class Exact {
public:
    Exact() { mpfr_init2(x_, 256); }
    ~Exact() { mpfr_clear(x_); }
    Exact(const Exact&) = delete;
    Exact& operator=(const Exact&) = delete;
    mpfr_ptr get() { return x_; }
    mpfr_srcptr get() const { return x_; }

private:
    mpfr_t x_;
};

template <class R>
void set(Exact& e, R v) {
    if constexpr (std::is_same_v<R, double>) mpfr_set_d(e.get(), v, MPFR_RNDN);
    else mpfr_set_ld(e.get(), v, MPFR_RNDN);
}
template <class R>
bool holds(const Box<R>& b, const Exact& e) {
    if constexpr (std::is_same_v<R, double>) return mpfr_cmp_d(e.get(), b.lo) >= 0 && mpfr_cmp_d(e.get(), b.hi) <= 0;
    else return mpfr_cmp_ld(e.get(), b.lo) >= 0 && mpfr_cmp_ld(e.get(), b.hi) <= 0;
}

/// Random values over many binades, both signs, some exactly representable small integers.
template <class R>
R draw(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> mant(0.5, 1.0);
    std::uniform_int_distribution<int> expo(-1060, 1000), kind(0, 9), sign(0, 1);
    R v;
    switch (kind(rng)) {
        case 0: v = static_cast<R>(std::uniform_int_distribution<int>(0, 16)(rng)); break;
        case 1: v = std::ldexp(static_cast<R>(mant(rng)), std::uniform_int_distribution<int>(-1074, -1020)(rng)); break;
        default: v = std::ldexp(static_cast<R>(mant(rng)) + static_cast<R>(mant(rng)) * std::numeric_limits<R>::epsilon(),
                                expo(rng) / 4);
    }
    return sign(rng) ? -v : v;
}

template <class R>
Box<R> draw_box(std::mt19937_64& rng) {
    R a = draw<R>(rng), b = std::uniform_int_distribution<int>(0, 2)(rng) == 0 ? a : a + draw<R>(rng) * R(1e-3);
    return a <= b ? Box<R>{a, b} : Box<R>{b, a};
}

template <class R>
void check_operations() {
    std::mt19937_64 rng(20171);
    Exact x, y, r;
    for (int n = 0; n < 100000; ++n) {
        const Box<R> a = draw_box<R>(rng), b = draw_box<R>(rng);
        for (R p : {a.lo, a.hi})
            for (R q : {b.lo, b.hi}) {
                set(x, p), set(y, q);
                mpfr_add(r.get(), x.get(), y.get(), MPFR_RNDN);
                ASSERT_TRUE(holds(a + b, r)) << p << " + " << q;
                mpfr_sub(r.get(), x.get(), y.get(), MPFR_RNDN);
                ASSERT_TRUE(holds(a - b, r)) << p << " - " << q;
                mpfr_mul(r.get(), x.get(), y.get(), MPFR_RNDN);
                ASSERT_TRUE(holds(a * b, r)) << p << " * " << q;
                mpfr_sqr(r.get(), x.get(), MPFR_RNDN);
                ASSERT_TRUE(holds(square(a), r)) << p << "^2";
                if (b.lo > 0) {
                    mpfr_div(r.get(), x.get(), y.get(), MPFR_RNDN);
                    const Box<R> quotient = a / b;
                    if (bounded(quotient)) {
                        ASSERT_TRUE(holds(quotient, r)) << p << " / " << q;
                    }
                }
            }
        // x (1 +- r) holds x itself and x (1 +- r) exactly.
        const R v = a.lo, rel = std::ldexp(R(1), -std::uniform_int_distribution<int>(10, 60)(rng));
        set(x, v), set(y, rel);
        mpfr_mul(r.get(), x.get(), y.get(), MPFR_RNDN);
        mpfr_add(r.get(), r.get(), x.get(), MPFR_RNDN);
        if (std::isfinite(static_cast<double>(v))) {
            ASSERT_TRUE(holds(relative(v, rel), r)) << v << " (1 + " << rel << ")";
        }
    }
}

TEST(StepwiseBox, double_operations_hold_the_exact_result) { check_operations<double>(); }
TEST(StepwiseBox, long_double_operations_hold_the_exact_result) { check_operations<long double>(); }

template <class R>
void check_convex_update() {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> unit(0, 1), value(-3, 3);
    Exact p, q, x, one, f, t;
    mpfr_set_ui(one.get(), 1, MPFR_RNDN);
    for (int n = 0; n < 20000; ++n) {
        const R p0 = static_cast<R>(value(rng)), x0 = static_cast<R>(value(rng));
        const R r0 = static_cast<R>(unit(rng)), r1 = std::min<R>(1, r0 + static_cast<R>(unit(rng)) * R(1e-6));
        const Box<R> prev{p0, p0 + std::fabs(p0) * R(1e-9)}, rho{r0, r1}, g{x0, x0};
        const Box<R> got = convex_update(prev, rho, g);
        Box<R> hull_of_corners{infinity<R>, -infinity<R>};
        for (R a : {prev.lo, prev.hi})
            for (R b : {rho.lo, rho.hi}) {
                set(p, a), set(q, b), set(x, x0);
                mpfr_sub(t.get(), x.get(), p.get(), MPFR_RNDN);  // exact at 256 bits
                mpfr_mul(t.get(), t.get(), q.get(), MPFR_RNDN);
                mpfr_add(f.get(), p.get(), t.get(), MPFR_RNDN);
                ASSERT_TRUE(holds(got, f)) << a << " + " << b << " (" << x0 << " - " << a << ")";
                const R corner = a + b * (x0 - a);
                hull_of_corners = hull(hull_of_corners, Box<R>{corner, corner});
            }
        // Tight: within a few roundings of the corners' hull.
        const R slack = 16 * std::numeric_limits<R>::epsilon() * (std::fabs(p0) + std::fabs(x0) + 1);
        EXPECT_GE(got.lo, hull_of_corners.lo - slack);
        EXPECT_LE(got.hi, hull_of_corners.hi + slack);
    }
}

TEST(StepwiseModel, convex_update_holds_every_corner_and_is_tight_double) { check_convex_update<double>(); }
TEST(StepwiseModel, convex_update_holds_every_corner_and_is_tight_long_double) { check_convex_update<long double>(); }

TEST(StepwiseModel, gamma_is_the_textbook_bound_rounded_up) {
    const long double u = unit_roundoff(CandidatePrecision::float64);
    const long double g6 = gamma(6, u);
    EXPECT_GE(g6, 6 * u / (1 - 6 * u));
    EXPECT_LE(g6, 6 * u / (1 - 6 * u) * (1 + 1e-15L));
    EXPECT_EQ(unit_roundoff(CandidatePrecision::float32), 0x1p-24L);
}

/// A float32 candidate in the core's expression order (raw m, v, c; D = c v - m^2; one
/// division), with results below the smallest normal kept (gradual underflow) or flushed to
/// zero (XLA on the CPU, CUDA -ftz), on a coordinate whose gradient stops after 40 steps: w
/// is held at 1/2 (min_weight = max_weight), so gt halves each step through the subnormals
/// to 0. Returns how many of its recorded values fall outside their regions.
int outside_count(bool flush, bool with_underflow_term) {
    quench::Hyperparameters<double> h = quench::Hyperparameters<double>::from_smoothness(8, 2, 5);
    h.options.min_weight = 0.5;
    Constants<double> k = make_constants<double>(h, CandidatePrecision::float32);
    if (!with_underflow_term) {
        k.underflow = 0;
        k.e_state = k.e_mean = k.e_second = k.e_variance = k.e_rate = k.e_batch = k.e_weight = k.e_scale = 0;
        k.e_parameter = k.e_gradient = 0;
    }
    auto z = [flush](float x) { return flush && std::fabs(x) < std::numeric_limits<float>::min() ? 0.0f : x; };
    const float rf = static_cast<float>(h.lambda_rate / h.batch_size), wf = static_cast<float>(1 / h.lambda_batch);
    const float eps = static_cast<float>(h.epsilon), eta_max = static_cast<float>(*h.options.eta_max);
    float m = 0, v = 0, c = 0, w = 0.5f, phi = 0.75f;
    Carried<double> carried;
    carried.weight = k.warm_weight;
    carried.phi = point<double>(phi);
    std::mt19937_64 rng(5);
    std::normal_distribution<double> noise(1.0, 0.3);
    int outside = 0;
    for (std::uint64_t t = 1; t <= 240; ++t) {
        const float g = t <= 40 ? static_cast<float>(noise(rng)) : 0.0f;
        c = z(z((1 - w) * c) + w);
        m = z(z((1 - w) * m) + z(w * g));
        v = z(z((1 - w) * v) + z(w * z(g * g)));
        const float m2 = z(m * m), d = std::max(z(z(c * v) - m2), std::numeric_limits<float>::min());
        const float inverse = 1 / d;
        float eta = 0;
        if (t > h.warmup) {
            eta = std::min(z(z(rf * m2) * inverse), eta_max);
            w = std::min(std::max(z(z(wf * z(m2 + z(eps * z(c * c)))) * inverse), 0.5f), 0.5f);
        }
        phi = phi - z(eta * g);
        Recorded<double> rec;
        rec.gt = z(m / c);
        rec.st = z(v / c);
        rec.eta = eta;
        rec.phi = phi;
        const StepChecks<double> checks = check_step<double>(t, candidate_gradient<double>(g, false, k), rec, true, k, carried);
        const double values[6] = {*rec.gt, *rec.st, 0, 0, eta, phi};
        for (int q : {0, 1, 4, 5})
            if (checks.of[q] && !(checks.of[q]->region.lo <= values[q] && values[q] <= checks.of[q]->region.hi)) ++outside;
    }
    EXPECT_EQ(m, 0.0f) << "the run did not reach 0 through the subnormals";
    return outside;
}

TEST(StepwiseModel, float32_through_underflow_is_admissible_gradual_and_flushed) {
    EXPECT_EQ(outside_count(false, true), 0);
    EXPECT_EQ(outside_count(true, true), 0);
    // without the term, the relative bounds alone refuse the flushed run (eta = 0 where m^2
    // was flushed) and the gradual one (eta from a subnormal m^2)
    EXPECT_GT(outside_count(true, false), 0);
    EXPECT_GT(outside_count(false, false), 0);
}

}  // namespace
