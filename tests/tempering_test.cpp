// Tempering (docs/spec.md, "Tempering"): the options eta_min (a floor on the rate after
// warm-up) and min_weight (a floor on the averaging weight) on hand-computed trajectories,
// the floors at every step of a long run in every scalar type, the bit-for-bit identity of
// a floor that does not bind, and the validation of both options. Values are dyadic where
// the test says "exactly", so every type must hold them (intervals: contain them).
#include "hand_example.hpp"
#include "expect_message.hpp"
#include "scalar_types.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using quench_test::is_exactly;
using quench_test::is_rounded;
using R = quench_test::mpfr_float_100;

template <class T>
class Tempering : public ::testing::Test {};
TYPED_TEST_SUITE(Tempering, quench_test::AllScalarTypes);

namespace {
/// The hand example (hand_example.hpp). Untempered, the gradients -4, 2, 2 give at
/// t = 3: gt = 1, st = 5, var = 4, eta = lambda_eta gt^2/var = 1/16, B* = 16*4/(1 + 1/16)
/// = 1024/17 and the next weight 17/1024.
using quench_test::hand_example;

using quench_test::expect_message;
}  // namespace

TYPED_TEST(Tempering, EtaMinFloorsTheRateAfterWarmupOnly) {
    using T = TypeParam;
    auto h = hand_example<T>();
    h.options.eta_min = T(0.125);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)}, eta(1), bstar(1);
    const quench::StepOutputs<T> out{eta, bstar};
    auto take = [&](double g) { quench::step<T>(s, h, std::vector<T>{T(g)}, phi, out); };
    // t = 1, 2 (warm-up): eta = 0 (E18), not the floor; phi does not move.
    take(-4);
    EXPECT_TRUE(is_exactly(eta[0], R(0)));
    take(2);
    EXPECT_TRUE(is_exactly(eta[0], R(0)));
    EXPECT_TRUE(is_exactly(phi[0], R(1)));
    // t = 3: the rate formula gives 1/16 < 1/8, so eta = 1/8 and phi = 1 - (1/8) 2 = 3/4.
    // The statistics are the untempered ones: eta_min changes no average and no weight.
    take(2);
    EXPECT_TRUE(is_exactly(eta[0], R(1) / 8));
    EXPECT_TRUE(is_exactly(phi[0], R(3) / 4));
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(1)));
    EXPECT_TRUE(is_exactly(quench::running_variance(s, h, 0), R(4)));
    EXPECT_TRUE(is_exactly(s.weight[0], R(17) / 1024));
    EXPECT_TRUE(is_rounded(bstar[0], T(T(1024) / T(17)), R(1024) / 17));
    // t = 4, w = 17/1024: gt = 1041/1024, st = 5103/1024, var = st - gt^2 = 4141791/1048576,
    // so the formula gives eta = (1/4) 1083681/4141791 = 0.0654... < 1/8: the floor again,
    // and phi = 3/4 - (1/8) 2 = 1/2.
    take(2);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(1041) / 1024));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(5103) / 1024));
    EXPECT_TRUE(is_exactly(eta[0], R(1) / 8));
    EXPECT_TRUE(is_exactly(phi[0], R(1) / 2));
}

TYPED_TEST(Tempering, EtaMinBelowTheRateChangesNothing) {
    using T = TypeParam;
    // eta_min = 1/32 < 1/16: at t = 3 eta and phi are the untempered 1/16 and 7/8.
    auto h = hand_example<T>();
    h.options.eta_min = T(0.03125);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)}, eta(1);
    for (double g : {-4.0, 2.0, 2.0}) quench::step<T>(s, h, std::vector<T>{T(g)}, phi, {eta, {}});
    EXPECT_TRUE(is_exactly(eta[0], R(1) / 16));
    EXPECT_TRUE(is_exactly(phi[0], R(7) / 8));
}

