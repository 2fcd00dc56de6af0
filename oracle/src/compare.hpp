// compare.hpp - `quench-oracle compare`: runs the reference for a trace (MPFI enclosure at
// the working precision, and the core's double-interval enclosure for --bound core-double),
// reads a candidate trajectory in lockstep, and reports per quantity the worst absolute,
// relative and ulp error (the distance to the exact enclosure) with the step and
// coordinate where each happened, and the verdict of tolerance.hpp.
#pragma once

#include "scalar_types.hpp"
#include "tolerance.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace quench::oracle {

struct CompareOptions {
    std::string trace;
    std::optional<std::string> gradients;
    std::optional<std::string> candidate_jsonl;
    std::vector<std::pair<Quantity, std::string>> candidate_npy;
    Precision precision{40};
    EnclosureMethod enclosure = EnclosureMethod::centred;  ///< --enclosure
    Tolerance tolerance;
    std::optional<std::string> report_json;  ///< --report: the report as JSON (atomic)
};

/// Returns exit_ok (agree), exit_disagree, or exit_no_verdict; throws bad_input.
int compare_command(const CompareOptions& options);

}  // namespace quench::oracle
