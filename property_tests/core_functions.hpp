// property_tests/core_functions.hpp - every closed form of quench::theory (E3-E29), read from
// the core's catalogue (quench/theory_catalogue.hpp), so that the containment and
// cross-precision properties can evaluate each of them in several scalar types on the same
// generated inputs; and random trajectories of step().
#pragma once

#include "generators.hpp"

#include <quench/quench.hpp>

#include <array>
#include <cstdint>
#include <iomanip>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quench::props {

/// The inputs of the closed forms, as doubles (exact in every type), inside their domains.
struct TheoryInputs {
    double sigma = 1, g = 1, B = 1, L = 1, eta = 0, D = 0, delta = 0.05, b = 1, k = 1, r = 1, norm = 1,
           eta_star = 1, batch_star = 1;
};

inline std::ostream& operator<<(std::ostream& os, const TheoryInputs& x) {
    return os << std::setprecision(17) << "sigma=" << x.sigma << " g=" << x.g << " B=" << x.B << " L=" << x.L
              << " eta=" << x.eta << " D=" << x.D << " delta=" << x.delta << " b=" << x.b << " k=" << x.k
              << " r=" << x.r << " norm=" << x.norm << " eta*=" << x.eta_star << " B*=" << x.batch_star;
}

inline rc::Gen<TheoryInputs> theory_inputs() {
    return rc::gen::exec([] {
        TheoryInputs x;
        x.sigma = *gen::magnitude();
        x.g = *gen::signed_magnitude();
        x.B = *gen::magnitude();
        x.L = *gen::magnitude();
        x.eta = *gen::value();
        x.D = *gen::value();
        x.delta = *rc::gen::weightedOneOf<double>(
            {{1, rc::gen::element(0.05, 0.5, 1e-9)},
             {2, rc::gen::map(rc::gen::inRange(1, 1000000), [](int k) { return k / 1e6; })}});
        x.b = *gen::magnitude();
        x.k = *gen::magnitude();
        x.r = *gen::magnitude();
        x.norm = *gen::magnitude();
        x.eta_star = *gen::value();
        x.batch_star = *gen::magnitude();
        return x;
    });
}

/// The generated input that a closed form's parameter of this name reads (the names of
/// quench::theory::catalogue); a parameter with no generated input is a test error, so a
/// closed form added to the catalogue cannot be skipped here.
inline double theory_input(const TheoryInputs& x, std::string_view parameter) {
    static constexpr std::pair<std::string_view, double TheoryInputs::*> fields[] = {
        {"sigma", &TheoryInputs::sigma}, {"g", &TheoryInputs::g},         {"B", &TheoryInputs::B},
        {"L", &TheoryInputs::L},         {"eta", &TheoryInputs::eta},     {"D", &TheoryInputs::D},
        {"delta", &TheoryInputs::delta}, {"b", &TheoryInputs::b},         {"k", &TheoryInputs::k},
        {"r", &TheoryInputs::r},         {"norm", &TheoryInputs::norm},   {"eta_star", &TheoryInputs::eta_star},
        {"batch_star", &TheoryInputs::batch_star}};
    for (const auto& [name, field] : fields)
        if (name == parameter) return x.*field;
    throw std::logic_error("core_functions.hpp: no generated input for the closed forms' parameter '" +
                           std::string(parameter) + "'");
}

/// "name (equation)": how the properties name a closed form in their messages and reports.
template <class Entry>
std::string theory_function_name(const Entry& entry) {
    return std::string(entry.name) + " (" + std::string(entry.equation) + ")";
}

/// The catalogue's closed form `entry` on x, in T.
template <class T, class Entry>
T evaluate_theory(const Entry& entry, const TheoryInputs& x) {
    return quench::theory::evaluate_by_name(entry, [&x](std::string_view p) { return T(theory_input(x, p)); });
}

/// A run of the complete algorithm: meta-parameters, options and a gradient sequence.
struct Trajectory {
    double B = 1, L = 1;
    std::uint64_t K = 1;
    bool bias_correction = true, per_example = true, max_weight = true;
    bool tempered = false;  // the tempering floors eta_min = eta_max/8, min_weight = 1/64
    int d = 1;
    std::vector<std::vector<double>> gradients;  // gradients[t][i]
};

