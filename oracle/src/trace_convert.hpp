// trace_convert.hpp - a trace's texts and doubles as values of the working type T.
#pragma once

#include "number_text.hpp"
#include "oracle_error.hpp"
#include "trace_reader.hpp"

#include "quench/errors.hpp"
#include "quench/hyperparameters.hpp"

#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace quench::oracle {

/// The meta-parameters and options of the header at type T, validated by the core
/// (quench::Hyperparameters::validate); a violation is bad input naming the header line.
template <class T>
quench::Hyperparameters<T> make_hyperparameters(const TraceHeader& h) {
    quench::Hyperparameters<T> hp;  // the core's defaults for lambda_batch and epsilon
    hp.batch_size = from_text<T>(h.batch_size);
    hp.warmup = h.warmup;
    hp.lambda_rate = from_text<T>(h.lambda_rate);
    if (h.lambda_batch) hp.lambda_batch = from_text<T>(*h.lambda_batch);
    if (h.epsilon) hp.epsilon = from_text<T>(*h.epsilon);
    if (h.literal) hp.options = quench::Options<T>::literal();
    quench::visit_options(hp.options, [&](const quench::OptionInfo& info, auto& field) {
        const auto given = h.options.find(info.name);
        if (given == h.options.end()) return;  // the default (or the literal value)
        using Field = std::decay_t<decltype(field)>;
        if constexpr (std::is_same_v<Field, bool> || std::is_same_v<Field, quench::NoiseStatistic>) {
            field = std::get<Field>(given->second);
        } else {  // a limit given as text, or none
            const auto& text = std::get<std::optional<std::string>>(given->second);
            field.reset();
            if (text) field = from_text<T>(*text);
        }
    });
    try {
        hp.validate();
    } catch (const quench::invalid_hyperparameter& e) {
        throw bad_input(h.where + ": invalid meta-parameters: " + e.what());
    }
    return hp;
}

template <class T>
std::vector<T> make_phi0(const TraceHeader& h) {
    std::vector<T> phi;
    phi.reserve(h.dimension);
    for (const auto& s : h.phi0_text) phi.push_back(from_text<T>(s));
    for (double v : h.phi0_values) phi.push_back(T(v));
    return phi;
}

/// Converts a row into `out` (resized). Doubles convert exactly into every working type.
template <class T>
void convert_row(const GradientRow& row, std::vector<T>& out) {
    out.resize(row.size());
    if (row.is_text)
        for (std::size_t i = 0; i < row.texts.size(); ++i) out[i] = from_text<T>(row.texts[i]);
    else
        for (std::size_t i = 0; i < row.values.size(); ++i) out[i] = T(row.values[i]);
}

}  // namespace quench::oracle
