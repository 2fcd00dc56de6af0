// random_deviates.hpp - platform-independent random numbers for the examples: the
// standard library's distributions are implementation-defined, so the same seed could give
// different reports on different systems. These are defined by their formulas.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace quench::examples {

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    /// Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    /// Uniform integer in [0, n) (n > 0), by rejection (no modulo bias).
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t x;
        do x = engine_(); while (x >= limit);
        return x % n;
    }
    /// +1 or -1 with probability 1/2 each.
    double sign() { return (engine_() >> 63) ? 1.0 : -1.0; }
    /// Standard normal by Box-Muller.
    double normal() {
        if (has_spare_) { has_spare_ = false; return spare_; }
        double u1 = 0;
        while (u1 == 0) u1 = uniform();
        const double u2 = uniform();
        const double radius = std::sqrt(-2 * std::log(u1));
        constexpr double two_pi = 6.283185307179586;
        spare_ = radius * std::sin(two_pi * u2);
        has_spare_ = true;
        return radius * std::cos(two_pi * u2);
    }
    std::mt19937_64& engine() { return engine_; }

private:
    std::mt19937_64 engine_;
    double spare_ = 0;
    bool has_spare_ = false;
};

}  // namespace quench::examples
