// E26, the concentration bound (statistical), and its erratum X5.
//
// For random distributions with ||g_n - g|| <= b almost surely, the frequency of
// ||ghat - g|| > r/sqrt(k) over N independent minibatches of k examples (r from the core's
// concentration_radius) must be consistent with a probability <= delta: an exact binomial
// test rejects when P(Binomial(N, delta) >= observed) < 1e-9 (enclosed in MPFI; rejection
// only when the tail is certainly below 1e-9). The RapidCheck seed is fixed and the Monte
// Carlo seed is drawn from it, so runs are reproducible; the false-alarm probability of the
// whole property is below cases * 1e-9.
//
// Each trial's deviation is computed in rigorous interval<double> arithmetic from the
// double samples, and the mean g and the bound b of every distribution are exact (symmetric
// distributions: g = 0) or enclosed (discrete: g = sum c_j y_j / C) with b an upper bound
// that every sample is checked against. A trial counts as an exceedance only when it
// certainly exceeds; undecided trials are counted and reported.
#include "generators.hpp"
#include "rigorous.hpp"

#include <quench/interval.hpp>
#include <quench/theory.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <vector>

namespace {

using namespace quench::props;
namespace qg = quench::props::gen;
using I = quench::rigorous_interval;

constexpr int trials = 200;         // minibatches per case
constexpr double false_alarm = 1e-9;

enum class Family { sphere, discrete, rademacher };

const char* name(Family f) {
    return f == Family::sphere ? "points on a sphere" : f == Family::discrete ? "discrete" : "Rademacher/sqrt(d)";
}

/// A distribution of g_n in R^d with known mean (enclosed) and a bound b on ||g_n - g||.
struct Distribution {
    Family family{};
    int d = 1;
    double scale = 1;                      // sphere radius, Rademacher norm
    std::vector<std::vector<double>> atoms;  // discrete: atoms y_j
    std::vector<int> counts;               // discrete: weights c_j (probability c_j / C)
    std::vector<I> mean;                   // g, enclosed
    double b = 0;                          // an upper bound on ||g_n - g||
};

I norm2(const std::vector<double>& x, const std::vector<I>& center) {
    I s(0.0);
    for (std::size_t i = 0; i < x.size(); ++i) s += boost::numeric::square(I(x[i]) - center[i]);
    return s;
}

Distribution make_distribution(Family family, int d) {
    Distribution p;
    p.family = family;
    p.d = d;
    p.mean.assign(d, I(0.0));
    p.scale = *qg::magnitude();
    if (family == Family::sphere) {
        p.b = p.scale * (1 + std::ldexp(1.0, -40));  // |fl(scale u/||u||)| <= scale (1 + 2^-40), checked
    } else if (family == Family::rademacher) {
        const double entry = p.scale / std::sqrt(static_cast<double>(d));
        p.b = quench::upper(quench::sqrt(I(d) * boost::numeric::square(I(entry))));
    } else {
        const int m = *rc::gen::inRange(1, 9);
        p.counts = *rc::gen::container<std::vector<int>>(static_cast<std::size_t>(m), rc::gen::inRange(1, 17));
        for (int j = 0; j < m; ++j) p.atoms.push_back(*qg::vector(d));
        int total = 0;
        for (int c : p.counts) total += c;
        for (int i = 0; i < d; ++i) {
            I s(0.0);
            for (int j = 0; j < m; ++j) s += I(p.counts[j]) * I(p.atoms[j][i]);
            p.mean[i] = s / I(total);
        }
        for (const auto& y : p.atoms) p.b = std::max(p.b, quench::upper(quench::sqrt(norm2(y, p.mean))));
    }
    return p;
}

/// Draws samples of a Distribution.
class Sampler {
public:
    Sampler(const Distribution& p, std::uint64_t seed) : p_(p), rng_(seed) {
        if (p.family == Family::discrete)
            for (int c : p.counts) total_ += c;
    }
    const std::vector<double>& draw() {
        x_.assign(p_.d, 0.0);
        if (p_.family == Family::sphere) {
            std::normal_distribution<double> normal;
            double n2 = 0;
            while (n2 == 0) {
                for (double& v : x_) v = normal(rng_);
                n2 = 0;
                for (double v : x_) n2 += v * v;
            }
            const double flip = coin() ? -1.0 : 1.0;  // exact symmetry: the mean is exactly 0
            const double n = std::sqrt(n2);
            for (double& v : x_) v = flip * p_.scale * (v / n);
            if (!(quench::upper(norm2(x_, p_.mean)) <= quench::lower(I(p_.b) * I(p_.b))))
                throw std::logic_error("sphere sample outside its declared bound b");
        } else if (p_.family == Family::rademacher) {
            const double entry = p_.scale / std::sqrt(static_cast<double>(p_.d));
            for (double& v : x_) v = coin() ? -entry : entry;
        } else {
            std::uniform_int_distribution<int> pick(0, total_ - 1);
            int u = pick(rng_), j = 0;
            while (u >= p_.counts[j]) u -= p_.counts[j++];
            x_ = p_.atoms[j];
        }
        return x_;
    }

private:
    bool coin() { return (rng_() >> 63) != 0; }
    const Distribution& p_;
    std::mt19937_64 rng_;
    int total_ = 0;
    std::vector<double> x_;
};

/// Exceedances of ||ghat - g|| > radius / sqrt(k) over `trials` minibatches: certain ones
/// and undecided ones. radius is an enclosure of r.
struct Count {
    int exceed = 0;
    int undecided = 0;
};

Count count_exceedances(const Distribution& p, int k, const I& radius, std::uint64_t seed) {
    Sampler sampler(p, seed);
    const I threshold = boost::numeric::square(radius) / I(k);  // (r/sqrt(k))^2
    Count c;
    std::vector<I> sum(p.d);
    for (int t = 0; t < trials; ++t) {
        for (auto& s : sum) s = I(0.0);
        for (int n = 0; n < k; ++n) {
            const auto& x = sampler.draw();
            for (int i = 0; i < p.d; ++i) sum[i] += I(x[i]);
        }
        I dev2(0.0);
        for (int i = 0; i < p.d; ++i) dev2 += boost::numeric::square(sum[i] / I(k) - p.mean[i]);
        if (quench::certainly_less(threshold, dev2)) ++c.exceed;
        else if (!(quench::upper(dev2) <= quench::lower(threshold))) ++c.undecided;
    }
    return c;
}

/// The claim "exceedances occur with probability <= delta", judged by the exact binomial
/// test: violated when P(Binomial(trials, delta) >= exceed) < 1e-9 certainly.
Verdict binomial_test(int exceed, double delta) {
    if (exceed <= delta * trials) return Verdict::holds;
    const hp p(delta), q = hp(1) - p;
    // P(X = j) for j = exceed..trials, by the recurrence from P(X = exceed).
    hp term = hp(1);
    for (int j = 0; j < exceed; ++j) term = term * hp(trials - j) / hp(j + 1) * p;
    for (int j = exceed; j < trials; ++j) term *= q;
    hp tail = term;
    for (int j = exceed; j < trials; ++j) {
        term = term * hp(trials - j) / hp(j + 1) * p / q;
        tail += term;
    }
    const Verdict rare = less(tail, hp(false_alarm));
    return rare == Verdict::holds ? Verdict::violated : rare == Verdict::violated ? Verdict::holds : Verdict::undecided;
}

/// The verdict of E26 on one case: the claim holds unless the binomial test rejects.
Verdict concentration_case(const Distribution& p, int k, double delta, std::uint64_t seed, int* undecided_trials) {
    const I radius = quench::theory::concentration_radius(I(p.b), I(delta));
    const Count c = count_exceedances(p, k, radius, seed);
    if (undecided_trials != nullptr) *undecided_trials = c.undecided;
    RC_LOG() << name(p.family) << ", d = " << p.d << ", k = " << k << ", delta = " << delta << ", b = " << p.b
             << ": " << c.exceed << " of " << trials << " minibatches exceed r/sqrt(k) (" << c.undecided
             << " undecided)\n";
    return binomial_test(c.exceed, delta);
}

rc::Gen<double> delta() {
    return rc::gen::weightedOneOf<double>(
        {{3, rc::gen::element(0.05, 0.01, 0.1, 0.5, 1e-3)},
         {2, rc::gen::map(rc::gen::inRange(1, 1000), [](int k) { return k / 2000.0; })}});
}

}  // namespace

