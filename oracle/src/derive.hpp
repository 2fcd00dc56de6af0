// derive.hpp - `quench-oracle derive`: the closed forms of docs/spec.md evaluated in rigorous
// interval arithmetic (MPFI at N digits, or quench::rigorous_interval for "double") for the
// inputs given, each printed as an enclosure [lower, upper]. Every formula whose inputs are
// all given is evaluated; the formulas are the core's (quench::theory).
#pragma once

#include "scalar_types.hpp"

#include <map>
#include <string>

namespace quench::oracle {

struct DeriveOptions {
    Precision precision{40};
    std::map<std::string, std::string> inputs;  ///< name -> decimal text (sigma, g, L, B, ...)
    bool json = false;
};

/// The input names derive knows, with their meaning (for --help).
const std::map<std::string, std::string>& derive_input_names();

int derive_command(const DeriveOptions& options);

}  // namespace quench::oracle
