// The running averages of the complete algorithm (docs/spec.md E15/E16, steps 1-3): the invariant
// of X8, the absorbing state of X14 and the bias correction of X15.
//
// "Exact arithmetic" claims are decided exactly: the raw update rules in GMP rationals
// (the core's step() needs numeric_limits min/max, which rationals lack), or the core's
// step() in MPFI, where a claim fails only when certainly violated.
#include "generators.hpp"
#include "rigorous.hpp"

#include <quench/quench.hpp>

#include <span>
#include <vector>

namespace {

using namespace quench::props;
namespace qg = quench::props::gen;

/// A gradient sequence with repeats (each entry is the previous one, one time in three):
/// constant stretches are where the averages degenerate (X14, X15).
rc::Gen<std::vector<double>> gradient_sequence(int min_length, int max_length) {
    return rc::gen::exec([=] {
        const int n = *rc::gen::inRange(min_length, max_length + 1);
        std::vector<double> seq;
        for (int t = 0; t < n; ++t) {
            const bool repeat = t > 0 && *rc::gen::weightedOneOf<bool>({{2, rc::gen::just(false)}, {1, rc::gen::just(true)}});
            seq.push_back(repeat ? seq.back() : *qg::value());
        }
        return seq;
    });
}

/// One step of E15/E16 in exact rationals: gt' = (1 - w) gt + w ghat, st' = (1 - w) st + w ghat^2.
struct Averages {
    exact gt = 0, st = 0;
    void absorb(const exact& w, const exact& g) {
        gt = (1 - w) * gt + w * g;
        st = (1 - w) * st + w * g * g;
    }
    exact variance() const { return st - gt * gt; }
};

/// The X8 claim for weights and gradients: st - gt^2 >= 0 after every step, and the
/// identity st' - gt'^2 = (1 - w)(st - gt^2) + w (1 - w)(gt - ghat)^2 (the invariant of docs/spec.md, section 4).
bool x8_invariant(const std::vector<double>& weights, const std::vector<double>& grads) {
    Averages a;
    bool ok = true;
    for (std::size_t t = 0; t < grads.size() && ok; ++t) {
        const exact w(weights[t % weights.size()]), g(grads[t]);
        const exact before = a.variance(), gt = a.gt;
        a.absorb(w, g);
        ok = a.variance() >= 0 && a.variance() == (1 - w) * before + w * (1 - w) * (gt - g) * (gt - g);
    }
    return ok;
}

/// Variance of coordinate i in T after the state's last step.
template <class T>
T variance(const quench::State<T>& s, const quench::Hyperparameters<T>& h, std::size_t i) {
    return quench::running_variance(s, h, i);
}

}  // namespace

// X8: with w in [0, 1] the variance st - gt^2 stays >= 0 over any gradient sequence.
QUENCH_PROPERTY(RunningAverage, X8_variance_nonnegative_for_weights_in_0_1, case_count(), ()) {
    const auto weights = *rc::gen::nonEmpty(rc::gen::container<std::vector<double>>(qg::unit_fraction()));
    const auto grads = *gradient_sequence(1, 30);
    RC_ASSERT(exactly(x8_invariant(weights, grads)) == Verdict::holds);
}

// X8: with w > 1 (the slides' unclamped B/Bstar when Bstar < B) a counterexample exists.
TEST(RunningAverage, X8_search_refutes_unclamped_weights) {
    double last_max_weight = 0;
    auto claim = [&](const std::vector<std::pair<int, double>>& steps) {
        std::vector<double> w, g;
        for (const auto& [k, x] : steps) {
            w.push_back(std::abs(k % 5) / 2.0);  // weights 0, 1/2, 1, 3/2, 2
            g.push_back(x);
        }
        if (w.empty()) return;
        const bool ok = x8_invariant(w, g);
        if (!ok) last_max_weight = *std::max_element(w.begin(), w.end());
        RC_ASSERT(ok);
    };
    const auto failure = falsify("RunningAverage/X8_search", claim, case_count());
    ASSERT_TRUE(failure.has_value()) << "no gradient sequence made st - gt^2 negative with w > 1";
    EXPECT_GT(last_max_weight, 1.0) << "a counterexample needs a weight above 1 (X8)";
}

