// centred_run.hpp - rigorous enclosures of the exact trajectory at N digits (MPFI) that stay
// tight over long traces: the core's quench::step on centred forms (centred_form.hpp),
// recentred every `window` steps. ExactEnclosure chooses between it and the plain interval
// run (quench::step on MPFI intervals, which widens geometrically on noisy traces).
//
// A window starts from a box X = xc + E of each coordinate's (m, D, c) (D = c v - m^2, E16),
// xc its midpoint: these are centred forms with centre xc, range X and slope e_j, and the
// core's state follows from them, v = (D + m^2)/c and, after warm-up, the weight through the
// core's own update (a step of weight 0 leaves the averages as they are and forms w from
// them). Every value the window computes is then enclosed by centre + sum_j S_j E_j (and by
// its range). At the end of the window the enclosures of m, D, c become the next box. Within
// a window the slopes carry the correlations of the state, so the width follows the exact
// trajectory's own sensitivity (which contracts: the averages forget their past by 1 - w per
// step) instead of interval arithmetic's absolute values. Recentring drops the correlation
// between m, D and c once per window, and the centre's own rounding errors grow like a plain
// interval run's within a window: windows of `default_window` steps balance the two.
//
// phi has no slope variable: at a recentre its enclosure becomes a constant of the next
// window (it never feeds back into the state), so its width grows only by the sum of the
// rate's widths times |g|.
#pragma once

#include "centred_form.hpp"
#include "reference_run.hpp"
#include "trace_reader.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace quench::oracle {

class CentredRun {
public:
    using value_type = mp_interval;
    /// Steps per window. Measured (benchmarks/enclosure_widths.py, d = 16, 10^4 noisy steps, 50
    /// digits): windows of 2 to 4 steps keep every enclosure below 1e-26 double ulps with the
    /// defaults and the literal options; 8 steps reach 1e-22, 16 steps 1e-14 (the centre's
    /// own rounding errors then grow as in a plain interval run); 1 step keeps no correlation
    /// across steps and is wider.
    static constexpr std::uint64_t default_window = 4;

    CentredRun(const TraceHeader& h, std::uint64_t window = default_window);
    /// One step with the (exact, decimal or double) gradient g; bad input as ReferenceRun.
    void step(std::span<const mp_interval> g, const std::string& where);
    std::uint64_t steps() const { return run_.steps(); }
    std::size_t dimension() const { return run_.dimension(); }
    /// The enclosures of the last step.
    const std::vector<mp_interval>& values(Quantity q) const { return values_[ReferenceRun<Centred>::index(q)]; }

private:
    void recentre();

    ReferenceRun<Centred> run_;
    quench::detail::StepConstants<Centred> constants_;  ///< forms the weight at a recentre
    std::uint64_t warmup_;
    std::uint64_t window_;
    std::vector<Centred> gradient_;
    /// Per coordinate, E = X - xc of the window's box (centred_form.hpp: m, D, c).
    std::vector<std::array<mp_interval, centred_variables>> box_;
    std::array<std::vector<mp_interval>, quantity_count> values_;
};

/// The exact enclosure of a trace by either method, with ReferenceRun's interface.
class ExactEnclosure {
public:
    using value_type = mp_interval;
    ExactEnclosure(const TraceHeader& h, EnclosureMethod method);
    void step(std::span<const mp_interval> g, const std::string& where);
    std::uint64_t steps() const;
    std::size_t dimension() const;
    const std::vector<mp_interval>& values(Quantity q) const;

private:
    std::variant<ReferenceRun<mp_interval>, CentredRun> run_;
};

}  // namespace quench::oracle
