// The core compiled as a consumer would compile it: CMake gives this file
// -O2 -ffp-contract=fast -march=native and only the include directories of quench::core,
// not its -ffp-contract=off (see CMakeLists.txt). quench/no_contract.hpp must keep the
// certified expressions unfused all the same; consumer_fast_contract_test.cpp checks it.
#include "consumer_fast_contract.hpp"

#include "quench/quench.hpp"

#include <span>

namespace consumer {
namespace {

quench::Hyperparameters<double> hyper(const Setting& s) {
    quench::Hyperparameters<double> h;
    h.batch_size = s.batch;
    h.warmup = 1;
    h.lambda_batch = s.lambda_batch;
    h.lambda_rate = s.lambda_rate;
    h.epsilon = s.epsilon;
    h.options.bias_correction = s.bias;
    h.options.clamp_weight = s.clamp_weight;
    h.options.clamp_variance = s.clamp_variance;
    h.options.noise = s.per_example ? quench::NoiseStatistic::per_example : quench::NoiseStatistic::minibatch;
    if (s.max_weight > 0) h.options.max_weight = s.max_weight;
    else h.options.max_weight.reset();
    if (s.eta_max > 0) h.options.eta_max = s.eta_max;
    h.validate();
    return h;
}

}  // namespace

certified_test::Knobs knobs(const Setting& s) {
    const quench::detail::StepConstants<double> k(hyper(s));
    return certified_test::Knobs{k.rate_factor, k.weight_factor, k.batch_factor, k.epsilon,
                                 k.warm_weight, k.clamp_variance, k.clamp_weight,
                                 k.max_weight.has_value(), k.max_weight.value_or(0),
                                 k.eta_max.has_value(), k.eta_max.value_or(0)};
}

void step(const Setting& s, std::size_t d, std::uint64_t t, double* m, double* v, double* c,
          double* w, const double* g, double* phi, bool generic, double* eta) {
    const auto h = hyper(s);
    quench::State<double> st(d, h);
    for (std::size_t i = 0; i < d; ++i) {
        st.mean[i] = m[i];
        st.second[i] = v[i];
        if (s.bias) st.mass[i] = c[i];
        st.weight[i] = w[i];
    }
    st.t = t;
    quench::StepOutputs<double> out;
    if (generic) out.eta = std::span<double>(eta, d);
    quench::step(st, h, std::span<const double>(g, d), std::span<double>(phi, d), out);
    for (std::size_t i = 0; i < d; ++i) {
        m[i] = st.mean[i];
        v[i] = st.second[i];
        if (s.bias) c[i] = st.mass[i];
        w[i] = st.weight[i];
    }
}

double running_variance(const Setting& s, double m, double v, double c) {
    const auto h = hyper(s);
    quench::State<double> st(1, h);
    st.mean[0] = m;
    st.second[0] = v;
    if (s.bias) st.mass[0] = c;
    st.t = 5;
    return quench::running_variance(st, h, 0);
}

bool fma_available() {
#ifdef __FMA__
    return true;
#else
    return false;
#endif
}

double user_multiply_add(double a, double b, double c) {
    volatile double x = a, y = b, z = c;
    const double product = x * y;
    return product + z;
}

}  // namespace consumer
