// theory_bindings.cpp - the closed forms of quench::theory (E3-E29, with the errata's
// corrections) in double. Out-of-domain inputs raise InvalidInputError, values beyond
// double's range QuenchOverflowError (the core's own checks).
#include "bindings.hpp"

#include <quench/theory.hpp>

namespace py = pybind11;
namespace th = quench::theory;

namespace quench::python {

void bind_theory(py::module_& m) {
    using py::arg;
    m.def("per_example_rate", &th::per_example_rate<double>, arg("eta_star"), arg("batch_star"), "E3: eta* / B*");
    m.def("scaled_rate", &th::scaled_rate<double>, arg("B"), arg("batch_star"), arg("eta_star"), "E4: (B/B*) eta*");
    m.def("gradient_confidence_radius", &th::gradient_confidence_radius<double>, arg("sigma"), arg("B"),
          "E5: 2 sigma / sqrt(B) (a heuristic, X12)");
    m.def("descent_bound", &th::descent_bound<double>, arg("g"), arg("D"), arg("L"), "E9/E10: -g D + L D^2/2");
    m.def("progress_bound", &th::progress_bound<double>, arg("ghat"), arg("sigma"), arg("B"), arg("L"), arg("eta"),
          "E11: the bound on the change of the loss");
    m.def("vacuous_batch_threshold", &th::vacuous_batch_threshold<double>, arg("sigma"), arg("ghat"),
          "X4: 4 sigma^2 / ghat^2");
    m.def("rate_at_batch", &th::rate_at_batch<double>, arg("B"), arg("ghat"), arg("sigma"), arg("L"),
          "E21: eta*(B), negative below the X4 threshold");
    m.def("guaranteed_decrease", &th::guaranteed_decrease<double>, arg("eta"), arg("ghat"), arg("L"),
          "E22: (L/2) eta^2 ghat^2");
    m.def("progress_per_example", &th::progress_per_example<double>, arg("B"), arg("ghat"), arg("sigma"), arg("L"),
          "E23: eta*(B)^2 / B");
    m.def("optimal_batch", &th::optimal_batch<double>, arg("sigma"), arg("g"), "E12: 16 sigma^2 / g^2");
    m.def("optimal_rate", &th::optimal_rate<double>, arg("L"), "E12: 1/(2L)");
    m.def("linear_scaled_rate", &th::linear_scaled_rate<double>, arg("B"), arg("g"), arg("sigma"), arg("L"),
          "E13: B g^2 / (32 sigma^2 L)");
    m.def("capped_scaled_rate", &th::capped_scaled_rate<double>, arg("B"), arg("g"), arg("sigma"), arg("L"),
          "E13 + X9: min(B g^2/(32 sigma^2 L), 1/(2L))");
    m.def("lambda_batch_from_theory", &th::lambda_batch_from_theory<double>, "E12: lambda_B = 16");
    m.def("lambda_eta_from_smoothness", &th::lambda_eta_from_smoothness<double>, arg("B"), arg("L"),
          "X10: lambda_eta = B/(32 L)");
    m.def("concentration_radius", &th::concentration_radius<double>, arg("b"), arg("delta"),
          "E26 (X5): r = b (1 + sqrt(2 ln(1/delta)))");
    m.def("concentration_bound", &th::concentration_bound<double>, arg("b"), arg("delta"), arg("k"),
          "E26: r / sqrt(k)");
    m.def("vector_progress_bound", &th::vector_progress_bound<double>, arg("norm_ghat"), arg("r"), arg("k"), arg("L"),
          arg("eta"), "E27");
    m.def("vector_rate_at_batch", &th::vector_rate_at_batch<double>, arg("k"), arg("norm_ghat"), arg("r"), arg("L"),
          "E28 (X6): (1/L)(1 - r/(|ghat| sqrt(k)))");
    m.def("optimal_k", &th::optimal_k<double>, arg("r"), arg("norm_ghat"), "E29 (X7): (2r/|ghat|)^2");
}

}  // namespace quench::python
