// quench/errors.hpp - the exceptions the core throws, so callers can tell them apart.
#pragma once

#include <stdexcept>
#include <string>

namespace quench {

/// A meta-parameter or option is outside its domain (B <= 0, K < 1, NaN, ...).
/// Thrown by validate() and by the Hyperparameters factories; nothing is modified.
class invalid_hyperparameter : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// An input to step() or to a closed form is unusable: a non-finite or overflowing
/// gradient, spans of the wrong length, a closed form evaluated outside its domain.
/// Thrown before anything is modified.
class invalid_input : public std::domain_error {
public:
    using std::domain_error::domain_error;
};

/// After warm-up a coordinate's running variance is (possibly, for intervals) exactly
/// zero while the options leave the rate or the averaging weight unbounded (X9, X14):
/// eta = lambda_eta gt^2 / 0. Set eta_max and keep a weight limit (the defaults do).
/// Thrown before anything is modified.
class zero_variance_error : public std::domain_error {
public:
    using std::domain_error::domain_error;
};

/// A parameter overflowed to infinity during a step (|phi| near the largest finite value).
/// Detected after the update: the state and parameters are then unspecified (basic
/// guarantee only), since checking before would cost a second pass over phi.
/// Also thrown by a closed form (theory.hpp) whose value overflows the type's range.
class overflow_error : public std::overflow_error {
public:
    using std::overflow_error::overflow_error;
};

}  // namespace quench
