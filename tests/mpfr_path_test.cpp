// The generic pass for MPFR and MPFI numbers:
//  - it creates no number per coordinate: for MPFR every new number is a heap allocation,
//    and they were most of an mpfr_float_50 step's cost. MPFR allocates through GMP's memory
//    functions, which this test replaces with counting ones; a step over d coordinates must
//    then allocate as often as one over 10 d;
//  - it rounds every + - * / once, in the order of quench_sgd.hpp: the step equals, bit for
//    bit, a transcription into plain MPFR calls (Boost's expression templates would otherwise
//    fuse a*b + c into one mpfr_fma), and so are the closed forms of theory.hpp;
//  - MPFI's in-place forms give the end points of the by-value forms they replace.
#include "scalar_types.hpp"

#include <gmp.h>
#include <mpfr.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <utility>
#include <vector>

namespace {

using quench_test::mpfr_float_50;

std::size_t allocations = 0;
void* counting_allocate(std::size_t n) {
    ++allocations;
    return std::malloc(n);
}
void* counting_reallocate(void* p, std::size_t, std::size_t n) {
    ++allocations;
    return std::realloc(p, n);
}
void counting_free(void* p, std::size_t) { std::free(p); }

/// Counts GMP/MPFR allocations while in scope (GMP's defaults are malloc/realloc/free too,
/// so numbers made before or after may be freed by either).
struct CountingAllocator {
    CountingAllocator() { mp_set_memory_functions(counting_allocate, counting_reallocate, counting_free); }
    ~CountingAllocator() { mp_set_memory_functions(nullptr, nullptr, nullptr); }
    CountingAllocator(const CountingAllocator&) = delete;
    CountingAllocator& operator=(const CountingAllocator&) = delete;
};

struct Counts {
    std::size_t state;  // allocations building the state (at least one per number)
    std::size_t steps;  // allocations of two steps after warm-up
};

Counts count(std::size_t d, bool pre_check) {
    using T = mpfr_float_50;
    auto h = quench::Hyperparameters<T>::from_smoothness(T(32), T(1), 1);
    if (pre_check) h.options.eta_max.reset();  // not "always finite": the zero-variance check runs
    std::vector<T> g0, g1, phi(d, T(0));
    for (std::size_t i = 0; i < d; ++i) {
        g0.emplace_back(0.5 + static_cast<double>(i % 7) / 8);
        g1.emplace_back(-0.25 - static_cast<double>(i % 5) / 16);
    }
    CountingAllocator counting;
    const std::size_t start = allocations;
    quench::State<T> s(d, h);
    const std::size_t built = allocations;
    quench::step<T>(s, h, g0, phi);  // warm-up (K = 1)
    const std::size_t warm = allocations;
    quench::step<T>(s, h, g1, phi);
    quench::step<T>(s, h, g0, phi);
    return {built - start, allocations - warm};
}

TEST(Allocation, MpfrStepAllocatesTheSameForEveryDimension) {
    for (bool pre_check : {false, true}) {
        const Counts small = count(100, pre_check), large = count(1000, pre_check);
        // The hook is live: the states' numbers were counted.
        EXPECT_GE(small.state, 100u);
        EXPECT_GE(large.state, 1000u);
        EXPECT_EQ(small.steps, large.steps)
            << "a step allocates per coordinate (d = 100: " << small.steps << ", d = 1000: "
            << large.steps << ")" << (pre_check ? " with the zero-variance pre-check" : "");
    }
}

/// An mpfr_t at a given precision, freed on scope exit.
struct Real {
    mpfr_t v;
    explicit Real(mpfr_prec_t p) { mpfr_init2(v, p); }
    ~Real() { mpfr_clear(v); }
    Real(const Real&) = delete;
    Real& operator=(const Real&) = delete;
    operator mpfr_ptr() { return v; }
};

/// a = (b < a ? b : a) or a = (a < b ? b : a): the select forms of quench::min and max.
void select_min(mpfr_ptr a, mpfr_srcptr b) { if (mpfr_less_p(b, a)) mpfr_set(a, b, MPFR_RNDN); }
void select_max(mpfr_ptr a, mpfr_srcptr b) { if (mpfr_less_p(a, b)) mpfr_set(a, b, MPFR_RNDN); }

TEST(MpfrPath, StepRoundsEveryOperationOnceInTheWrittenOrder) {
    using T = mpfr_float_50;
    const auto h = quench::Hyperparameters<T>::from_smoothness(T(32), T(1), 1);  // default options
    const quench::detail::StepConstants<T> k(h);
    const std::size_t d = 400;
    std::mt19937_64 engine(5);
    std::uniform_real_distribution<double> u(-1, 1);
    auto gradient = [&] {
        std::vector<T> g;
        for (std::size_t i = 0; i < d; ++i) g.emplace_back(T(u(engine)) / 3);  // not dyadic
        return g;
    };
    quench::State<T> s(d, h);
    std::vector<T> phi(d, T(0));
    for (int t = 0; t < 4; ++t) quench::step<T>(s, h, gradient(), phi);  // weights now inexact
    const quench::State<T> before = s;
    const std::vector<T> phi_before = phi, g = gradient();
    quench::step<T>(s, h, g, phi);

    const mpfr_prec_t p = mpfr_get_prec(g[0].backend().data());
    Real keep(p), c(p), m(p), v(p), g2(p), m2(p), D(p), divisor(p), inv(p), eta(p), c2(p),
        scale(p), w(p), product(p), ph(p);
    auto in = [](const T& x) { return x.backend().data(); };
    int differ = 0;
    for (std::size_t i = 0; i < d; ++i) {
        mpfr_ui_sub(keep, 1, in(before.weight[i]), MPFR_RNDN);                // 1 - w
        mpfr_mul(c, keep, in(before.mass[i]), MPFR_RNDN);                     // X15
        mpfr_add(c, c, in(before.weight[i]), MPFR_RNDN);
        mpfr_mul(m, keep, in(before.mean[i]), MPFR_RNDN);                     // E15
        mpfr_mul(product, in(before.weight[i]), in(g[i]), MPFR_RNDN);
        mpfr_add(m, m, product, MPFR_RNDN);
        mpfr_mul(g2, in(g[i]), in(g[i]), MPFR_RNDN);                          // E16
        mpfr_mul(v, keep, in(before.second[i]), MPFR_RNDN);
        mpfr_mul(product, in(before.weight[i]), g2, MPFR_RNDN);
        mpfr_add(v, v, product, MPFR_RNDN);
        mpfr_mul(m2, m, m, MPFR_RNDN);
        mpfr_mul(D, c, v, MPFR_RNDN);                                         // D = c v - m^2
        mpfr_sub(D, D, m2, MPFR_RNDN);
        select_max(D, in(k.zero));                                            // X11
        mpfr_set(divisor, D, MPFR_RNDN);
        select_max(divisor, in(k.variance_floor));
        mpfr_ui_div(inv, 1, divisor, MPFR_RNDN);
        mpfr_mul(eta, in(k.rate_factor), m2, MPFR_RNDN);                      // E18/E20
        mpfr_mul(eta, eta, inv, MPFR_RNDN);
        select_min(eta, in(*k.eta_max));                                      // X9
        mpfr_mul(c2, c, c, MPFR_RNDN);
        mpfr_mul(scale, in(k.epsilon), c2, MPFR_RNDN);                        // E17, step 1
        mpfr_add(scale, scale, m2, MPFR_RNDN);
        mpfr_mul(w, in(k.weight_factor), scale, MPFR_RNDN);
        mpfr_mul(w, w, inv, MPFR_RNDN);
        select_min(w, in(k.one));                                             // X8
        select_min(w, in(*k.max_weight));                                     // X14
        mpfr_mul(product, eta, in(g[i]), MPFR_RNDN);                          // E20
        mpfr_sub(ph, in(phi_before[i]), product, MPFR_RNDN);
        const bool same = mpfr_equal_p(c, in(s.mass[i])) && mpfr_equal_p(m, in(s.mean[i])) &&
                          mpfr_equal_p(v, in(s.second[i])) && mpfr_equal_p(w, in(s.weight[i])) &&
                          mpfr_equal_p(ph, in(phi[i]));
        differ += !same;
    }
    EXPECT_EQ(differ, 0) << "of " << d << " coordinates";
}

// The closed forms (theory.hpp) are not fused either: with expression templates on, an
// mpfr_float_50 value equals the one of the same type with them off (et_off evaluates
// operation by operation, one rounding each), on random inputs inside each domain.
/// An input with all its bits in use (x/3 correctly rounded: the same value in both types).
/// With double inputs products would be exact, and a fused a*b + c could go unnoticed.
template <class X>
X full(double x) {
    return X(X(x) / 3);
}

TEST(MpfrPath, ClosedFormsRoundEveryOperationOnce) {
    namespace mp = boost::multiprecision;
    using On = mpfr_float_50;
    using Off = mp::number<mp::mpfr_float_backend<50>, mp::et_off>;
    namespace th = quench::theory;
    std::mt19937_64 engine(13);
    std::uniform_real_distribution<double> u(0.1, 10);
    int differ = 0, compared = 0;
    auto check = [&](const char* name, auto on, auto off) {
        const On a = on();
        const Off b = off();
        ++compared;
        if (mpfr_equal_p(a.backend().data(), b.backend().data()) == 0) {
            ++differ;
            ADD_FAILURE() << name << ": " << a.str(60) << " (et_on) vs " << b.str(60) << " (et_off)";
        }
    };
    for (int k = 0; k < 500; ++k) {
        const double a = u(engine) / 3, b = u(engine) / 7, c = u(engine) / 11, d = u(engine) / 13,
                     f = u(engine) / 1700, delta = 0.01 + u(engine) / 100;
#define QUENCH_BOTH(call_on, call_off) check(#call_on, [&] { return call_on; }, [&] { return call_off; })
        QUENCH_BOTH(th::descent_bound(full<On>(a), full<On>(b), full<On>(c)), th::descent_bound(full<Off>(a), full<Off>(b), full<Off>(c)));
        QUENCH_BOTH(th::progress_bound(full<On>(a), full<On>(b), full<On>(c + 20), full<On>(d), full<On>(f)),
                    th::progress_bound(full<Off>(a), full<Off>(b), full<Off>(c + 20), full<Off>(d), full<Off>(f)));
        QUENCH_BOTH(th::rate_at_batch(full<On>(c + 20), full<On>(a), full<On>(b), full<On>(d)),
                    th::rate_at_batch(full<Off>(c + 20), full<Off>(a), full<Off>(b), full<Off>(d)));
        QUENCH_BOTH(th::guaranteed_decrease(full<On>(a), full<On>(b), full<On>(c)), th::guaranteed_decrease(full<Off>(a), full<Off>(b), full<Off>(c)));
        QUENCH_BOTH(th::progress_per_example(full<On>(c + 20), full<On>(a), full<On>(b), full<On>(d)),
                    th::progress_per_example(full<Off>(c + 20), full<Off>(a), full<Off>(b), full<Off>(d)));
        QUENCH_BOTH(th::optimal_batch(full<On>(a), full<On>(b)), th::optimal_batch(full<Off>(a), full<Off>(b)));
        QUENCH_BOTH(th::linear_scaled_rate(full<On>(c), full<On>(a), full<On>(b), full<On>(d)),
                    th::linear_scaled_rate(full<Off>(c), full<Off>(a), full<Off>(b), full<Off>(d)));
        QUENCH_BOTH(th::vector_progress_bound(full<On>(a + 5), full<On>(b), full<On>(c + 1), full<On>(d), full<On>(f)),
                    th::vector_progress_bound(full<Off>(a + 5), full<Off>(b), full<Off>(c + 1), full<Off>(d), full<Off>(f)));
        QUENCH_BOTH(th::vector_rate_at_batch(full<On>(c + 10), full<On>(a + 5), full<On>(b), full<On>(d)),
                    th::vector_rate_at_batch(full<Off>(c + 10), full<Off>(a + 5), full<Off>(b), full<Off>(d)));
        QUENCH_BOTH(th::optimal_k(full<On>(a), full<On>(b)), th::optimal_k(full<Off>(a), full<Off>(b)));
        QUENCH_BOTH(th::concentration_bound(full<On>(a), full<On>(delta), full<On>(c + 1)),
                    th::concentration_bound(full<Off>(a), full<Off>(delta), full<Off>(c + 1)));
        QUENCH_BOTH(th::vacuous_batch_threshold(full<On>(a), full<On>(b)), th::vacuous_batch_threshold(full<Off>(a), full<Off>(b)));
        QUENCH_BOTH(th::gradient_confidence_radius(full<On>(a), full<On>(b + 1)),
                    th::gradient_confidence_radius(full<Off>(a), full<Off>(b + 1)));
        QUENCH_BOTH(th::lambda_eta_from_smoothness(full<On>(c + 1), full<On>(d)), th::lambda_eta_from_smoothness(full<Off>(c + 1), full<Off>(d)));
#undef QUENCH_BOTH
    }
    EXPECT_EQ(differ, 0) << "of " << compared;
}

// MPFI's in-place and end-point forms (mpfi.hpp) against the by-value, copy-based ones they
// replace, end point by end point, signed zeros included.
TEST(MpfiPath, InPlaceFormsEqualTheByValueForms) {
    using M = quench_test::mpfi_float_50;
    using E = quench::endpoint_t<M>;
    using Ops = quench::scalar_ops<M>;
    std::mt19937_64 engine(9);
    const double picks[] = {-2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0};
    std::uniform_int_distribution<int> pick(0, 6);
    auto draw = [&] {
        double a = picks[pick(engine)], b = picks[pick(engine)];
        if (b < a) std::swap(a, b);
        return M(E(a), E(b));
    };
    auto same = [](const M& x, const M& y) {
        const E xl = quench::lower(x), xu = quench::upper(x), yl = quench::lower(y), yu = quench::upper(y);
        return xl == yl && xu == yu && signbit(xl) == signbit(yl) && signbit(xu) == signbit(yu);
    };
    int differ = 0;
    for (int k = 0; k < 2000; ++k) {
        const M a = draw(), b = draw();
        differ += quench::possibly_less(a, b) != (quench::lower(a) < quench::upper(b));
        differ += quench::possibly_zero(a) != (quench::lower(a) <= 0 && quench::upper(a) >= 0);
        M r = a;
        quench::assign_min(r, b);
        differ += !same(r, Ops::min(a, b));
        r = a;
        quench::assign_max(r, b);
        differ += !same(r, Ops::max(a, b));
        quench::assign_square(r, a);
        differ += !same(r, Ops::square(a));
    }
    EXPECT_EQ(differ, 0);
}

}  // namespace
