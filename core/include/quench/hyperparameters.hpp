// quench/hyperparameters.hpp - the meta-parameters of the complete algorithm (docs/spec.md E19,
// E20) and the named options for every deviation from the literal slides.
#pragma once

#include "quench/errors.hpp"
#include "quench/scalar.hpp"
#include "quench/theory.hpp"

#include <concepts>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp
namespace quench {

/// Which spread of gradients the rate and window formulas use (erratum X13).
enum class NoiseStatistic {
    /// Literal slides: sigmat^2 = st - gt^2, the variance of *minibatch* gradients over
    /// time, is put where E12/E13 need the per-example variance sigmahat^2.
    minibatch,
    /// X13 correction (default): for i.i.d. examples the per-example variance is B times the
    /// minibatch variance, so B*[i] = lambda_B * B * var[i] / (gt[i]^2 + eps) is counted in
    /// examples (E12) and eta[i] = lambda_eta * gt[i]^2 / (B * var[i]) is E13's eta_B with
    /// lambda_eta = B/(32 L) (X10).
    per_example,
};

/// Deviations from the literal slides. Every one is named after its erratum in docs/spec.md;
/// `Options::literal()` switches all of them off, which reproduces the slides' rules exactly
/// (and can fail: see X8, X9, X11, X14).
template <Scalar T>
struct Options {
    using value_type = T;
    /// X8: weight w = min(1, B/Bstar) instead of B/Bstar, so the averages stay convex
    /// combinations and the variance stays >= 0 in exact arithmetic.
    bool clamp_weight = true;
    /// X14: weight w <= max_weight (a window of at least 1/max_weight batches). With the X8
    /// clamp alone, Bstar <= B gives w = 1 and var = 0 for ever (an absorbing state); any
    /// max_weight < 1 keeps var > 0 once two different gradients have been seen. Default
    /// 1/2: the shortest window that removes the absorbing state. Empty: no limit.
    std::optional<T> max_weight = T(1) / T(2);
    /// X11: var = max(0, st - gt^2); in floating point the difference can round below zero
    /// even with clamped weights. Internally the (scaled) variance is floored at the type's
    /// smallest positive normal number (1/max for MPFR types), so the division by var is
    /// always finite.
    bool clamp_variance = true;
    /// X9: eta <= eta_max (E13 holds only for B <= B*; beyond it the guarantee gives
    /// eta* = 1/(2L)). Empty: no cap, and a zero variance after warm-up is an error.
    std::optional<T> eta_max;
    /// X15: divide both running averages by their mass 1 - prod(1 - w) (as Adam does), which
    /// removes the spurious variance of the zero initialisation for constant gradients: var
    /// = 0 exactly in real arithmetic; in floating point a rounding residue within the
    /// certified bound of D = c v - m^2 remains (certified_bounds.hpp, variance_abs).
    bool bias_correction = true;
    /// X13: which variance the formulas use.
    NoiseStatistic noise = NoiseStatistic::per_example;

    // Tempering (reheating a quenched run): not in the slides, which let eta go to 0 and the
    // window grow without end (docs/spec.md, "Tempering"). Both are off by default and in
    // literal(), so neither changes the slides' rules or the defaults unless it is set.

    /// A floor on the rate after warm-up: eta = max(eta, eta_min), after the X9 cap, so that
    /// quenching stops at SGD with step eta_min instead of at 0. During warm-up eta stays 0
    /// (E18). Must be finite, > 0 and <= eta_max when both are set. Empty: no floor.
    std::optional<T> eta_min;
    /// A floor on the averaging weight: w = max(w, min_weight), after the X8 clamp and the X14
    /// limit, in warm-up too, so the window never holds more than 1/min_weight batches and the
    /// statistics follow a changing gradient. The reported Bstar (StepOutputs, batch_star())
    /// stays the value before any limit. Must be in (0, 1] and <= max_weight when both are
    /// set. Empty: no floor.
    std::optional<T> min_weight;

