// stepwise_report.hpp - what the stepwise verdict tells the user: per quantity the number
// of values checked and outside, the worst position in the admissible region (in units of
// the model's bound: 1 = at the region's edge), and for the first value outside its step in
// full: every quantity of that coordinate, inside or not, with its ratio to the reference,
// so that the formula that is off can be seen. As text and as JSON.
#pragma once

#include "reference_run.hpp"
#include "stepwise_model.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace quench::oracle {

class StepwiseReport {
public:
    StepwiseReport(stepwise::CandidatePrecision precision, bool full, std::vector<Quantity> recorded);
    /// One coordinate's checks of step t (R: the oracle's interval type, stepwise_box.hpp).
    template <class R>
    void offer(std::uint64_t t, std::size_t i, const stepwise::Recorded<R>& rec, const stepwise::StepChecks<R>& checks);
    /// One quantity's summary over a run of coordinates of one step, as offer() would
    /// accumulate it value by value (the engine's bulk path, stepwise_engine.hpp).
    struct Tally {
        std::uint64_t values = 0, outside = 0, unbounded = 0;
        std::uint64_t loose = 0;           // bounded regions wider than 1e-3 (relative)
        double worst = -1;                 // the largest bound_units of a bounded value; -1: none
        std::size_t worst_coordinate = 0;  // the first coordinate with it
        double widest = 0;                 // the widest bounded region relative to its midpoint
        /// Adds the later coordinates' tally `b` (or earlier ones: the first coordinate with the
        /// largest value is kept either way).
        void merge(const Tally& b);
    };
    using Tallies = std::array<Tally, quantity_count>;
    /// Adds the checks of one coordinate to the tallies (what offer() counts).
    template <class R>
    static void tally(Tallies& t, std::size_t i, const stepwise::Recorded<R>& rec, const stepwise::StepChecks<R>& checks);
    /// Would offering these values one by one record more than add() does (a first value
    /// outside, a first unbounded region, a first region wider than 1e-3)? Then the caller
    /// offers them one by one instead: the detail is built only there.
    bool needs_detail(const Tallies& t) const;
    /// Adds one step's tallies of coordinates that needs_detail() passed.
    void add(std::uint64_t t, const Tallies& tallies);
    /// exit_ok, exit_disagree, or exit_no_verdict (some region was unbounded).
    int status() const;
    std::string text(std::uint64_t steps, std::size_t dimension) const;
    std::string json(std::uint64_t steps, std::size_t dimension) const;

    /// One quantity at one (step, coordinate).
    struct Entry {
        bool checked = false, inside = true, bounded = true;
        double candidate = 0;
        stepwise::Check<long double> check;
    };

private:
    struct PerQuantity {
        std::uint64_t values = 0, outside = 0, unbounded = 0;
        double worst = 0;  // the largest bound_units
        double widest = 0;  // the widest region relative to its midpoint's magnitude
        std::uint64_t loose_step = 0;  // the first step with a region wider than 1e-3 relative
        std::size_t loose_coordinate = 0;
        std::uint64_t worst_step = 0;
        std::size_t worst_coordinate = 0;
    };
    struct FirstOutside {
        std::uint64_t step = 0;
        std::size_t coordinate = 0;
        Quantity quantity = Quantity::gt;
        std::array<Entry, quantity_count> entries;
    };
    stepwise::CandidatePrecision precision_;
    bool full_;
    std::vector<Quantity> recorded_;
    std::array<PerQuantity, quantity_count> per_;
    std::optional<FirstOutside> first_;
    std::optional<std::pair<std::uint64_t, Quantity>> first_unbounded_;
};

}  // namespace quench::oracle
