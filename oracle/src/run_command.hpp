// run_command.hpp - `quench-oracle run`: the reference trajectory of a trace, streamed to a
// JSON Lines file or to one .npy file per quantity (two per quantity with --enclose).
#pragma once

#include "scalar_types.hpp"

#include <optional>
#include <string>

namespace quench::oracle {

struct RunOptions {
    std::string trace;
    std::optional<std::string> gradients;  ///< --gradients: overrides the header's
    Precision precision;
    bool enclose = false;
    EnclosureMethod enclosure = EnclosureMethod::centred;  ///< --enclosure (N digits)
    bool widths = false;                   ///< --widths: report the enclosure widths per quantity
    std::optional<std::string> jsonl;      ///< -o: JSON Lines output ("-": stdout)
    std::optional<std::string> npy_dir;    ///< --npy-dir: one .npy per quantity
};

/// Runs the trace; returns the exit status. Throws bad_input on bad input.
int run_command(const RunOptions& options);

// One instantiation per working type, each in its own translation unit (compile time).
int run_double(const RunOptions&);
int run_interval(const RunOptions&);
int run_mpfr(const RunOptions&);
int run_mpfi(const RunOptions&);

}  // namespace quench::oracle
