// The interface between consumer_fast_contract_core.cpp (the core as a program that includes
// the headers with its own flags would compile it: -O2 -ffp-contract=fast -march=native,
// without quench::core's -ffp-contract=off) and consumer_fast_contract_test.cpp (compiled
// as usual, with the literal transcription). Plain types only: the test's translation unit
// must not instantiate the core, or the linker could pick its copy for both.
#pragma once

#include "literal_transcription.hpp"

#include <cstddef>
#include <cstdint>

namespace consumer {

struct Setting {
    double batch, lambda_batch, lambda_rate, epsilon;
    bool bias, clamp_weight, clamp_variance, per_example;
    double max_weight;  // <= 0: no limit
    double eta_max;     // <= 0: no cap
};

/// The StepConstants the core computes for `s` (warm-up K = 1).
certified_test::Knobs knobs(const Setting& s);

/// One public quench::step on d coordinates whose state is (m, v, c, w) after t > 1 steps,
/// updated in place with phi. `generic`: ask for eta (the generic loop), else no outputs
/// (the vectorised kernel for double). eta may be null unless generic.
void step(const Setting& s, std::size_t d, std::uint64_t t, double* m, double* v, double* c,
          double* w, const double* g, double* phi, bool generic, double* eta);

/// quench::running_variance of a one-coordinate state.
double running_variance(const Setting& s, double m, double v, double c);

/// True when this translation unit was compiled with FMA instructions available (__FMA__).
bool fma_available();

/// a * b + c written in that translation unit's own code (outside the core): fused there.
double user_multiply_add(double a, double b, double c);

}  // namespace consumer
