// derive.hpp - `quench-oracle derive`: the closed forms of docs/spec.md evaluated in rigorous
// interval arithmetic (MPFI at N digits, or quench::rigorous_interval for "double") for the
// inputs given, each printed as an enclosure [lower, upper]. Every row whose inputs are all
// given is evaluated; each row is a closed form of the core's catalogue
// (quench/theory_catalogue.hpp), and every closed form of it is some row's.
#pragma once

#include "scalar_types.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quench::oracle {

struct DeriveOptions {
    Precision precision{40};
    std::map<std::string, std::string> inputs;  ///< name -> decimal text (sigma, g, L, B, ...)
    bool json = false;
};

/// A row of derive's output: the closed form of the catalogue called `closed_form`, printed
/// as `label`. Each parameter is read from the input of its name, or from the source that
/// `bind` gives it: another input, or an earlier row's label (E3's eta_1 takes E12's values).
struct DeriveRow {
    std::string_view label;
    std::string_view closed_form;
    std::vector<std::pair<std::string_view, std::string_view>> bind;  ///< parameter -> source
};

/// The rows, in the order of the output.
const std::vector<DeriveRow>& derive_rows();

/// The input names derive knows, with their meaning (for --help).
const std::map<std::string, std::string>& derive_input_names();

int derive_command(const DeriveOptions& options);

}  // namespace quench::oracle
