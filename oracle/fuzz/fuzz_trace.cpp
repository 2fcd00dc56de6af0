// libFuzzer target: the trace parser (JSON Lines header + gradient lines), converting every
// value at double and at 20-digit MPFI as `run` does. Any input must end in success or
// bad_input, never a crash, a hang or another exception.
#include "oracle_error.hpp"
#include "trace_convert.hpp"
#include "trace_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace quench::oracle;
    set_working_precision(Precision{20});
    try {
        TraceReader r(std::make_unique<std::istringstream>(std::string(reinterpret_cast<const char*>(data), size)),
                      "fuzz", /*allow_files=*/false);
        (void)make_hyperparameters<double>(r.header());
        (void)make_hyperparameters<mp_interval>(r.header());
        (void)make_phi0<mp_interval>(r.header());
        GradientRow row;
        std::vector<mp_interval> g;
        while (r.next(row)) convert_row(row, g);
    } catch (const bad_input&) {
    }
    return 0;
}
