// quench/trajectory_quantities.hpp - the per-coordinate quantities of a trajectory after
// each step: the one list that the oracle's reference run, its writers, its candidate reader
// and its schema test iterate over.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace quench {

/// A quantity of coordinate i after step t.
enum class Quantity {
    gt,     ///< running_mean: the bias-corrected running mean of the gradients (E15, X15)
    st,     ///< running_second_moment: the running mean of the squared gradients (E16)
    var,    ///< running_variance: st - gt^2, clamped at 0 under X11 (E16)
    Bstar,  ///< the step's output batch_star (E17), K during warm-up
    eta,    ///< the step's output eta (E18/E20), 0 during warm-up
    phi,    ///< the parameter after the step (E20)
};

struct QuantityInfo {
    Quantity quantity;
    const char* name;      ///< as the oracle's files and flags spell it
    const char* equation;  ///< where the specification defines it
};

/// Every quantity, in the order of the enumeration (trajectory files keep this order).
inline constexpr std::array<QuantityInfo, 6> trajectory_quantities{{
    {Quantity::gt, "gt", "E15"},
    {Quantity::st, "st", "E16"},
    {Quantity::var, "var", "E16"},
    {Quantity::Bstar, "Bstar", "E17"},
    {Quantity::eta, "eta", "E18"},
    {Quantity::phi, "phi", "E20"},
}};

/// The list's entry of q (the list is in enumeration order, checked below).
constexpr const QuantityInfo& quantity_info(Quantity q) {
    return trajectory_quantities[static_cast<std::size_t>(q)];
}

/// The quantity named `name`; false when there is none.
constexpr bool parse_quantity(std::string_view name, Quantity& q) {
    for (const QuantityInfo& info : trajectory_quantities)
        if (name == info.name) {
            q = info.quantity;
            return true;
        }
    return false;
}

namespace detail {
constexpr bool quantities_in_enumeration_order() {
    for (std::size_t i = 0; i < trajectory_quantities.size(); ++i)
        if (static_cast<std::size_t>(trajectory_quantities[i].quantity) != i) return false;
    return true;
}
static_assert(quantities_in_enumeration_order(), "trajectory_quantities must follow enum Quantity");
}  // namespace detail

}  // namespace quench
