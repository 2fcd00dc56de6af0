// `quench-oracle derive` reaches every closed form of the core's catalogue
// (quench/theory_catalogue.hpp): each is the formula of a row of derive, each row's
// bindings name parameters its closed form has, and with every input given every row is
// printed. A closed form added to the catalogue without a row fails here.
#include "derive.hpp"

#include "quench/theory_catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

using namespace quench::oracle;

TEST(Derive, EveryClosedFormOfTheCatalogueIsARow) {
    std::set<std::string_view> rows;
    for (const DeriveRow& row : derive_rows()) rows.insert(row.closed_form);
    quench::theory::visit_theory([&](const auto& entry) {
        EXPECT_TRUE(rows.count(entry.name)) << "no derive row evaluates quench::theory::" << entry.name;
    });
}

TEST(Derive, EveryRowNamesAClosedFormAndItsParameters) {
    std::set<std::string_view> labels;
    for (const DeriveRow& row : derive_rows()) {
        EXPECT_TRUE(labels.insert(row.label).second) << row.label << " is a label twice";
        bool found = false;
        quench::theory::visit_theory([&](const auto& entry) {
            if (entry.name != row.closed_form) return;
            found = true;
            for (const auto& [parameter, source] : row.bind)
                EXPECT_NE(std::find(entry.parameters.begin(), entry.parameters.end(), parameter), entry.parameters.end())
                    << row.label << " binds " << parameter << ", which " << entry.name << " does not take";
        });
        EXPECT_TRUE(found) << row.label << ": no closed form " << row.closed_form << " in the catalogue";
    }
}

TEST(Derive, WithEveryInputGivenEveryRowIsPrinted) {
    DeriveOptions o;
    o.precision = Precision{30};
    o.inputs = {{"sigma", "1"}, {"g", "0.5"},  {"L", "2"},       {"B", "8"},    {"eta", "0.1"},
                {"D", "0.25"},  {"eta_ref", "0.1"}, {"B_ref", "16"}, {"b", "1"}, {"delta", "0.05"},
                {"k", "4"},     {"norm", "2"}};
    for (const auto& [name, meaning] : derive_input_names()) {
        if (name == "r") continue;  // computed from b and delta
        EXPECT_TRUE(o.inputs.count(name)) << "the test gives no --" << name;
    }
    std::ostringstream captured;
    std::streambuf* const previous = std::cout.rdbuf(captured.rdbuf());
    int status = -1;
    try {
        status = derive_command(o);
    } catch (...) {
        std::cout.rdbuf(previous);
        throw;
    }
    std::cout.rdbuf(previous);
    EXPECT_EQ(status, 0);
    std::istringstream lines(captured.str());
    std::string line;
    for (const DeriveRow& row : derive_rows()) {
        ASSERT_TRUE(std::getline(lines, line)) << "no line for " << row.label;
        EXPECT_EQ(line.substr(0, line.find(' ')), row.label);
    }
    EXPECT_FALSE(std::getline(lines, line)) << "a line more than the rows: " << line;
}
