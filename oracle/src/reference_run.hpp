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

#include "number_text.hpp"
#include "oracle_error.hpp"

#include "quench/errors.hpp"
#include "quench/gradient_range.hpp"
#include "quench/quench_sgd.hpp"
#include "quench/trajectory_quantities.hpp"

#include <array>
#include <span>
#include <string>
#include <vector>

namespace quench::oracle {

// The quantities are the core's list (quench/trajectory_quantities.hpp), in its order.
using quench::Quantity;
inline constexpr std::size_t quantity_count = quench::trajectory_quantities.size();
inline constexpr std::array<Quantity, quantity_count> all_quantities = [] {
    std::array<Quantity, quantity_count> all{};
    for (std::size_t i = 0; i < quantity_count; ++i) all[i] = quench::trajectory_quantities[i].quantity;
    return all;
}();
inline const char* quantity_name(Quantity q) { return quench::quantity_info(q).name; }
/// Parses a quantity name ("gt", ..., "phi"); false when unknown.
inline bool parse_quantity(const std::string& name, Quantity& q) { return quench::parse_quantity(name, q); }

template <class T>
class ReferenceRun {
public:
    using value_type = T;

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
                throw bad_input(where + ": " + e.what() + ": an enclosure became unbounded: interval arithmetic "
                                "overestimates (it forgets that gt, st and the weight are correlated), "
                                "so enclosures widen with the number of steps; use a higher --precision "
                                "(and --ulps rather than --bound core-double)");
            throw bad_input(where + ": " + e.what());
        } catch (const quench::error& e) {  // invalid_input or invalid_hyperparameter
            throw bad_input(where + ": " + e.what());
        }
        for (std::size_t i = 0; i < phi_.size(); ++i) {
            out[index(Quantity::gt)][i] = quench::running_mean(state_, i);
            out[index(Quantity::st)][i] = quench::running_second_moment(state_, i);
            out[index(Quantity::var)][i] = quench::running_variance(state_, hyper_, i);
            out[index(Quantity::phi)][i] = phi_[i];
        }
        // A zero variance after warm-up without eta_max (X9) needs no check of its own here:
        // quench::step refuses it before the update (zero_variance_error, caught above), so
        // a step that returned had D = c^2 var certainly nonzero wherever the rate is uncapped.
        // Gradients so small that D = c^2 var (or gt^2) is below the type's normal range: the
        // X11 floor, not the variance, decided eta (quench/gradient_range.hpp). At N digits
        // the floor is far below any input, so this refuses only double-precision runs.
        const auto outside = quench::first_coordinate_outside_accepted_range(state_, hyper_);
        if (outside && quench::is_interval_v<T>)
            throw bad_input(where + ": step " + std::to_string(state_.t) + ", coordinate " + std::to_string(*outside) +
                            ": the enclosure of gt^2 or D = c^2 var reaches below the smallest normal number, "
                            "where the divisor floor (X11) would no longer enclose eta: interval enclosures widen "
                            "with the number of steps (or the gradients are tiny); use a higher --precision");
        if (const auto i = outside)
            throw bad_input(where + ": step " + std::to_string(state_.t) + ", coordinate " + std::to_string(*i) +
                            ": the gradients' scale is below the accepted range of this precision: gt^2 or "
                            "D = c^2 var is below the smallest normal number, so the divisor floor (X11), not the "
                            "variance, would decide eta (|gradient| near or below smallest_gradient = " +
                            message_number(static_cast<double>(quench::lower(quench::smallest_gradient<T>()))) +
                            "); use a higher --precision, or scale the gradients by a power of two (exact)");
    }

    std::uint64_t steps() const { return state_.t; }
    std::size_t dimension() const { return phi_.size(); }
    /// The values of the last step.
    const std::vector<T>& values(Quantity q) const { return values_[index(q)]; }
    static std::size_t index(Quantity q) { return static_cast<std::size_t>(q); }

    /// The core's state and the parameters, for a run that recentres them between steps
    /// (centred_run.hpp: the values stay the same, their representation changes).
    quench::State<T>& state() { return state_; }
    std::vector<T>& parameters() { return phi_; }

private:
    quench::Hyperparameters<T> hyper_;
    quench::State<T> state_;
    std::vector<T> phi_;
    std::array<std::vector<T>, quantity_count> values_;
};

}  // namespace quench::oracle
