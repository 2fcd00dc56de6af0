// enclosure_width.hpp - how wide an exact enclosure is, in ulps of the candidate's type at
// its midpoint: what decides whether a whole-trajectory verdict can be given (compare.cpp's
// "loose" count) and what `run --enclose --widths` reports per quantity.
#pragma once

#include "reference_run.hpp"
#include "scalar_types.hpp"
#include "tolerance.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace quench::oracle {

/// Widths with preallocated MPFR temporaries.
class EnclosureWidth {
public:
    /// An enclosure narrower than 2^(32 - p) (p: its precision in bits) counts as tight even
    /// when it straddles 0: exact zeros (a warm-up eta, a constant coordinate's var) are
    /// enclosed by intervals of about 2^-p around 0, whose width in ulps of 0 is meaningless.
    bool negligible(const mp_interval& exact);
    /// The width in ulps of `type` at the midpoint, rounded up; 0 for a negligible()
    /// enclosure of 0.
    double in_ulps(const mp_interval& exact, UlpType type);
    /// Wider than one ulp (of `type`) of its midpoint: it cannot tell a correctly rounded
    /// candidate from a wrong one.
    bool loose(const mp_interval& exact, UlpType type);

private:
    mp_real width_, mid_, ulp_, ratio_;
};

/// `run --enclose --widths`: per quantity, the first step at which some coordinate's
/// enclosure is wider than one double ulp of its midpoint, and the widest enclosures.
class WidthReport {
public:
    template <class Run>
    void observe(const Run& run) {
        for (Quantity q : all_quantities) {
            const auto& v = run.values(q);
            for (std::size_t i = 0; i < v.size(); ++i) offer(q, run.steps(), i, v[i]);
        }
        last_step_ = run.steps();
    }
    /// The table (one line per quantity) for the method and precision named.
    std::string text(const std::string& method, unsigned digits10, std::size_t dimension) const;

private:
    struct Widest {
        double ulps = 0;
        std::uint64_t step = 0;
        std::size_t coordinate = 0;
    };
    struct PerQuantity {
        std::optional<std::pair<std::uint64_t, std::size_t>> first_loose;
        Widest widest, widest_last;
    };
    void offer(Quantity q, std::uint64_t step, std::size_t i, const mp_interval& x);

    EnclosureWidth width_;
    std::array<PerQuantity, quantity_count> q_{};
    std::uint64_t last_step_ = 0;
};

}  // namespace quench::oracle