TYPED_TEST(Tempering, MinWeightFloorsTheWindowNotTheReportedBatchStar) {
    using T = TypeParam;
    auto h = hand_example<T>();
    h.options.min_weight = T(0.25);
    quench::State<T> s(1, h);
    EXPECT_TRUE(is_exactly(s.weight[0], R(1) / 2));  // warm-up weight B/K = 1/2 >= 1/4
    std::vector<T> phi{T(1)}, eta(1), bstar(1);
    const quench::StepOutputs<T> out{eta, bstar};
    auto take = [&](double g) { quench::step<T>(s, h, std::vector<T>{T(g)}, phi, out); };
    // t = 1..3 as untempered (the weights 1/2 are above the floor): gt = 1, var = 4,
    // eta = 1/16; B* = 1024/17 is reported as it is, but the next weight is
    // max(17/1024, 1/4) = 1/4.
    for (double g : {-4.0, 2.0, 2.0}) take(g);
    EXPECT_TRUE(is_exactly(eta[0], R(1) / 16));
    EXPECT_TRUE(is_rounded(bstar[0], T(T(1024) / T(17)), R(1024) / 17));
    EXPECT_TRUE(is_exactly(s.weight[0], R(1) / 4));
    // t = 4, ghat = 2, w = 1/4: gt = (3/4) 1 + (1/4) 2 = 5/4, st = (3/4) 5 + (1/4) 4 = 19/4,
    // var = 19/4 - 25/16 = 51/16. eta = (1/4)(25/16)/(51/16) = 25/204 (rounded twice:
    // (1/4)(25/16) = 25/64 is exact, then times the rounded 1/(51/16)).
    // B* = 16 (51/16) / (25/16 + 1/16) = 51/(13/8) = 408/13 (one rounding, the quotient),
    // reported before any limit; the raw weight (1/16)(26/16)/(51/16) = 13/408 is floored
    // to 1/4.
    take(2);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(5) / 4));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(19) / 4));
    EXPECT_TRUE(is_exactly(quench::running_variance(s, h, 0), R(51) / 16));
    EXPECT_TRUE(is_rounded(eta[0], T(T(0.390625) * T(T(1) / T(3.1875))), R(25) / 204));
    EXPECT_TRUE(is_rounded(bstar[0], T(T(51) / T(1.625)), R(408) / 13));
    EXPECT_TRUE(is_rounded(quench::batch_star(s, h, 0), T(T(51) / T(1.625)), R(408) / 13));
    EXPECT_TRUE(is_exactly(s.weight[0], R(1) / 4));
    // t = 5, ghat = -2, w = 1/4 again: gt = (3/4)(5/4) - 1/2 = 7/16, st = (3/4)(19/4) + 1
    // = 73/16 (with the untempered weight 13/408 neither would be dyadic).
    take(-2);
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(7) / 16));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(73) / 16));
    EXPECT_TRUE(is_exactly(s.weight[0], R(1) / 4));
}

TYPED_TEST(Tempering, MinWeightAppliesInWarmup) {
    using T = TypeParam;
    // min_weight = 3/4 above B/K = 1/2: the warm-up weight is 3/4 (literal: no max_weight).
    // t = 1, ghat = -4: gt = (3/4)(-4) = -3, st = (3/4) 16 = 12 (no bias correction);
    // t = 2, ghat = 2: gt = (1/4)(-3) + (3/4) 2 = 3/4, st = (1/4) 12 + (3/4) 4 = 6.
    // B* is reported as K = 2 (E17), before the floor.
    auto h = hand_example<T>();
    h.options.min_weight = T(0.75);
    quench::State<T> s(1, h);
    EXPECT_TRUE(is_exactly(s.weight[0], R(3) / 4));
    std::vector<T> phi{T(1)}, eta(1), bstar(1);
    quench::step<T>(s, h, std::vector<T>{T(-4)}, phi, {eta, bstar});
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(-3)));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(12)));
    EXPECT_TRUE(is_exactly(bstar[0], R(2)));
    EXPECT_TRUE(is_exactly(s.weight[0], R(3) / 4));
    quench::step<T>(s, h, std::vector<T>{T(2)}, phi, {eta, bstar});
    EXPECT_TRUE(is_exactly(quench::running_mean(s, 0), R(3) / 4));
    EXPECT_TRUE(is_exactly(quench::running_second_moment(s, 0), R(6)));
    EXPECT_TRUE(is_exactly(eta[0], R(0)));
}

