#include "trajectory_writer.hpp"

namespace quench::oracle {

std::string trajectory_header_line(std::size_t dimension, const std::string& precision, bool enclose) {
    return "{\"format\":\"quench-trajectory\",\"version\":1,\"dimension\":" + std::to_string(dimension) +
           ",\"precision\":\"" + precision + "\",\"enclose\":" + (enclose ? "true" : "false") +
           ",\"quantities\":[\"gt\",\"st\",\"var\",\"Bstar\",\"eta\",\"phi\"]}\n";
}

}  // namespace quench::oracle
