// stepwise_engine.hpp - the stepwise verdict's inner loop over the coordinates of a step, as
// `compare` runs it: the model's regions (stepwise_model.hpp) in double, structure of arrays,
// a vectorised block loop (stepwise_lanes.hpp, bit-identical to check_step<double>) compiled
// for the x86-64 baseline and for AVX, chosen at run time, and the report's bookkeeping as
// per-quantity tallies. The slow path, only where needed: check_step<double> itself for the
// coordinates the branch-free form does not cover (flagged by the kernel), and
// StepwiseReport::offer for every coordinate of a run that holds a first value outside, a
// first unbounded region or a first wide region (the report's detail is built only there).
// No allocation per step; memory O(d): the carried state twice (before and after the step,
// so that the slow path can start again from the state before).
#pragma once

#include "reference_run.hpp"
#include "stepwise_model.hpp"
#include "stepwise_report.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace quench::oracle::stepwise {

class StepwiseEngine {
public:
    /// `k`: the model's constants for the candidate's precision (oracle type double);
    /// `full`: gt and st are recorded; `recorded`: the quantities the candidate records.
    StepwiseEngine(const Constants<double>& k, std::size_t dimension, bool full, const std::vector<Quantity>& recorded);
    /// Starts a run: the state before step 1, with phi0 as the candidate holds it.
    void reset(const std::vector<Box<double>>& phi0);
    /// Checks coordinates [first, first + n) of step t (steps from 1): `g` and rec[q] point
    /// at their n gradients and recorded values (rec[q] null: q not recorded); `decimal`:
    /// the gradients are doubles nearest decimals (JSON). The results go into `report`.
    void check(std::uint64_t t, const double* g, bool decimal, const double* const rec[quantity_count], std::size_t first,
               std::size_t n, StepwiseReport& report);
    /// Ends a step: the states computed by check() become the next step's.
    void finish_step();
    /// The instruction set of the block loop ("baseline", "avx" or "avx512"), from the core's
    /// choice (QUENCH_ISA=avx2 caps it at AVX, QUENCH_ISA=baseline or scalar at SSE2).
    static const char* isa_name();

private:
    static constexpr std::size_t fields = 10;  // mass, weight, gt, st, phi: lo and hi
    Constants<double> k_;
    std::size_t d_;
    bool full_;
    bool present_[quantity_count] = {};
    bool general_seen_ = false;  // the last check() had coordinates the fast kernel does not cover
    std::vector<double> state_;    // [2][fields][d]
    std::vector<double> general_;  // per coordinate: 1 when check_step must recompute it
    std::vector<double> zeros_;    // stands in for records that are absent
    double* in_[fields] = {};
    double* out_[fields] = {};
    Carried<double> carried(std::size_t i) const;
    void store(std::size_t i, const Carried<double>& c);
    Recorded<double> recorded(const double* const rec[quantity_count], std::size_t j) const;
};

}  // namespace quench::oracle::stepwise
