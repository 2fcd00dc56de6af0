// Whole trajectories of the algorithm (1000 steps, default options) in double,
// mpfr_float_100, the rigorous interval<double> and mpfi_float_50, on one fixed sequence
// of double gradients. Verdicts are rigorous, no tolerance is chosen:
//  - the interval runs enclose the exact real-arithmetic trajectory, so the mpfr_float_100
//    run (rounding errors ~1e-100) must lie inside both enclosures (Arb-style containment);
//  - the double run must lie inside the interval<double> enclosure: each interval operation
//    returns [down(RN(f(lower corner))), up(RN(f(upper corner)))], and round-to-nearest is
//    monotone, so RN(f(a, b)) for a, b inside the input enclosures stays inside; by
//    induction over the (identical) expression graph the whole double run does.
// Together they bound |double - exact| by the enclosure's width; the observed error in
// ulps is reported (RecordProperty), to be compared with the certified bounds.
#include "scalar_types.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <vector>

using quench_test::mpfr_float_100;
using quench_test::mpfi_float_50;
using quench::rigorous_interval;

namespace {

constexpr std::size_t kDim = 4;
constexpr int kSteps = 1000;
constexpr std::array<const char*, 5> kQuantity{"gt", "var", "Bstar", "eta", "phi"};

/// Gradients ghat[t][i] = mean_i + sd_i * u, u uniform in [-1, 1] from a fixed engine:
/// coordinates with signal above, near and below the noise, so B* both shrinks and grows.
std::vector<std::array<double, kDim>> gradient_sequence() {
    std::mt19937_64 engine(20261128);
    const std::array<double, kDim> mean{1.0, 0.1, 0.01, -0.5}, sd{0.05, 0.3, 1.0, 0.5};
    std::vector<std::array<double, kDim>> g(kSteps);
    for (auto& row : g)
        for (std::size_t i = 0; i < kDim; ++i)
            row[i] = mean[i] + sd[i] * (static_cast<double>(engine() >> 11) * 0x1.0p-52 - 1.0);
    return g;
}

/// trajectory[t][q][i]: quantity q of coordinate i after step t + 1.
template <class T>
using Trajectory = std::vector<std::array<std::array<T, kDim>, kQuantity.size()>>;

template <class T>
Trajectory<T> run(const std::vector<std::array<double, kDim>>& gradients) {
    const auto h = quench::Hyperparameters<T>::from_smoothness(T(8), T(1), 20, T(1e-12));
    quench::State<T> s(kDim, h);
    std::vector<T> phi(kDim, T(1)), eta(kDim), bstar(kDim), g(kDim);
    Trajectory<T> out(gradients.size());
    for (std::size_t t = 0; t < gradients.size(); ++t) {
        for (std::size_t i = 0; i < kDim; ++i) g[i] = T(gradients[t][i]);
        quench::step<T>(s, h, g, phi, {eta, bstar});
        for (std::size_t i = 0; i < kDim; ++i) {
            out[t][0][i] = quench::running_mean(s, i);
            out[t][1][i] = quench::running_variance(s, h, i);
            out[t][2][i] = bstar[i];
            out[t][3][i] = eta[i];
            out[t][4][i] = phi[i];
        }
    }
    return out;
}

class Trajectories : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const auto g = gradient_sequence();
        dbl = new Trajectory<double>(run<double>(g));
        ref = new Trajectory<mpfr_float_100>(run<mpfr_float_100>(g));
        ivl = new Trajectory<rigorous_interval>(run<rigorous_interval>(g));
        mpfi = new Trajectory<mpfi_float_50>(run<mpfi_float_50>(g));
    }
    static void TearDownTestSuite() { delete dbl; delete ref; delete ivl; delete mpfi; }
    static inline Trajectory<double>* dbl = nullptr;
    static inline Trajectory<mpfr_float_100>* ref = nullptr;
    static inline Trajectory<rigorous_interval>* ivl = nullptr;
    static inline Trajectory<mpfi_float_50>* mpfi = nullptr;

    /// Counts the (step, quantity, coordinate) triples where `inside` fails, printing the first.
    template <class Enclosure, class Value>
    static int count_outside(const Trajectory<Enclosure>& e, const Trajectory<Value>& v, const char* what) {
        int outside = 0;
        for (std::size_t t = 0; t < e.size(); ++t)
            for (std::size_t q = 0; q < kQuantity.size(); ++q)
                for (std::size_t i = 0; i < kDim; ++i)
                    if (!quench::contains(e[t][q][i], mpfr_float_100(v[t][q][i]))) {
                        if (outside++ == 0)
                            ADD_FAILURE() << what << ": step " << t + 1 << ", " << kQuantity[q] << "[" << i
                                          << "] = " << quench_test::show(v[t][q][i]) << " outside "
                                          << quench_test::show(e[t][q][i]);
                    }
        return outside;
    }
};

TEST_F(Trajectories, MpfrReferenceLiesInsideTheIntervalDoubleEnclosure) {
    EXPECT_EQ(count_outside(*ivl, *ref, "mpfr_float_100 in interval<double>"), 0);
}

TEST_F(Trajectories, MpfrReferenceLiesInsideTheMpfiEnclosure) {
    EXPECT_EQ(count_outside(*mpfi, *ref, "mpfr_float_100 in mpfi_float_50"), 0);
}

TEST_F(Trajectories, DoubleRunLiesInsideTheIntervalDoubleEnclosure) {
    EXPECT_EQ(count_outside(*ivl, *dbl, "double in interval<double>"), 0);
}

TEST_F(Trajectories, DoubleAgreesWithMpfr100WithinTheEnclosureWidth) {
    // Both runs lie in the interval<double> enclosure (tests above), so their distance is at
    // most its width: the rigorous bound. Report the observed error in ulps of double and
    // the enclosure's width in ulps, per quantity.
    for (std::size_t q = 0; q < kQuantity.size(); ++q) {
        double worst_ulps = 0, worst_width_ulps = 0;
        for (std::size_t t = 0; t < dbl->size(); ++t)
            for (std::size_t i = 0; i < kDim; ++i) {
                const double d = (*dbl)[t][q][i];
                const mpfr_float_100 exact = (*ref)[t][q][i];
                const double ulp = d == 0 ? std::numeric_limits<double>::denorm_min()
                                          : std::nextafter(std::fabs(d), HUGE_VAL) - std::fabs(d);
                const double err = static_cast<double>(abs(mpfr_float_100(d) - exact) / ulp);
                const double width = quench::width((*ivl)[t][q][i]) / ulp;
                EXPECT_LE(mpfr_float_100(abs(mpfr_float_100(d) - exact)),
                          mpfr_float_100(quench::width((*ivl)[t][q][i])));
                worst_ulps = std::max(worst_ulps, err);
                worst_width_ulps = std::max(worst_width_ulps, width);
            }
        RecordProperty(std::string("worst_ulps_") + kQuantity[q], std::to_string(worst_ulps));
        std::cout << "double vs mpfr_float_100 over " << kSteps << " steps, " << kQuantity[q]
                  << ": worst error " << worst_ulps << " ulps; widest interval<double> enclosure "
                  << worst_width_ulps << " ulps\n";
    }
}

TEST_F(Trajectories, TheRunQuenches) {
    // The trajectory is not trivial: after warm-up the noisiest coordinate's rate falls
    // below the cap and its B* exceeds B (the regime the test is meant to cover).
    const auto& last = dbl->back();
    EXPECT_LT(last[3][2], 0.5);      // eta of the noisy coordinate is below eta_max = 1/2
    EXPECT_GT(last[2][2], 8.0);      // its B* is above B = 8
}

}  // namespace
