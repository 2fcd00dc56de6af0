// libFuzzer target: the .npy reader (header and rows), as 1-D and as 2-D arrays.
#include "npy.hpp"
#include "oracle_error.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace quench::oracle;
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    for (unsigned ndim : {1u, 2u}) {
        try {
            NpyRowReader r(std::make_unique<std::istringstream>(bytes), size, "fuzz.npy", ndim);
            std::vector<double> row;
            while (r.next(row)) {
            }
        } catch (const bad_input&) {
        }
    }
    return 0;
}
