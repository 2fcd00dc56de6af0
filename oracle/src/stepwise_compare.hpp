// stepwise_compare.hpp - the stepwise (shadowing) verdict of `quench-oracle compare`, its
// default: every step of the candidate is recomputed from the candidate's own recorded state
// of the step before and the trace's gradient, and each recorded quantity must lie in the
// admissible region of the precision model (stepwise_model.hpp; oracle/README.md,
// "Stepwise verdict"). Streams: memory is O(dimension).
#pragma once

#include "reference_run.hpp"
#include "stepwise_model.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace quench::oracle {

struct StepwiseOptions {
    std::string trace;
    std::optional<std::string> gradients;
    std::optional<std::string> candidate_jsonl;
    std::vector<std::pair<Quantity, std::string>> candidate_npy;
    std::optional<stepwise::CandidatePrecision> precision;  ///< default: from the .npy dtype
    std::optional<std::string> report_json;
};

/// Returns exit_ok, exit_disagree or exit_no_verdict; throws bad_input (a missing quantity
/// is bad input naming it).
int stepwise_compare_command(const StepwiseOptions& options);

}  // namespace quench::oracle