QUENCH_PROPERTY_SEEDED(Concentration, E26_bounded_norm_distributions, case_count(), 20170226, ()) {
    const Family family = *rc::gen::element(Family::sphere, Family::discrete, Family::rademacher);
    const int d = *qg::dimension(16);
    const int k = *rc::gen::inRange(1, 33);
    const double dl = *delta();
    const std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();
    const Distribution p = make_distribution(family, d);
    int undecided_trials = 0;
    const Verdict v = concentration_case(p, k, dl, seed, &undecided_trials);
    record(undecided_trials > 0 && v == Verdict::holds ? Verdict::undecided : v);
    RC_ASSERT(v != Verdict::violated);
}

// The test has power: a radius of half the norm bound (r = b/2, far below E26's) is
// rejected on every Rademacher case with d >= 4 (each minibatch has E||ghat||^2 = b^2/k).
QUENCH_PROPERTY_SEEDED(Concentration, binomial_test_rejects_a_too_small_radius, case_count(), 20170227, ()) {
    const int d = *rc::gen::inRange(4, 17);
    const int k = *rc::gen::inRange(1, 33);
    const std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();
    const Distribution p = make_distribution(Family::rademacher, d);
    const Count c = count_exceedances(p, k, I(p.b) / I(2.0), seed);
    RC_ASSERT(binomial_test(c.exceed, 0.05) == Verdict::violated);
}