TYPED_TEST(Tempering, FloorsHoldAtEveryStep) {
    using T = TypeParam;
    // The defaults of from_smoothness (B = 4, L = 1/2: eta_max = 1, max_weight = 1/2) with
    // eta_min = 1/8 and min_weight = 1/16, on a constant phase (var = 0: eta at the cap, the
    // weight at its limit) and then gradients +-1 around a small mean (gt ~ 0: the rate and
    // the weight fall to their floors). At every step after warm-up eta_min <= eta <=
    // eta_max and min_weight <= w <= max_weight (for intervals: the whole enclosure), and
    // each floor binds at some step.
    auto h = quench::Hyperparameters<T>::from_smoothness(T(4), T(0.5), 3);
    h.options.eta_min = T(0.125);
    h.options.min_weight = T(0.0625);
    const std::size_t d = 2;
    quench::State<T> s(d, h);
    std::vector<T> phi(d, T(0)), eta(d), bstar(d);
    int eta_floor_binds = 0, weight_floor_binds = 0;
    for (int t = 1; t <= 150; ++t) {
        std::vector<T> g(d);
        g[0] = T(t <= 20 ? 1.0 : (t % 2 ? 1.0 : -1.0) + 0.0625);
        g[1] = T(t <= 20 ? -0.5 : (t % 3 ? 0.75 : -1.25));
        quench::step<T>(s, h, g, phi, {eta, bstar});
        for (std::size_t i = 0; i < d; ++i) {
            const std::string where = "t = " + std::to_string(t) + ", i = " + std::to_string(i);
            if (t <= 3) {
                EXPECT_TRUE(is_exactly(eta[i], R(0))) << where;
                continue;
            }
            EXPECT_GE(quench::lower(eta[i]), quench::lower(*h.options.eta_min)) << where;
            EXPECT_LE(quench::upper(eta[i]), quench::upper(*h.options.eta_max)) << where;
            EXPECT_GE(quench::lower(s.weight[i]), quench::lower(*h.options.min_weight)) << where;
            EXPECT_LE(quench::upper(s.weight[i]), quench::upper(*h.options.max_weight)) << where;
            eta_floor_binds += quench::upper(eta[i]) <= quench::upper(*h.options.eta_min);
            weight_floor_binds += quench::upper(s.weight[i]) <= quench::upper(*h.options.min_weight);
        }
    }
    EXPECT_GT(eta_floor_binds, 0) << "the run never reaches the rate floor: the test shows nothing";
    EXPECT_GT(weight_floor_binds, 0) << "the run never reaches the weight floor";
}

TYPED_TEST(Tempering, InvalidValuesNameTheOption) {
    using T = TypeParam;
    using quench::invalid_hyperparameter;
    const auto good = quench::Hyperparameters<T>::from_smoothness(T(4), T(2), 3);  // eta_max 1/4
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> bad_values{0.0, -0.5, inf, -inf};
    if constexpr (!quench::is_interval_v<T>) bad_values.push_back(nan);  // no NaN interval exists
    for (double bad : bad_values) {
        auto h = good;
        h.options.eta_min = T(bad);
        expect_message<invalid_hyperparameter>([&] { h.validate(); }, "options.eta_min must be finite and > 0");
        h = good;
        h.options.min_weight = T(bad);
        expect_message<invalid_hyperparameter>([&] { h.validate(); }, "options.min_weight must be finite and > 0");
    }
    auto h = good;
    h.options.eta_min = T(0.5);  // above eta_max = 1/4
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "options.eta_min must be <= options.eta_max");
    h.options.eta_max.reset();  // no cap: any positive floor
    EXPECT_NO_THROW(h.validate());
    h = good;
    h.options.min_weight = T(1.5);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "options.min_weight must be <= 1");
    h.options.min_weight = T(0.75);  // above max_weight = 1/2
    expect_message<invalid_hyperparameter>([&] { h.validate(); },
                                           "options.min_weight must be <= options.max_weight");
    h.options.max_weight.reset();
    EXPECT_NO_THROW(h.validate());
    // step() validates first and leaves the state as it was.
    h = good;
    h.options.eta_min = T(-1);
    quench::State<T> s(1, good);
    std::vector<T> phi{T(1)};
    EXPECT_THROW(quench::step<T>(s, h, std::vector<T>{T(1)}, phi), invalid_hyperparameter);
    EXPECT_EQ(s.t, 0u);
}

TYPED_TEST(Tempering, LiteralAndDefaultsLeaveBothFloorsUnset) {
    using T = TypeParam;
    EXPECT_FALSE(quench::Options<T>::literal().eta_min.has_value());
    EXPECT_FALSE(quench::Options<T>::literal().min_weight.has_value());
    EXPECT_FALSE(quench::Options<T>{}.eta_min.has_value());
    EXPECT_FALSE(quench::Options<T>{}.min_weight.has_value());
    // A step without floors takes the untempered policy (the same instantiation as before
    // the options existed), one with a floor after warm-up the tempered one.
    auto h = quench::Hyperparameters<T>::from_smoothness(T(4), T(2), 3);
    EXPECT_FALSE(quench::detail::StepConstants<T>(h).policy(false, true).temper);
    h.options.min_weight = T(0.25);
    EXPECT_TRUE(quench::detail::StepConstants<T>(h).policy(false, true).temper);
    EXPECT_FALSE(quench::detail::StepConstants<T>(h).policy(true, true).temper);
}

