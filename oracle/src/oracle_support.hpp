// oracle_support.hpp - the oracle's settings of the tools' shared parts (tools/support/): its
// output files' owner (temporaries .quench-oracle-XXXXXX; a target that is not a regular file
// is refused with the oracle's way to discard an output) and its progress line over steps.
#pragma once

#include "support/output_files.hpp"
#include "support/progress.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace quench::oracle {

inline constexpr tools::OutputOwner oracle_outputs{
    "quench-oracle", "to discard one, write it to standard output with -o - and redirect that"};

/// A progress line over the steps of a trace (`total`: its step count, when the header says).
/// The clock is read every 1024 steps: the steps are the hot loop.
inline tools::Progress step_progress(std::optional<std::uint64_t> total) {
    return tools::Progress(std::string(oracle_outputs.program), "step", total, 1024);
}

}  // namespace quench::oracle
