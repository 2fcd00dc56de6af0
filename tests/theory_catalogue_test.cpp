// The catalogue of closed forms (quench/theory_catalogue.hpp) against theory.hpp itself:
// every function of quench::theory that takes inputs is listed once, under its own name,
// with its parameters in the order of its declaration. The header is read as text (the
// declarations are one line each, `T name(const T& a, ...)`), so that a closed form added
// to theory.hpp and not to the catalogue fails here, before derive and the properties,
// which iterate the catalogue, could miss it.
#include "quench/theory_catalogue.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// The identifiers that follow each "const T& " in a parameter list, in order.
std::vector<std::string> parameter_names(std::string_view list) {
    std::vector<std::string> names;
    constexpr std::string_view marker = "const T& ";
    for (auto at = list.find(marker); at != std::string_view::npos; at = list.find(marker, at)) {
        at += marker.size();
        const auto end = list.find_first_of(",)", at);
        names.emplace_back(list.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    }
    return names;
}

/// The functions of quench::theory outside namespace detail, with their parameter names.
/// Plain string scanning, not <regex>: GCC 12 at -O1 with the sanitizers warns
/// (-Wmaybe-uninitialized, an error under -Werror) inside libstdc++'s regex compiler.
std::map<std::string, std::vector<std::string>> declared_in_theory_header() {
    std::ifstream in(QUENCH_THEORY_HEADER);
    if (!in) throw std::runtime_error("cannot read " + std::string(QUENCH_THEORY_HEADER));
    std::map<std::string, std::vector<std::string>> functions;
    bool in_detail = false;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("namespace detail")) in_detail = true;
        if (line.starts_with("}  // namespace detail")) in_detail = false;
        if (in_detail || !line.starts_with("T ")) continue;
        const auto open = line.find('('), close = line.find(')');
        if (open == std::string::npos || close == std::string::npos || close < open) continue;
        const std::string name = line.substr(2, open - 2);
        if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
            continue;
        functions[name] = parameter_names(std::string_view(line).substr(open + 1, close - open));
    }
    return functions;
}

/// The catalogue's one name per quantity for the header's names of the gradient estimate.
std::string catalogue_name_of(const std::string& header_name) {
    if (header_name == "ghat") return "g";
    if (header_name == "norm_ghat") return "norm";
    return header_name;
}

}  // namespace

TEST(TheoryCatalogue, ListsEveryClosedFormOfTheHeaderWithItsParameters) {
    const auto declared = declared_in_theory_header();
    ASSERT_GE(declared.size(), quench::theory::catalogue_size);  // the scan found the declarations
    std::map<std::string, std::vector<std::string>> listed;
    quench::theory::visit_theory([&](const auto& entry) {
        const std::string name(entry.name);
        EXPECT_FALSE(listed.count(name)) << name << " is listed twice";
        for (std::string_view p : entry.parameters) listed[name].emplace_back(p);
        EXPECT_FALSE(entry.equation.empty()) << name;
    });
    for (const auto& [name, parameters] : declared) {
        if (parameters.empty()) continue;  // a constant (lambda_batch_from_theory), not a closed form of inputs
        ASSERT_TRUE(listed.count(name)) << "quench::theory::" << name << " is not in theory_catalogue.hpp";
        std::vector<std::string> expected;
        for (const std::string& p : parameters) expected.push_back(catalogue_name_of(p));
        EXPECT_EQ(listed.at(name), expected) << name << ": the catalogue's parameters in the declaration's order";
    }
    for (const auto& [name, parameters] : listed)
        EXPECT_TRUE(declared.count(name)) << name << " is listed but theory.hpp declares no such function";
}
