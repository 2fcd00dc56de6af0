// module.cpp - quench._core, the compiled half of the Python package `quench`.
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
    m.doc() = "quench._core: quenching SGD's C++ core, closed forms and reference oracle";
    quench::python::bind_core(m);
    pybind11::module_ theory = m.def_submodule("theory", "The closed forms of quench::theory (E3-E29), in double");
    quench::python::bind_theory(theory);
    quench::python::bind_oracle(m);
}
