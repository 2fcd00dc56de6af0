#include "derive.hpp"

#include "number_text.hpp"
#include "oracle_error.hpp"

#include "quench/errors.hpp"
#include "quench/theory.hpp"

#include <cmath>
#include <functional>
#include <iostream>
#include <optional>
#include <vector>

namespace quench::oracle {

const std::map<std::string, std::string>& derive_input_names() {
    static const std::map<std::string, std::string> names{
        {"sigma", "per-example standard deviation sigmahat (E6)"},
        {"g", "gradient ghat (1-D), or the true gradient for E12"},
        {"L", "smoothness constant (E8)"},
        {"B", "batch size in examples"},
        {"eta", "a learning rate, for the progress bounds E11/E27"},
        {"b", "bound on ||g_n - g|| (E26, Euclidean norm: X5)"},
        {"delta", "failure probability in (0, 1) (E26)"},
        {"k", "minibatch size of the vector case (E26-E29)"},
        {"norm", "||ghat|| (vector case, E27-E29)"},
        {"r", "concentration radius (E26; computed from b and delta when not given)"},
    };
    return names;
}

namespace {

template <class T>
struct Formula {
    const char* name;
    const char* equation;
    std::vector<const char*> needs;
    std::function<T(const std::map<std::string, T>&)> eval;
};

template <class T>
std::vector<Formula<T>> formulas() {
    namespace th = quench::theory;
    using M = std::map<std::string, T>;
    return {
        {"B_star", "E12", {"sigma", "g"}, [](const M& v) { return th::optimal_batch(v.at("sigma"), v.at("g")); }},
        {"eta_star", "E12", {"L"}, [](const M& v) { return th::optimal_rate(v.at("L")); }},
        {"eta_1", "E3", {"sigma", "g", "L"},
         [](const M& v) { return th::per_example_rate(th::optimal_rate(v.at("L")), th::optimal_batch(v.at("sigma"), v.at("g"))); }},
        {"eta_B", "E13", {"B", "g", "sigma", "L"},
         [](const M& v) { return th::linear_scaled_rate(v.at("B"), v.at("g"), v.at("sigma"), v.at("L")); }},
        {"eta_B_capped", "E13+X9", {"B", "g", "sigma", "L"},
         [](const M& v) { return th::capped_scaled_rate(v.at("B"), v.at("g"), v.at("sigma"), v.at("L")); }},
        {"eta_star_B", "E21", {"B", "g", "sigma", "L"},
         [](const M& v) { return th::rate_at_batch(v.at("B"), v.at("g"), v.at("sigma"), v.at("L")); }},
        {"decrease_at_eta_star_B", "E22", {"B", "g", "sigma", "L"},
         [](const M& v) {
             return th::guaranteed_decrease(th::rate_at_batch(v.at("B"), v.at("g"), v.at("sigma"), v.at("L")), v.at("g"), v.at("L"));
         }},
        {"progress_per_example", "E23", {"B", "g", "sigma", "L"},
         [](const M& v) { return th::progress_per_example(v.at("B"), v.at("g"), v.at("sigma"), v.at("L")); }},
        {"vacuous_batch_threshold", "X4", {"sigma", "g"},
         [](const M& v) { return th::vacuous_batch_threshold(v.at("sigma"), v.at("g")); }},
        {"confidence_radius", "E5", {"sigma", "B"},
         [](const M& v) { return th::gradient_confidence_radius(v.at("sigma"), v.at("B")); }},
        {"progress_bound", "E11", {"g", "sigma", "B", "L", "eta"},
         [](const M& v) { return th::progress_bound(v.at("g"), v.at("sigma"), v.at("B"), v.at("L"), v.at("eta")); }},
        {"lambda_eta", "X10", {"B", "L"}, [](const M& v) { return th::lambda_eta_from_smoothness(v.at("B"), v.at("L")); }},
        {"r", "E26", {"b", "delta"}, [](const M& v) { return th::concentration_radius(v.at("b"), v.at("delta")); }},
        {"concentration_bound", "E26", {"b", "delta", "k"},
         [](const M& v) { return th::concentration_bound(v.at("b"), v.at("delta"), v.at("k")); }},
        {"vector_progress_bound", "E27", {"norm", "r", "k", "L", "eta"},
         [](const M& v) { return th::vector_progress_bound(v.at("norm"), v.at("r"), v.at("k"), v.at("L"), v.at("eta")); }},
        {"eta_k", "E28", {"k", "norm", "r", "L"},
         [](const M& v) { return th::vector_rate_at_batch(v.at("k"), v.at("norm"), v.at("r"), v.at("L")); }},
        {"k_star", "E29", {"r", "norm"}, [](const M& v) { return th::optimal_k(v.at("r"), v.at("norm")); }},
    };
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
    int evaluated = 0;
    for (const Formula<T>& f : formulas<T>()) {
        bool ready = true;
        for (const char* n : f.needs) ready = ready && v.count(n);
        if (!ready) continue;
        T value;
        try {
            value = f.eval(v);
        } catch (const quench::error& e) {  // outside the domain, or an overflow (e.g.
            // --precision double with huge inputs)
            throw bad_input(std::string("derive: ") + f.name + " (" + f.equation + "): " + e.what());
        }
        ++evaluated;
        if (o.json) {
            out += std::string("{\"name\":\"") + f.name + "\",\"equation\":\"" + f.equation + "\",\"enclosure\":";
            append_json(out, value);
            out += "}\n";
        } else {
            out += f.name;
            out.append(f.name[0] && std::string(f.name).size() < 24 ? 24 - std::string(f.name).size() : 1, ' ');
            out += f.equation;
            out.append(8 - std::string(f.equation).size(), ' ');
            append_json(out, value);
            out += '\n';
        }
    }
    if (evaluated == 0)
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
