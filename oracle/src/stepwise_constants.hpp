// stepwise_constants.hpp - the step's constants of the stepwise model (stepwise_model.hpp,
// Constants) from a trace's meta-parameters, as the candidate holds them: each decimal read
// as the double nearest it (within u_double) and rounded once more to the candidate's type.
#pragma once

#include "stepwise_model.hpp"

#include "quench/hyperparameters.hpp"

namespace quench::oracle::stepwise {

/// A trace constant as the candidate holds it: the double nearest the decimal, within
/// u_double of it, and the candidate's own rounding of the decimal.
template <class R>
Box<R> constant(double x, R u) {
    const R ud = static_cast<R>(double_roundoff);
    return relative(static_cast<R>(x), ud + (u > ud ? u : 0));
}

template <class R>
Constants<R> make_constants(const quench::Hyperparameters<double>& h, CandidatePrecision precision) {
    Constants<R> k;
    k.set_precision(precision);
    const R u = k.u;
    const Box<R> B = constant(h.batch_size, u), lb = constant(h.lambda_batch, u), le = constant(h.lambda_rate, u);
    const bool per_example = h.options.noise == quench::NoiseStatistic::per_example;  // X13
    const Box<R> s = per_example ? B : point<R>(1);
    k.batch = B;
    k.warmup = h.warmup;
    k.warmup_batch = relative(static_cast<R>(h.warmup), u);
    k.rate_factor = le / s;
    k.weight_factor = B / (lb * s);
    k.batch_factor = lb * s;
    k.epsilon = constant(h.epsilon, u);
    k.clamp_weight = h.options.clamp_weight;
    k.clamp_variance = h.options.clamp_variance;
    k.bias_correction = h.options.bias_correction;
    if (h.options.eta_max) k.eta_max = constant(*h.options.eta_max, u);
    if (h.options.max_weight) k.max_weight = constant(*h.options.max_weight, u);
    if (h.options.eta_min) k.eta_min = constant(*h.options.eta_min, u);  // tempering
    if (h.options.min_weight) k.min_weight = constant(*h.options.min_weight, u);
    k.warm_weight = limit_weight(widen_relative(B / point<R>(static_cast<R>(h.warmup)),
                                                gamma(ModelCounts::constant, u)), k);
    k.set_underflow_bounds(precision);
    return k;
}

}  // namespace quench::oracle::stepwise