// X5: with the slides' per-coordinate hypothesis |(g_n)_i - g_i| <= b (here Rademacher
// coordinates +-b) the claimed radius b (1 + sqrt(2 ln(1/delta))) fails. RapidCheck must
// find a counterexample and shrink it to a small dimension.
namespace {
int last_failing_d = 0, last_failing_k = 0;
void per_coordinate_claim(int d_raw, int k_raw, std::uint64_t seed, bool single_example) {
    const int d = 1 + std::abs(d_raw % 64);
    const int k = single_example ? 1 : 1 + std::abs(k_raw % 8);
    Distribution p;
    p.family = Family::rademacher;
    p.d = d;
    p.scale = std::sqrt(static_cast<double>(d));  // entries +-1: the per-coordinate bound is b = 1
    p.mean.assign(d, I(0.0));
    p.b = 1.0;  // the slides' b: a per-coordinate bound, not a norm bound (X5)
    const Count c = count_exceedances(p, k, quench::theory::concentration_radius(I(1.0), I(0.05)), seed);
    const bool rejected = binomial_test(c.exceed, 0.05) == Verdict::violated;
    if (rejected) last_failing_d = d, last_failing_k = k;
    RC_ASSERT(!rejected);
}
}  // namespace

TEST(Concentration, X5_per_coordinate_hypothesis_is_refuted) {
    const auto failure = falsify("Concentration/X5_search",
                                 [](int d, int k, std::uint64_t s) { per_coordinate_claim(d, k, s, false); },
                                 case_count());
    ASSERT_TRUE(failure.has_value()) << "no counterexample to the per-coordinate version of E26 was found";
    std::cout << "[X5] shrunk counterexample: d = " << last_failing_d << ", k = " << last_failing_k << std::endl;
    RecordProperty("X5_d", last_failing_d);
    EXPECT_LE(last_failing_d, 16) << "the counterexample should shrink to a small dimension";
}

// With one example per minibatch ||ghat - g|| = sqrt(d) b exactly, which exceeds
// b (1 + sqrt(2 ln 20)) = 3.448 b iff d >= 12 (docs/spec.md X5): the search must shrink to d = 12.
TEST(Concentration, X5_counterexample_shrinks_to_d_12_for_single_examples) {
    const auto failure = falsify("Concentration/X5_search_k1",
                                 [](int d, std::uint64_t s) { per_coordinate_claim(d, 0, s, true); },
                                 case_count());
    ASSERT_TRUE(failure.has_value());
    EXPECT_EQ(last_failing_d, 12);
    EXPECT_EQ(last_failing_k, 1);
}
