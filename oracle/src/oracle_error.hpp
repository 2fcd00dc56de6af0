// oracle_error.hpp - the oracle's error type and exit statuses (documented in README.md).
#pragma once

#include <stdexcept>
#include <string>

namespace quench::oracle {

/// Exit statuses of quench-oracle.
enum exit_status : int {
    exit_ok = 0,          ///< run/derive succeeded; compare: the candidate agrees.
    exit_disagree = 1,    ///< compare: some candidate value lies outside its allowed region.
    exit_bad_input = 2,   ///< malformed or invalid input, or a reference that is undefined.
    exit_no_verdict = 3,  ///< compare without a tolerance: errors reported, no verdict.
};

/// Bad input: the message names the file, line (or .npy row) and field.
class bad_input : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace quench::oracle
