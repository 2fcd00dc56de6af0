// trace_convert.hpp - a trace's texts and doubles as values of the working type T.
#pragma once

#include "number_text.hpp"
#include "oracle_error.hpp"
#include "trace_reader.hpp"

#include "quench/errors.hpp"
#include "quench/hyperparameters.hpp"

#include <span>
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
    quench::Options<T>& o = hp.options;
    o.clamp_weight = h.clamp_weight;
    o.clamp_variance = h.clamp_variance;
    o.bias_correction = h.bias_correction;
    if (!h.max_weight_default) {
        o.max_weight.reset();
        if (h.max_weight) o.max_weight = from_text<T>(*h.max_weight);
    }
    if (h.eta_max) o.eta_max = from_text<T>(*h.eta_max);
    o.noise = h.noise;
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
