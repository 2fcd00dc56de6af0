// oracle_error.hpp - the oracle's error type and exit statuses (documented in README.md).
#pragma once

#include "support/bad_input.hpp"

namespace quench::oracle {

/// Exit statuses of quench-oracle.
enum exit_status : int {
    exit_ok = 0,          ///< run/derive succeeded; compare: the candidate agrees.
    exit_disagree = 1,    ///< compare: some candidate value lies outside its allowed region.
    exit_bad_input = 2,   ///< malformed or invalid input, or a reference that is undefined.
    exit_no_verdict = 3,  ///< compare without a tolerance: errors reported, no verdict.
};

/// Bad input: the message names the file, line (or .npy row) and field. The one error type
/// of the oracle and of the output files it writes (support/output_files.hpp).
using bad_input = tools::bad_input;

}  // namespace quench::oracle