// X14: with the X8 clamp alone (the literal slides plus clamp_weight, and the clamp/cap that
// keep step() finite: clamp_variance, eta_max), RapidCheck finds a gradient sequence after
// which the variance is exactly 0 and stays 0 for any further gradients: Bstar = 0 makes
// the weight 1, so gt = ghat and st = ghat^2. The claim "var does not stay at 0" must fail.
TEST(RunningAverage, X14_search_finds_the_absorbing_state_with_the_X8_clamp_alone) {
    bool absorbed_confirmed = false;
    auto claim = [&](int k_raw, int b_raw) {
        const std::uint64_t K = 2 + static_cast<std::uint64_t>(std::abs(k_raw % 9));  // K in [2, 10]
        const double B = 1 + std::abs(b_raw % static_cast<int>(K - 1));             // 1 <= B < K
        const auto seq = *gradient_sequence(static_cast<int>(K) + 1, static_cast<int>(K) + 12);
        quench::Hyperparameters<hp> h;
        h.batch_size = hp(B);
        h.warmup = K;
        h.options = quench::Options<hp>::literal();
        h.options.clamp_weight = true;
        h.options.clamp_variance = true;
        h.options.eta_max = hp(0.5);
        quench::State<hp> s(1, h);
        std::vector<hp> phi{hp(0)};
        auto is_zero = [](const hp& v) { return quench::lower(v) == 0 && quench::upper(v) == 0; };
        for (double g : seq) {
            const hp x(g);
            quench::step<hp>(s, h, std::span<const hp>(&x, 1), phi);
        }
        bool stuck = is_zero(variance(s, h, 0));
        // "For ever": ten more gradients, all different, cannot leave the state.
        for (int j = 1; j <= 10 && stuck; ++j) {
            const hp x((j % 2 ? 1.0 : -3.0) * j);
            quench::step<hp>(s, h, std::span<const hp>(&x, 1), phi);
            stuck = is_zero(variance(s, h, 0));
        }
        if (stuck) absorbed_confirmed = true;
        RC_ASSERT(!stuck);
    };
    const auto failure = falsify("RunningAverage/X14_search", claim, case_count());
    ASSERT_TRUE(failure.has_value()) << "no sequence reached the absorbing state of X14";
    EXPECT_TRUE(absorbed_confirmed);
}

// X14 fixed by the defaults (max_weight = 1/2, bias correction, per-example statistic,
// eta_max): once two different gradient values have been seen, the variance of the
// coordinate stays positive (certainly > 0 in MPFI) at every later step.
QUENCH_PROPERTY(RunningAverage, X14_defaults_keep_variance_positive, case_count(), ()) {
    const std::uint64_t K = static_cast<std::uint64_t>(*rc::gen::inRange(1, 11));
    const double B = *qg::magnitude(), L = *qg::magnitude();
    const int d = *qg::dimension(3);
    std::vector<std::vector<double>> seqs;
    const int n = *rc::gen::inRange(2, 40);
    for (int i = 0; i < d; ++i) {
        auto s = *gradient_sequence(n, n);
        for (double& x : s) x = std::fabs(x) > 1e12 ? 1e12 : x;
        seqs.push_back(s);
    }
    const Verdict v = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const auto h = quench::Hyperparameters<T>::from_smoothness(T(B), T(L), K);
        quench::State<T> s(static_cast<std::size_t>(d), h);
        std::vector<T> phi(d, T(0)), g(d);
        std::vector<bool> two_seen(d, false);
        Verdict all = Verdict::holds;
        for (int t = 0; t < n; ++t) {
            for (int i = 0; i < d; ++i) {
                g[i] = T(seqs[i][t]);
                if (t > 0 && seqs[i][t] != seqs[i][0]) two_seen[i] = true;
            }
            quench::step<T>(s, h, std::span<const T>(g), std::span<T>(phi));
            for (int i = 0; i < d; ++i)
                if (two_seen[i]) all = both(all, less(T(0), variance(s, h, i)));
        }
        return all;
    });
    RC_ASSERT(v != Verdict::violated);
}