    /// The slides exactly as written: every option off.
    static Options literal();
};

/// The names of the two statistics of X13, as the oracle's traces spell them.
inline const char* noise_statistic_name(NoiseStatistic n) {
    return n == NoiseStatistic::per_example ? "per_example" : "minibatch";
}
inline constexpr NoiseStatistic all_noise_statistics[] = {NoiseStatistic::per_example,
                                                          NoiseStatistic::minibatch};

/// What the option catalogue says of an option besides its value.
struct OptionInfo {
    const char* name;     ///< the field's name (also the oracle's trace field)
    const char* erratum;  ///< the slide erratum it corrects, or "tempering" (not in the slides)
};

/// The catalogue of options: calls visit(info, field) for every field of Options, in
/// declaration order, with the field itself (bool&, std::optional<T>& or NoiseStatistic&,
/// const when o is). Everything that lists the options (literal() below, the oracle's trace
/// reader and its schema test, the property tests) iterates over this one list.
template <class O, class Visitor>
    requires std::same_as<std::remove_const_t<O>, Options<typename std::remove_const_t<O>::value_type>>
void visit_options(O& o, Visitor&& visit) {
    visit(OptionInfo{"clamp_weight", "X8"}, o.clamp_weight);
    visit(OptionInfo{"max_weight", "X14"}, o.max_weight);
    visit(OptionInfo{"clamp_variance", "X11"}, o.clamp_variance);
    visit(OptionInfo{"eta_max", "X9"}, o.eta_max);
    visit(OptionInfo{"bias_correction", "X15"}, o.bias_correction);
    visit(OptionInfo{"noise", "X13"}, o.noise);
    visit(OptionInfo{"eta_min", "tempering"}, o.eta_min);
    visit(OptionInfo{"min_weight", "tempering"}, o.min_weight);
}

namespace detail {
// An option's literal (slide) value: off, no limit, the minibatch statistic.
inline void set_literal(bool& flag) { flag = false; }
template <class T>
void set_literal(std::optional<T>& limit) { limit.reset(); }
inline void set_literal(NoiseStatistic& n) { n = NoiseStatistic::minibatch; }
}  // namespace detail

template <Scalar T>
Options<T> Options<T>::literal() {
    Options o;
    visit_options(o, [](const OptionInfo&, auto& field) { detail::set_literal(field); });
    return o;
}

/// Meta-parameters of the complete algorithm (docs/spec.md, E19 and E20). Construct with
/// from_smoothness() (the values of the derivation) or fill the fields and call validate().
template <Scalar T>
struct Hyperparameters {
    T batch_size = T(1);        ///< B > 0: examples per minibatch, one for all coordinates.
    std::uint64_t warmup = 1;   ///< K >= 1: steps with eta = 0 and Bstar = K.
    T lambda_batch = T(16);     ///< lambda_B > 0: 16 in the derivation (E12).
    T lambda_rate = T(1);       ///< lambda_eta > 0: B/(32 L) in the derivation (X10).
    T epsilon = T(1e-12);       ///< eps > 0: keeps Bstar finite when gt = 0 (E17).
    Options<T> options{};

    /// The derivation's values for batch size B and smoothness L (|loss''| <= L):
    /// lambda_B = 16 (E12), lambda_eta = B/(32 L) (E13, X10), eta_max = 1/(2 L) (E12, X9),
    /// and the default options. eps should sit well below the squared gradient scale.
    /// Each value comes from the one function of theory.hpp that states it, so the
    /// constructor and the closed forms cannot drift apart.
    static Hyperparameters from_smoothness(const T& B, const T& L, std::uint64_t K,
                                           const T& eps = T(1e-12)) {
        // Checked here so that bad input is an invalid_hyperparameter naming the field,
        // before theory's own domain checks (invalid_input) see it.
        check_positive(B, "batch_size B");
        check_positive(L, "smoothness L");
        Hyperparameters h;
        h.batch_size = B;
        h.warmup = K;
        h.lambda_batch = theory::lambda_batch_from_theory<T>();
        try {
            h.lambda_rate = theory::lambda_eta_from_smoothness(B, L);
            h.options.eta_max = theory::optimal_rate(L);
        } catch (const overflow_error&) {
            throw invalid_hyperparameter(
                "quench: B/(32 L) or 1/(2 L) overflows (lambda_rate, options.eta_max); rescale B or L");
        }
        h.epsilon = eps;
        h.validate();
        return h;
    }

