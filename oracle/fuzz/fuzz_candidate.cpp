// libFuzzer target: the candidate-trajectory parser (JSON Lines, point values).
#include "candidate_reader.hpp"
#include "oracle_error.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace quench::oracle;
    try {
        CandidateReader r(std::make_unique<std::istringstream>(std::string(reinterpret_cast<const char*>(data), size)),
                          "fuzz");
        CandidateRow row;
        while (r.next(row)) {
        }
    } catch (const bad_input&) {
    }
    return 0;
}
