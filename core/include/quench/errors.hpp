// quench/errors.hpp - the exceptions the core throws, so callers can tell them apart.
//
// Every one derives from quench::error (catch that for "anything quench refused") and from
// the standard exception that says what kind of failure it is (std::invalid_argument,
// std::domain_error, std::overflow_error), so code that catches the standard types keeps
// working. quench::error is not itself a std::exception: a second std::exception base would
// make `catch (const std::exception&)` ambiguous.
#pragma once

#include <stdexcept>
#include <string>

namespace quench {

/// The common base of every exception quench throws: `catch (const quench::error& e)`.
class error {
public:
    virtual ~error() = default;
    /// The message, naming what was refused and where.
    virtual const char* what() const noexcept = 0;

protected:
    error() = default;
    error(const error&) = default;
    error& operator=(const error&) = default;
};

namespace detail {
/// A quench exception of the standard kind Std.
template <class Std>
class error_of_kind : public Std, public quench::error {
public:
    explicit error_of_kind(const std::string& message) : Std(message) {}
    explicit error_of_kind(const char* message) : Std(message) {}
    const char* what() const noexcept override { return Std::what(); }
};
}  // namespace detail

/// A meta-parameter or option is outside its domain (B <= 0, K < 1, NaN, ...).
/// Thrown by validate() and by the Hyperparameters factories; nothing is modified.
class invalid_hyperparameter : public detail::error_of_kind<std::invalid_argument> {
public:
    using error_of_kind::error_of_kind;
};

/// An input to step() or to a closed form is unusable: a non-finite or overflowing
/// gradient, spans of the wrong length, a closed form evaluated outside its domain.
/// Thrown before anything is modified.
class invalid_input : public detail::error_of_kind<std::domain_error> {
public:
    using error_of_kind::error_of_kind;
};

/// After warm-up a coordinate's running variance is (possibly, for intervals) exactly
/// zero while the options leave the rate or the averaging weight unbounded (X9, X14):
/// eta = lambda_eta gt^2 / 0. Set eta_max and keep a weight limit (the defaults do).
/// Thrown before anything is modified.
class zero_variance_error : public detail::error_of_kind<std::domain_error> {
public:
    using error_of_kind::error_of_kind;
};

/// A parameter overflowed to infinity during a step (|phi| near the largest finite value).
/// Detected after the update: the state and parameters are then unspecified (basic
/// guarantee only), since checking before would cost a second pass over phi.
/// Also thrown by a closed form (theory.hpp) whose value overflows the type's range.
class overflow_error : public detail::error_of_kind<std::overflow_error> {
public:
    using error_of_kind::error_of_kind;
};

}  // namespace quench