    /// Throws invalid_hyperparameter naming the field when a value is outside its domain.
    /// For interval types "> 0" means certainly > 0.
    void validate() const {
        check_positive(batch_size, "batch_size B");
        if (warmup < 1) throw invalid_hyperparameter("quench: warmup K must be >= 1 (got 0)");
        check_positive(lambda_batch, "lambda_batch (lambda_B)");
        check_positive(lambda_rate, "lambda_rate (lambda_eta)");
        check_positive(epsilon, "epsilon");
        if (options.max_weight) {
            check_positive(*options.max_weight, "options.max_weight");
            if (possibly_less(T(1), *options.max_weight))
                throw invalid_hyperparameter("quench: options.max_weight must be <= 1");
        }
        if (options.eta_max) check_positive(*options.eta_max, "options.eta_max");
        if (options.eta_min) {  // tempering: a floor on the rate
            check_positive(*options.eta_min, "options.eta_min");
            if (options.eta_max && possibly_less(*options.eta_max, *options.eta_min))
                throw invalid_hyperparameter(
                    "quench: options.eta_min must be <= options.eta_max (a floor above the cap)");
        }
        if (options.min_weight) {  // tempering: a floor on the weight
            check_positive(*options.min_weight, "options.min_weight");
            if (possibly_less(T(1), *options.min_weight))
                throw invalid_hyperparameter("quench: options.min_weight must be <= 1");
            if (options.max_weight && possibly_less(*options.max_weight, *options.min_weight))
                throw invalid_hyperparameter(
                    "quench: options.min_weight must be <= options.max_weight (a floor above the limit)");
        }
        // Sums like gt^2 + eps must not overflow for admissible gradients (step() admits
        // |ghat| <= sqrt(max)/2, so gt^2 <= max/4).
        const T quarter_max = T(T(largest()) / T(4));
        if (possibly_less(quarter_max, epsilon))
            throw invalid_hyperparameter("quench: epsilon is too large (must be <= max/4)");
        const T first_weight = T(batch_size / T(static_cast<double>(warmup)));
        if (!quench::is_finite(first_weight) || !certainly_positive(first_weight))
            throw invalid_hyperparameter("quench: B/K over- or underflows");
        // The per-step factors of the update (E17, E18 with X13's s = B or 1), named by
        // the fields that form them.
        const bool per_example = options.noise == NoiseStatistic::per_example;
        check_factor(per_example ? T(lambda_rate / batch_size) : lambda_rate,
                     per_example ? "lambda_rate / batch_size (lambda_eta/B)" : "lambda_rate (lambda_eta)");
        check_factor(per_example ? T(T(1) / lambda_batch) : T(batch_size / lambda_batch),
                     per_example ? "1 / lambda_batch (1/lambda_B)" : "batch_size / lambda_batch (B/lambda_B)");
        check_factor(per_example ? T(lambda_batch * batch_size) : lambda_batch,
                     per_example ? "lambda_batch * batch_size (lambda_B B)" : "lambda_batch (lambda_B)");
    }

    /// The largest finite value of T's end points.
    static endpoint_t<T> largest() { return std::numeric_limits<endpoint_t<T>>::max(); }

private:
    static void check_factor(const T& x, const char* name) {
        if (!quench::is_finite(x) || !certainly_positive(x)) {
            std::ostringstream m;
            m << "quench: " << name << " overflows or underflows to 0";
            throw invalid_hyperparameter(m.str());
        }
    }
    static void check_positive(const T& x, const char* name) {
        if (!quench::is_finite(x) || !certainly_positive(x)) {
            std::ostringstream m;
            m << "quench: " << name << " must be finite and > 0";
            throw invalid_hyperparameter(m.str());
        }
    }
};

}  // namespace quench

QUENCH_NO_CONTRACT_END
