#include "trajectory_writer.hpp"

#include <cfloat>

namespace quench::oracle {

std::string trajectory_header_line(std::size_t dimension, const std::string& precision, bool enclose) {
    return "{\"format\":\"quench-trajectory\",\"version\":1,\"dimension\":" + std::to_string(dimension) +
           ",\"precision\":\"" + precision + "\",\"enclose\":" + (enclose ? "true" : "false") +
           ",\"quantities\":[\"gt\",\"st\",\"var\",\"Bstar\",\"eta\",\"phi\"]}\n";
}

std::string unreportable_reason(Quantity q, bool point_double, bool interval) {
    if (interval)
        return "the enclosure became unbounded (interval arithmetic forgets that gt, st and the weight are "
               "correlated, so enclosures widen with the number of steps; use a higher --precision)";
    std::string r = "the value exceeds the largest double (" + message_number(DBL_MAX) + ")";
    if (q == Quantity::Bstar)
        r += point_double ? ": Bstar = (lambda_B s D)/(m^2 + eps c^2) (E17) overflows in lambda_B s D once "
                            "|var| > DBL_MAX/(lambda_B s) (gradients near the accepted limit |g| <= "
                            "sqrt(DBL_MAX)/2 give var up to DBL_MAX/4); a higher --precision computes it"
                          : ": var/(gt^2 + eps) is that large when gt^2 + eps is small beside var";
    return r;
}

}  // namespace quench::oracle