namespace {
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

/// Two runs of the defaults on the same random gradients (d = 257: blocks and a tail of
/// the vectorised pass), the second with `temper` applied to its options; `check` sees
/// both after every step.
template <class T, class Temper, class Check>
void paired_runs(Temper&& temper, Check&& check) {
    auto plain_h = quench::Hyperparameters<T>::from_smoothness(T(8), T(3), 4);
    auto tempered_h = plain_h;
    temper(tempered_h.options);
    const std::size_t d = 257;
    quench::State<T> plain(d, plain_h), tempered(d, tempered_h);
    std::vector<T> phi_p(d, T(1)), phi_t(d, T(1)), eta_p(d), eta_t(d), star_p(d), star_t(d);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> exponent(-4, 4), unit(-1, 1);
    for (int t = 1; t <= 40; ++t) {
        std::vector<T> g(d);
        for (std::size_t i = 0; i < d; ++i) g[i] = T(i % 5 == 0 ? 0.5 : unit(rng) * std::pow(10.0, exponent(rng)));
        quench::step<T>(plain, plain_h, g, phi_p, {eta_p, star_p});
        quench::step<T>(tempered, tempered_h, g, phi_t, {eta_t, star_t});
        check(t, tempered_h, plain, tempered, phi_p, phi_t, eta_p, eta_t, star_p, star_t);
    }
}
}  // namespace

// eta_min alone changes only eta (to max(eta, eta_min), bit for bit) and phi: every average
// and weight is the untempered one's (the unset weight floor is -infinity: no bit changes).
template <class T>
void eta_min_alone_is_a_max() {
    int binds = 0;
    paired_runs<T>([](quench::Options<T>& o) { o.eta_min = T(T(*o.eta_max) / T(16)); },
                   [&](int t, const quench::Hyperparameters<T>& h, const quench::State<T>& p,
                       const quench::State<T>& q, auto&, auto&, auto& eta_p, auto& eta_t, auto& star_p,
                       auto& star_t) {
                       ASSERT_TRUE(same_bits(p.mean, q.mean)) << "t = " << t;
                       ASSERT_TRUE(same_bits(p.second, q.second)) << "t = " << t;
                       ASSERT_TRUE(same_bits(p.mass, q.mass)) << "t = " << t;
                       ASSERT_TRUE(same_bits(p.weight, q.weight)) << "t = " << t;
                       ASSERT_TRUE(same_bits(star_p, star_t)) << "t = " << t;
                       std::vector<T> floored = eta_p;
                       if (t > 4)
                           for (T& e : floored) {
                               binds += e < *h.options.eta_min;
                               e = quench::max(e, *h.options.eta_min);
                           }
                       ASSERT_TRUE(same_bits(floored, eta_t)) << "t = " << t;
                   });
    EXPECT_GT(binds, 0);
}
TEST(TemperingBits, EtaMinAloneIsAMaxOnTheUntemperedRateDouble) { eta_min_alone_is_a_max<double>(); }
TEST(TemperingBits, EtaMinAloneIsAMaxOnTheUntemperedRateFloat) { eta_min_alone_is_a_max<float>(); }

// Floors that never bind (below every rate and weight of the run) give the untempered run
// bit for bit: the tempered pass is the untempered one plus exact maxima.
template <class T>
void non_binding_floors_change_no_bit() {
    paired_runs<T>(
        [](quench::Options<T>& o) {
            o.eta_min = std::numeric_limits<T>::denorm_min();
            o.min_weight = std::numeric_limits<T>::denorm_min();
        },
        [](int t, const quench::Hyperparameters<T>&, const quench::State<T>& p, const quench::State<T>& q,
           auto& phi_p, auto& phi_t, auto& eta_p, auto& eta_t, auto& star_p, auto& star_t) {
            ASSERT_TRUE(same_bits(p.mean, q.mean)) << "t = " << t;
            ASSERT_TRUE(same_bits(p.second, q.second)) << "t = " << t;
            ASSERT_TRUE(same_bits(p.mass, q.mass)) << "t = " << t;
            ASSERT_TRUE(same_bits(p.weight, q.weight)) << "t = " << t;
            ASSERT_TRUE(same_bits(phi_p, phi_t)) << "t = " << t;
            ASSERT_TRUE(same_bits(eta_p, eta_t)) << "t = " << t;
            ASSERT_TRUE(same_bits(star_p, star_t)) << "t = " << t;
        });
}
TEST(TemperingBits, NonBindingFloorsChangeNoBitDouble) { non_binding_floors_change_no_bit<double>(); }
TEST(TemperingBits, NonBindingFloorsChangeNoBitFloat) { non_binding_floors_change_no_bit<float>(); }
