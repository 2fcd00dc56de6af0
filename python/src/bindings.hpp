// bindings.hpp - the parts of quench._core, one file each: the core (State, step,
// Hyperparameters, Options, the exceptions), the closed forms, the oracle.
#pragma once

#include <pybind11/pybind11.h>

namespace quench::python {

void bind_core(pybind11::module_& m);
void bind_theory(pybind11::module_& m);
void bind_oracle(pybind11::module_& m);

}  // namespace quench::python
