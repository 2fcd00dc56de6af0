// reference_run.hpp - the reference trajectory: the core's quench::step (docs/spec.md E15-E20,
// steps 1-6) at type T, and the six reported quantities per step and coordinate:
//   gt    running mean of the gradients (E15), bias-corrected when that option is on (X15)
//   st    running mean of the squared gradients (E16)
//   var   st - gt^2 (E16), clamped at 0 when clamp_variance is on (X11)
//   Bstar B*(t) (E17): K during warm-up, else lambda_B s var/(gt^2 + eps) (s: X13)
//   eta   the rate of this step (E18/E20, cap X9): 0 during warm-up
//   phi   the parameters after the step (E20: phi - eta ghat)
// Nothing here re-implements a formula: the values are the core's (StepOutputs and the
// accessors running_mean, running_second_moment, running_variance).
#pragma once

#include "oracle_error.hpp"

#include "quench/errors.hpp"
#include "quench/quench_sgd.hpp"

#include <array>
#include <span>
#include <string>
#include <vector>

namespace quench::oracle {

enum class Quantity { gt, st, var, Bstar, eta, phi };
inline constexpr std::array<Quantity, 6> all_quantities{Quantity::gt, Quantity::st, Quantity::var,
                                                       Quantity::Bstar, Quantity::eta, Quantity::phi};
inline constexpr std::size_t quantity_count = 6;
const char* quantity_name(Quantity q);
/// Parses a quantity name ("gt", ..., "phi"); false when unknown.
bool parse_quantity(const std::string& name, Quantity& q);

template <class T>
class ReferenceRun {
public:
    ReferenceRun(quench::Hyperparameters<T> h, std::vector<T> phi0)
        : hyper_(std::move(h)), state_(phi0.size(), hyper_), phi_(std::move(phi0)) {
        for (auto& v : values_) v.resize(phi_.size());
    }

    /// One step with gradient g. A failure of the core (a zero variance the options leave
    /// unbounded, an overflow) is reported as bad_input naming `where`.
    void step(std::span<const T> g, const std::string& where) {
        auto& out = values_;
        try {
            quench::step<T>(state_, hyper_, g, std::span<T>(phi_),
                            quench::StepOutputs<T>{std::span<T>(out[index(Quantity::eta)]),
                                                   std::span<T>(out[index(Quantity::Bstar)])});
        } catch (const quench::zero_variance_error& e) {
            throw bad_input(where + ": the reference is undefined for these options: " + e.what());
        } catch (const quench::overflow_error& e) {
            if constexpr (quench::is_interval_v<T>)
                throw bad_input(where + ": the enclosure of phi became unbounded: interval arithmetic "
                                "overestimates (it forgets that gt, st and the weight are correlated), "
                                "so enclosures widen with the number of steps; use a higher --precision "
                                "(and --ulps rather than --bound core-double)");
            throw bad_input(where + ": " + e.what());
        } catch (const quench::invalid_input& e) {
            throw bad_input(where + ": " + e.what());
        }
        for (std::size_t i = 0; i < phi_.size(); ++i) {
            out[index(Quantity::gt)][i] = quench::running_mean(state_, i);
            out[index(Quantity::st)][i] = quench::running_second_moment(state_, i);
            out[index(Quantity::var)][i] = quench::running_variance(state_, hyper_, i);
            out[index(Quantity::phi)][i] = phi_[i];
        }
        // X9: after warm-up, var = 0 with no eta_max makes eta = lambda_eta gt^2/0 undefined
        // in exact arithmetic. The core floors the divisor at the type's smallest normal
        // number (a huge but finite eta whose value depends on the type), so the oracle
        // reports the trajectory as undefined instead of printing that number.
        if (!hyper_.options.eta_max && state_.t > hyper_.warmup)
            for (std::size_t i = 0; i < phi_.size(); ++i)
                if (quench::possibly_zero(out[index(Quantity::var)][i]))
                    throw bad_input(where + ": the reference is undefined for these options: after warm-up, "
                                    "coordinate " + std::to_string(i) + " has var = st - gt^2 = 0" +
                                    (quench::is_interval_v<T> ? " (possibly)" : "") +
                                    " and no eta_max caps eta = lambda_eta gt^2/var (X9); set options.eta_max");
    }

    std::uint64_t steps() const { return state_.t; }
    std::size_t dimension() const { return phi_.size(); }
    /// The values of the last step.
    const std::vector<T>& values(Quantity q) const { return values_[index(q)]; }
    static std::size_t index(Quantity q) { return static_cast<std::size_t>(q); }

private:
    quench::Hyperparameters<T> hyper_;
    quench::State<T> state_;
    std::vector<T> phi_;
    std::array<std::vector<T>, quantity_count> values_;
};

}  // namespace quench::oracle