inline std::ostream& operator<<(std::ostream& os, const Trajectory& t) {
    os << std::setprecision(17) << "B=" << t.B << " L=" << t.L << " K=" << t.K << " bias=" << t.bias_correction
       << " per_example=" << t.per_example << " max_weight=" << t.max_weight << " tempered=" << t.tempered
       << " d=" << t.d << " gradients:";
    for (const auto& g : t.gradients) {
        os << " [";
        for (double x : g) os << ' ' << x;
        os << " ]";
    }
    return os;
}

/// Trajectories use the derivation's meta-parameters (from_smoothness: eta_max = 1/(2L)) and
/// the variance clamp, so every type runs through (no zero_variance_error); the other
/// options vary.
inline rc::Gen<Trajectory> trajectory(int max_steps = 30) {
    return rc::gen::exec([max_steps] {
        Trajectory t;
        t.B = *gen::magnitude();
        t.L = *gen::magnitude();
        t.K = static_cast<std::uint64_t>(*rc::gen::inRange(1, 8));
        t.bias_correction = !*rc::gen::arbitrary<bool>();
        t.per_example = !*rc::gen::arbitrary<bool>();
        t.max_weight = !*rc::gen::arbitrary<bool>();
        t.tempered = *rc::gen::arbitrary<bool>();
        t.d = *gen::dimension(4);
        const int n = *rc::gen::inRange(1, max_steps + 1);
        for (int s = 0; s < n; ++s) {
            const bool repeat = s > 0 && *rc::gen::weightedOneOf<bool>({{3, rc::gen::just(false)}, {1, rc::gen::just(true)}});
            t.gradients.push_back(repeat ? t.gradients.back() : *gen::vector(t.d));
        }
        return t;
    });
}

template <class T>
Hyperparameters<T> trajectory_hyperparameters(const Trajectory& t) {
    auto h = Hyperparameters<T>::from_smoothness(T(t.B), T(t.L), t.K);
    h.options.bias_correction = t.bias_correction;
    h.options.noise = t.per_example ? NoiseStatistic::per_example : NoiseStatistic::minibatch;
    if (!t.max_weight) h.options.max_weight.reset();
    if (t.tempered) {  // both floors; eta_max/8 is exact (a power of two)
        h.options.eta_min = T(*h.options.eta_max / T(8));
        h.options.min_weight = T(1.0 / 64);
    }
    return h;
}

/// What a trajectory reports after each step, per coordinate: phi, eta, Bstar, gt, var.
template <class T>
struct StepRecord {
    std::vector<T> phi, eta, batch_star, mean, variance;
};

/// Run the trajectory in T; one record per step.
template <class T>
std::vector<StepRecord<T>> run_trajectory(const Trajectory& t) {
    const auto h = trajectory_hyperparameters<T>(t);
    State<T> s(static_cast<std::size_t>(t.d), h);
    std::vector<T> phi(t.d, T(0)), g(t.d), eta(t.d), bstar(t.d);
    std::vector<StepRecord<T>> out;
    for (const auto& grad : t.gradients) {
        for (int i = 0; i < t.d; ++i) g[i] = T(grad[i]);
        step<T>(s, h, std::span<const T>(g), std::span<T>(phi), StepOutputs<T>{std::span<T>(eta), std::span<T>(bstar)});
        StepRecord<T> r{phi, eta, bstar, {}, {}};
        for (int i = 0; i < t.d; ++i) {
            r.mean.push_back(running_mean(s, static_cast<std::size_t>(i)));
            r.variance.push_back(running_variance(s, h, static_cast<std::size_t>(i)));
        }
        out.push_back(std::move(r));
    }
    return out;
}

inline constexpr std::array<const char*, 5> trajectory_output_names = {"phi", "eta", "Bstar", "gt", "var"};

template <class T>
const std::vector<T>& output(const StepRecord<T>& r, std::size_t which) {
    switch (which) {
        case 0: return r.phi;
        case 1: return r.eta;
        case 2: return r.batch_star;
        case 3: return r.mean;
        default: return r.variance;
    }
}

}  // namespace quench::props
