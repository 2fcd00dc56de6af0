// The certified expressions of one coordinate update, transcribed literally (the text of the
// Gappa scripts in proofs/rounding/, written once more by hand, independent of the core).
// Includes no quench header, so that a translation unit can compare the core compiled with
// other flags against it without instantiating the core itself (consumer_fast_contract_test).
#pragma once

#include <limits>

namespace certified_test {

// ---- Literal transcriptions of the certified expressions (proofs/rounding/*.g) -----------

/// The knobs of one coordinate update: the StepConstants fields that the arithmetic reads.
struct Knobs {
    double rate_factor, weight_factor, batch_factor, epsilon, warm_weight;
    bool clamp_variance, clamp_weight;
    bool has_max_weight;
    double max_weight;
    bool has_eta_max;
    double eta_max;
};

struct Literal {
    double mass, mean, second, scaled_variance, eta, weight, batch_star;
};

/// docs/spec.md steps 1-6 for one coordinate after the warm-up, as the .g files state them.
inline Literal literal_update(const Knobs& k, bool bias, double g, double m, double v, double c,
                              double w) {
    Literal r{};
    const double keep = 1 - w;                           // step_mass.g, step_*_term.g
    r.mass = bias ? keep * c + w : 1;                    // step_mass.g
    r.mean = keep * m + w * g;                           // step_mean_*_term.g
    r.second = keep * v + w * (g * g);                   // step_second.g
    const double m2 = r.mean * r.mean;                   // step_variance_m2_term.g
    double D = bias ? r.mass * r.second - m2 : r.second - m2;  // step_variance_cv_term.g
    if (k.clamp_variance) D = D < 0 ? 0 : D;             // X11 max(D, 0)
    r.scaled_variance = D;
    const double Dd = k.clamp_variance ? (D < std::numeric_limits<double>::min()
                                              ? std::numeric_limits<double>::min() : D)
                                       : D;
    const double inverse = 1 / Dd;
    double eta = (k.rate_factor * m2) * inverse;         // step_rate.g
    if (k.has_eta_max) eta = k.eta_max < eta ? k.eta_max : eta;
    r.eta = eta;
    const double c2 = bias ? r.mass * r.mass : 1;
    double wn = (k.weight_factor * (m2 + k.epsilon * c2)) * inverse;  // step_weight.g
    if (k.clamp_weight) wn = 1 < wn ? 1 : wn;
    if (k.has_max_weight) wn = k.max_weight < wn ? k.max_weight : wn;
    r.weight = wn;
    r.batch_star = (k.batch_factor * D) / (m2 + k.epsilon * c2);  // step_batch_star.g
    return r;
}

/// E20, step_parameter_term.g.
inline double literal_parameter(double phi, double eta, double g) { return phi - eta * g; }

}  // namespace certified_test