// X15 exactly: with the averages divided by their mass c = 1 - prod(1 - w), a constant
// gradient gives var = st - gt^2 = 0 after every step, for any weights in (0, 1]; without
// the correction the first step leaves the spurious w (1 - w) x^2.
QUENCH_PROPERTY(RunningAverage, X15_bias_correction_exact, case_count(), ()) {
    const double x = *qg::value();
    const auto weights = *rc::gen::nonEmpty(rc::gen::container<std::vector<double>>(qg::unit_fraction()));
    exact c = 0, m = 0, v = 0;
    bool ok = true;
    for (double wd : weights) {
        const exact w(wd);
        c = (1 - w) * c + w;
        m = (1 - w) * m + w * exact(x);
        v = (1 - w) * v + w * exact(x) * exact(x);
        if (c != 0) ok = ok && (v / c - (m / c) * (m / c) == 0);
    }
    const exact w0(weights.front());  // uncorrected first step: st - gt^2 = w (1 - w) x^2
    const exact raw = w0 * exact(x) * exact(x) - (w0 * exact(x)) * (w0 * exact(x));
    ok = ok && raw == w0 * (1 - w0) * exact(x) * exact(x);
    RC_ASSERT(exactly(ok) == Verdict::holds);
}

// X15 through the core: step() with bias correction on (the default) and a constant
// gradient reports running_variance 0 from the first step (MPFI: the enclosure holds 0,
// exactly the point 0 when the weights are dyadic); with it off, the first step's variance
// is certainly positive when 0 < w < 1.
QUENCH_PROPERTY(RunningAverage, X15_core_step_constant_gradient, case_count(), ()) {
    const double x = *qg::signed_magnitude();
    const std::uint64_t K = static_cast<std::uint64_t>(*rc::gen::inRange(1, 17));
    const double B = *rc::gen::weightedOneOf<double>({{1, qg::magnitude()}, {1, rc::gen::element(1.0, 2.0, 4.0)}});
    const double L = *qg::magnitude();
    const int n = *rc::gen::inRange(1, 30);
    const Verdict zero = decide([&](auto type) {
        using T = typename decltype(type)::type;
        const auto h = quench::Hyperparameters<T>::from_smoothness(T(B), T(L), K);
        quench::State<T> s(1, h);
        std::vector<T> phi{T(0)};
        const T g(x);
        Verdict all = Verdict::holds;
        for (int t = 0; t < n; ++t) {
            quench::step<T>(s, h, std::span<const T>(&g, 1), phi);
            all = both(all, equal(variance(s, h, 0), T(0)));
        }
        return all;
    }, true);
    const Verdict spurious = decide([&](auto type) {
        using T = typename decltype(type)::type;
        auto h = quench::Hyperparameters<T>::from_smoothness(T(B), T(L), K);
        h.options.bias_correction = false;
        quench::State<T> s(1, h);
        std::vector<T> phi{T(0)};
        const T g(x);
        quench::step<T>(s, h, std::span<const T>(&g, 1), phi);
        const T w = quench::State<T>::warmup_weight(h);
        return both(equal(variance(s, h, 0), T(w * (T(1) - w) * g * g)), less(T(0), variance(s, h, 0)));
    }, true);
    RC_ASSERT(zero != Verdict::violated);
    RC_ASSERT(spurious != Verdict::violated);
}
