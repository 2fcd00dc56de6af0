// quench/quench.hpp - everything of the core for point types. Include quench/interval.hpp
// or quench/mpfi.hpp as well for the rigorous interval types.
#pragma once

#include "quench/errors.hpp"
#include "quench/hyperparameters.hpp"
#include "quench/quench_sgd.hpp"
#include "quench/scalar.hpp"
#include "quench/theory.hpp"
#include "quench/theory_catalogue.hpp"
#include "quench/trajectory_quantities.hpp"
