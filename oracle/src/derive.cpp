#include "derive.hpp"

#include "number_text.hpp"
#include "oracle_error.hpp"

#include "quench/errors.hpp"
#include "quench/theory_catalogue.hpp"

#include <cmath>
#include <iostream>
#include <optional>
#include <stdexcept>

namespace quench::oracle {

const std::map<std::string, std::string>& derive_input_names() {
    static const std::map<std::string, std::string> names{
        {"sigma", "per-example standard deviation sigmahat (E6)"},
        {"g", "gradient ghat (1-D), or the true gradient for E9 and E12"},
        {"L", "smoothness constant (E8)"},
        {"B", "batch size in examples"},
        {"eta", "a learning rate, for the progress bounds E11/E27"},
        {"D", "a step, for the descent lemma (E9)"},
        {"eta_ref", "a rate eta* tuned at batch size B_ref, scaled linearly to B (E4)"},
        {"B_ref", "the batch size B* at which eta_ref was tuned (E4)"},
        {"b", "bound on ||g_n - g|| (E26, Euclidean norm: X5)"},
        {"delta", "failure probability in (0, 1) (E26)"},
        {"k", "minibatch size of the vector case (E26-E29)"},
        {"norm", "||ghat|| (vector case, E27-E29)"},
        {"r", "concentration radius (E26; computed from b and delta when not given)"},
    };
    return names;
}

const std::vector<DeriveRow>& derive_rows() {
    // A parameter is read from the input of its name unless bound here to another input or
    // to an earlier row's value. The order is the order of the output.
    static const std::vector<DeriveRow> rows{
        {"B_star", "optimal_batch", {}},
        {"eta_star", "optimal_rate", {}},
        {"eta_1", "per_example_rate", {{"eta_star", "eta_star"}, {"batch_star", "B_star"}}},  // E3 at E12's optimum
        {"eta_B", "linear_scaled_rate", {}},
        {"eta_B_capped", "capped_scaled_rate", {}},
        {"eta_star_B", "rate_at_batch", {}},
        {"decrease_at_eta_star_B", "guaranteed_decrease", {{"eta", "eta_star_B"}}},  // E22 holds at eta*(B)
        {"progress_per_example", "progress_per_example", {}},
        {"vacuous_batch_threshold", "vacuous_batch_threshold", {}},
        {"confidence_radius", "gradient_confidence_radius", {}},
        {"progress_bound", "progress_bound", {}},
        {"lambda_eta", "lambda_eta_from_smoothness", {}},
        {"r", "concentration_radius", {}},
        {"concentration_bound", "concentration_bound", {}},
        {"vector_progress_bound", "vector_progress_bound", {}},
        {"eta_k", "vector_rate_at_batch", {}},
        {"k_star", "optimal_k", {}},
        {"descent_bound", "descent_bound", {}},
        {"eta_B_from_ref", "scaled_rate", {{"batch_star", "B_ref"}, {"eta_star", "eta_ref"}}},
    };
    return rows;
}

namespace {

/// Where row's parameter `parameter` is read from: its binding, or the input of its name.
std::string_view source_of(const DeriveRow& row, std::string_view parameter) {
    for (const auto& [from, to] : row.bind)
        if (from == parameter) return to;
    return parameter;
}

/// Row's value from the inputs and the earlier rows' values (an input first: a given --r
/// is the r of E27-E29, whatever the r row computes); nothing when a source is missing.
template <class T>
std::optional<T> evaluate_row(const DeriveRow& row, const std::map<std::string, T>& inputs,
                              const std::map<std::string, T>& rows) {
    auto find = [&](std::string_view name) -> const T* {
        const std::string key(name);
        if (auto it = inputs.find(key); it != inputs.end()) return &it->second;
        if (auto it = rows.find(key); it != rows.end()) return &it->second;
        return nullptr;
    };
    std::optional<T> value;
    bool found = false;
    quench::theory::visit_theory([&](const auto& entry) {
        if (entry.name != row.closed_form) return;
        found = true;
        for (std::string_view p : entry.parameters)
            if (!find(source_of(row, p))) return;
        value = quench::theory::evaluate_by_name(entry, [&](std::string_view p) -> const T& {
            return *find(source_of(row, p));
        });
    });
    if (!found) throw std::logic_error("derive: row " + std::string(row.label) + " names no closed form");
    return value;
}

std::string_view equation_of(const DeriveRow& row) {
    std::string_view equation;
    quench::theory::visit_theory([&](const auto& entry) {
        if (entry.name == row.closed_form) equation = entry.equation;
    });
    return equation;
}

template <class T>
int derive_with(const DeriveOptions& o) {
    std::map<std::string, T> v;
    for (const auto& [name, text] : o.inputs) {
        if (!derive_input_names().count(name)) throw bad_input("derive: unknown input --" + name);
        if (!std::isfinite(nearest_double(text)))
            throw bad_input("derive: --" + name + " " + text + " is not a finite number in double range");
        try {
            v.emplace(name, from_text<T>(text));
        } catch (const std::invalid_argument&) {
            throw bad_input("derive: --" + name + ": not a decimal number: '" + text + "'");
        }
    }
    // r from b and delta when not given (E26).
    if (!v.count("r") && v.count("b") && v.count("delta")) {
        try {
            v.emplace("r", quench::theory::concentration_radius(v.at("b"), v.at("delta")));
        } catch (const quench::error& e) {  // outside the domain, or an overflow
            throw bad_input(std::string("derive: r (E26): ") + e.what());
        }
    }
    std::string out;
    std::map<std::string, T> values;  // the rows evaluated so far, by label
    for (const DeriveRow& row : derive_rows()) {
        const std::string name(row.label), equation(equation_of(row));
        std::optional<T> value;
        try {
            value = evaluate_row(row, v, values);
        } catch (const quench::error& e) {  // outside the domain, or an overflow (e.g.
            // --precision double with huge inputs)
            throw bad_input("derive: " + name + " (" + equation + "): " + e.what());
        }
        if (!value) continue;
        values.emplace(name, *value);
        if (o.json) {
            out += "{\"name\":\"" + name + "\",\"equation\":\"" + equation + "\",\"enclosure\":";
            append_json(out, *value);
            out += "}\n";
        } else {
            out += name;
            out.append(name.size() < 24 ? 24 - name.size() : 1, ' ');
            out += equation;
            out.append(8 - equation.size(), ' ');
            append_json(out, *value);
            out += '\n';
        }
    }
    if (values.empty())
        throw bad_input("derive: no formula has all its inputs; e.g. --sigma 1 --g 0.5 gives B_star (E12)");
    std::cout << out;
    return exit_ok;
}

}  // namespace

int derive_command(const DeriveOptions& o) {
    set_working_precision(o.precision);
    return o.precision.is_double() ? derive_with<rigorous_interval>(o) : derive_with<mp_interval>(o);
}

}  // namespace quench::oracle
