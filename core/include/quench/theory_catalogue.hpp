// quench/theory_catalogue.hpp - the one list of the closed forms of quench::theory (E3-E29):
// for each, its name, its equation, the names of its parameters in order, and a generic
// callable over the scalar type. Whatever has to treat every closed form (the oracle's
// `derive`, the containment and cross-precision properties) iterates this list, so that a
// closed form added to theory.hpp and here reaches all of them; tests/theory_catalogue_test
// checks that every function of theory.hpp with inputs is listed.
//
// Parameter names are shared across entries: one name, one quantity. sigma (E6), g (the
// gradient, ghat where the formula takes the estimate), B (batch size), L (E8), eta (a rate),
// D (a step, E9), b and delta (E26), k (vector minibatch size), r (E26's radius), norm
// (||ghat||), eta_star and batch_star (the rate and batch size of E1-E4).
//
// lambda_batch_from_theory (the constant 16 of E12/E17) has no inputs and is not listed.
#pragma once

#include "quench/theory.hpp"

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp
namespace quench::theory {

/// One closed form: `evaluate(args...)` is the function of theory.hpp, for any Scalar T,
/// with the arguments in the order of `parameters` (the only place that order is written:
/// the callables forward their arguments as they come).
template <std::size_t N, class F>
struct ClosedForm {
    std::string_view name;                       ///< the function's name in quench::theory
    std::string_view equation;                   ///< its docs/spec.md number, e.g. "E13+X9"
    std::array<std::string_view, N> parameters;  ///< the names of its arguments, in order
    F evaluate;
    static constexpr std::size_t arity = N;
};

namespace detail {
/// An entry; a callable that does not take one argument per parameter name fails to compile.
template <std::size_t N, class F>
constexpr ClosedForm<N, F> closed_form(std::string_view name, std::string_view equation,
                                       const std::string_view (&parameters)[N], F evaluate) {
    static_assert([]<std::size_t... I>(std::index_sequence<I...>) {
        return std::is_invocable_v<const F&, decltype((void)I, double())...>;
    }(std::make_index_sequence<N>{}), "a closed form's callable takes one argument per parameter name");
    ClosedForm<N, F> entry{name, equation, {}, evaluate};
    for (std::size_t i = 0; i < N; ++i) entry.parameters[i] = parameters[i];
    return entry;
}
}  // namespace detail

/// Every closed form of theory.hpp with inputs, in the order of that file.
inline constexpr auto catalogue = std::tuple{
    detail::closed_form("per_example_rate", "E3", {"eta_star", "batch_star"},
                        [](const auto&... a) { return per_example_rate(a...); }),
    detail::closed_form("scaled_rate", "E4", {"B", "batch_star", "eta_star"},
                        [](const auto&... a) { return scaled_rate(a...); }),
    detail::closed_form("gradient_confidence_radius", "E5", {"sigma", "B"},
                        [](const auto&... a) { return gradient_confidence_radius(a...); }),
    detail::closed_form("descent_bound", "E9", {"g", "D", "L"}, [](const auto&... a) { return descent_bound(a...); }),
    detail::closed_form("progress_bound", "E11", {"g", "sigma", "B", "L", "eta"},
                        [](const auto&... a) { return progress_bound(a...); }),
    detail::closed_form("vacuous_batch_threshold", "X4", {"sigma", "g"},
                        [](const auto&... a) { return vacuous_batch_threshold(a...); }),
    detail::closed_form("rate_at_batch", "E21", {"B", "g", "sigma", "L"},
                        [](const auto&... a) { return rate_at_batch(a...); }),
    detail::closed_form("guaranteed_decrease", "E22", {"eta", "g", "L"},
                        [](const auto&... a) { return guaranteed_decrease(a...); }),
    detail::closed_form("progress_per_example", "E23", {"B", "g", "sigma", "L"},
                        [](const auto&... a) { return progress_per_example(a...); }),
    detail::closed_form("optimal_batch", "E12", {"sigma", "g"}, [](const auto&... a) { return optimal_batch(a...); }),
    detail::closed_form("optimal_rate", "E12", {"L"}, [](const auto&... a) { return optimal_rate(a...); }),
    detail::closed_form("linear_scaled_rate", "E13", {"B", "g", "sigma", "L"},
                        [](const auto&... a) { return linear_scaled_rate(a...); }),
    detail::closed_form("capped_scaled_rate", "E13+X9", {"B", "g", "sigma", "L"},
                        [](const auto&... a) { return capped_scaled_rate(a...); }),
    detail::closed_form("lambda_eta_from_smoothness", "X10", {"B", "L"},
                        [](const auto&... a) { return lambda_eta_from_smoothness(a...); }),
    detail::closed_form("concentration_radius", "E26", {"b", "delta"},
                        [](const auto&... a) { return concentration_radius(a...); }),
    detail::closed_form("concentration_bound", "E26", {"b", "delta", "k"},
                        [](const auto&... a) { return concentration_bound(a...); }),
    detail::closed_form("vector_progress_bound", "E27", {"norm", "r", "k", "L", "eta"},
                        [](const auto&... a) { return vector_progress_bound(a...); }),
    detail::closed_form("vector_rate_at_batch", "E28", {"k", "norm", "r", "L"},
                        [](const auto&... a) { return vector_rate_at_batch(a...); }),
    detail::closed_form("optimal_k", "E29", {"r", "norm"}, [](const auto&... a) { return optimal_k(a...); }),
};

/// How many closed forms the catalogue lists.
inline constexpr std::size_t catalogue_size = std::tuple_size_v<std::remove_const_t<decltype(catalogue)>>;

/// Calls visit(entry) for every entry of the catalogue, in its order.
template <class Visit>
constexpr void visit_theory(Visit&& visit) {
    std::apply([&visit](const auto&... entry) { (visit(entry), ...); }, catalogue);
}

/// The entry's value with each argument looked up by its parameter name: argument(name)
/// returns the value (a T, or a const T&) of the parameter called name.
template <class Entry, class Argument>
auto evaluate_by_name(const Entry& entry, Argument&& argument) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return entry.evaluate(argument(entry.parameters[I])...);
    }(std::make_index_sequence<Entry::arity>{});
}

}  // namespace quench::theory

QUENCH_NO_CONTRACT_END
