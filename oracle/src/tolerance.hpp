// tolerance.hpp - what `compare` accepts: the one place that decides how far a candidate
// value may lie from the exact value (allowed_region). Today it knows two bounds:
//   --ulps N            the exact enclosure widened by N ulps (of double, or of float with
//                       --ulp-type float) on each side;
//   --bound core-double the rigorous double-interval enclosure of the core's own expression
//                       order (quench::rigorous_interval: round to nearest, then one ulp
//                       outward). By monotonicity of rounding, a double implementation that
//                       evaluates exactly the core's expressions (quench_sgd.hpp, top
//                       comment) in round-to-nearest lands inside it: an a-posteriori error
//                       bound for this very trace, not a tuned tolerance. Other expression
//                       orders are not covered by it.
// When the certified a-priori double bounds (proofs/rounding/) land, they are one more case
// in allowed_region().
#pragma once

#include "reference_run.hpp"
#include "scalar_types.hpp"

#include <optional>
#include <string>

namespace quench::oracle {

enum class UlpType { float64, float32 };

struct Tolerance {
    std::optional<double> ulps;   ///< --ulps N
    bool core_double = false;     ///< --bound core-double
    UlpType ulp_type = UlpType::float64;
    bool has_verdict() const { return ulps.has_value() || core_double; }
    std::string describe() const;
};

/// The allowed interval [lo, hi] for a candidate value of quantity q (every quantity is
/// treated alike today; q is there for the certified per-quantity bounds).
struct Region {
    mp_real lo, hi;
};
void allowed_region(Quantity q, const mp_interval& exact, const rigorous_interval* core_double,
                    const Tolerance& t, Region& out);

/// The spacing of the candidate's floating-point type at |x| (its ulp): 2^(e - p) for
/// 2^(e-1) <= |x| < 2^e, p = 53 (double) or 24 (float), and the smallest subnormal below
/// the normal range.
void ulp_of(const mp_real& x, UlpType type, mp_real& out);

}  // namespace quench::oracle
