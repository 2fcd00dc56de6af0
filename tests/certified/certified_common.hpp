// Shared pieces of the certified-bound tests (issue 5): random doubles inside a bound's
// hypotheses, the certified expressions transcribed literally (the text of the Gappa
// scripts in proofs/rounding/, written once more by hand, independent of the core), and a
// tracker of the worst observed error as a fraction of its certified bound.
#pragma once

#include "quench/certified_bounds.hpp"
#include "quench/quench.hpp"

#include <boost/multiprecision/mpfr.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

// The bounds assume double arithmetic evaluated in double (no x87 excess precision).
static_assert(FLT_EVAL_METHOD == 0, "the certified bounds assume FLT_EVAL_METHOD == 0");

namespace certified_test {

using quench::certified::Range;
using exact_t = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<100>>;

/// Samples per check; smaller under ASan+UBSan (still thousands).
#ifdef QUENCH_CERTIFIED_SANITIZE
inline constexpr int samples = 4000;
#else
inline constexpr int samples = 100000;
#endif

/// The oracle's own error: every exact value is at most ~20 mpfr operations at 333 bits,
/// so its relative error is below 2^-320; bounds are compared with this much added (in
/// units of the bound's scale), never with a tuned tolerance.
inline const exact_t oracle_error = exact_t(std::ldexp(1.0, -320));

/// Bitwise equality (distinguishes -0 from +0 and compares NaN payloads).
inline bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

/// Random doubles: magnitudes log-uniform in a Range (random 53-bit mantissa), random signs.
class Sampler {
public:
    explicit Sampler(std::uint64_t seed) : rng_(seed) {}
    double magnitude(Range r) {
        int lo = std::ilogb(r.lo), hi = std::ilogb(r.hi);
        for (;;) {
            const int e = std::uniform_int_distribution<int>(lo, hi)(rng_);
            const double x = std::ldexp(std::uniform_real_distribution<double>(1.0, 2.0)(rng_), e);
            if (r.contains(x)) return x;
        }
    }
    double signed_value(Range r) { return coin() ? magnitude(r) : -magnitude(r); }
    double uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng_); }
    bool coin() { return std::bernoulli_distribution(0.5)(rng_); }
    std::mt19937_64& engine() { return rng_; }

private:
    std::mt19937_64 rng_;
};

/// The worst observed |error| / bound of one certified bound, printed at the end of a test.
class WorstRatio {
public:
    explicit WorstRatio(std::string name) : name_(std::move(name)) {}
    /// Checks |computed - exact| <= bound (bound already scaled) and records the ratio.
    void check(double computed, const exact_t& exact, const exact_t& bound) {
        const exact_t err = abs(exact_t(computed) - exact);
        const exact_t allowed = bound + oracle_error * (abs(exact) + bound);
        ++count_;
        if (!(err <= allowed)) {
            ++failures_;
            if (failures_ <= 3)
                ADD_FAILURE() << name_ << ": computed " << computed << " exact "
                              << exact.str(25) << " error " << err.str(6) << " > bound "
                              << bound.str(6);
        }
        if (bound > 0) worst_ = std::max(worst_, static_cast<double>(err / bound));
    }
    double worst() const { return worst_; }
    ~WorstRatio() {
        std::printf("[certified] %-44s worst observed error / certified bound = %.4f (%ld samples)\n",
                    name_.c_str(), worst_, count_);
        std::fflush(stdout);
    }

private:
    std::string name_;
    double worst_ = 0;
    long count_ = 0;
    long failures_ = 0;
};

// ---- Literal transcriptions of the certified expressions (proofs/rounding/*.g) -----------

/// The knobs of one coordinate update: the StepConstants fields that the arithmetic reads.
struct Knobs {
    double rate_factor, weight_factor, batch_factor, epsilon, warm_weight;
    bool clamp_variance, clamp_weight;
    bool has_max_weight;
    double max_weight;
    bool has_eta_max;
    double eta_max;
};

struct Literal {
    double mass, mean, second, scaled_variance, eta, weight, batch_star;
};

/// docs/spec.md steps 1-6 for one coordinate after the warm-up, as the .g files state them.
inline Literal literal_update(const Knobs& k, bool bias, double g, double m, double v, double c,
                              double w) {
    Literal r{};
    const double keep = 1 - w;                           // step_mass.g, step_*_term.g
    r.mass = bias ? keep * c + w : 1;                    // step_mass.g
    r.mean = keep * m + w * g;                           // step_mean_*_term.g
    r.second = keep * v + w * (g * g);                   // step_second.g
    const double m2 = r.mean * r.mean;                   // step_variance_m2_term.g
    double D = bias ? r.mass * r.second - m2 : r.second - m2;  // step_variance_cv_term.g
    if (k.clamp_variance) D = D < 0 ? 0 : D;             // X11 max(D, 0)
    r.scaled_variance = D;
    const double Dd = k.clamp_variance ? (D < std::numeric_limits<double>::min()
                                              ? std::numeric_limits<double>::min() : D)
                                       : D;
    const double inverse = 1 / Dd;
    double eta = (k.rate_factor * m2) * inverse;         // step_rate.g
    if (k.has_eta_max) eta = k.eta_max < eta ? k.eta_max : eta;
    r.eta = eta;
    const double c2 = bias ? r.mass * r.mass : 1;
    double wn = (k.weight_factor * (m2 + k.epsilon * c2)) * inverse;  // step_weight.g
    if (k.clamp_weight) wn = 1 < wn ? 1 : wn;
    if (k.has_max_weight) wn = k.max_weight < wn ? k.max_weight : wn;
    r.weight = wn;
    r.batch_star = (k.batch_factor * D) / (m2 + k.epsilon * c2);  // step_batch_star.g
    return r;
}

/// E20, step_parameter_term.g.
inline double literal_parameter(double phi, double eta, double g) { return phi - eta * g; }

}  // namespace certified_test
