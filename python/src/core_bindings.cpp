// core_bindings.cpp - Hyperparameters, Options, State and step() of the core for float32
// and float64 arrays. Arrays are borrowed through the buffer protocol (NumPy, or a torch
// tensor viewed by quench/_arrays.py), never copied; the step runs without the GIL.
//
// Hyper-parameters are held in double (one Python object for both dtypes); a float32 step
// rounds each value to float once, which is what Hyperparameters<float> with the same
// decimal values holds.
#include "bindings.hpp"

#include <quench/quench.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace py = pybind11;

namespace quench::python {
namespace {

using Hyper = Hyperparameters<double>;
using Opts = Options<double>;

template <class T>
std::optional<T> narrow(const std::optional<double>& x) {
    return x ? std::optional<T>(static_cast<T>(*x)) : std::nullopt;
}

template <class T>
Hyperparameters<T> convert(const Hyper& h) {
    if constexpr (std::is_same_v<T, double>) {
        return h;
    } else {
        Hyperparameters<T> r;
        r.batch_size = static_cast<T>(h.batch_size);
        r.warmup = h.warmup;
        r.lambda_batch = static_cast<T>(h.lambda_batch);
        r.lambda_rate = static_cast<T>(h.lambda_rate);
        r.epsilon = static_cast<T>(h.epsilon);
        // Every option, by the core's catalogue (visit_options), field by field of its name.
        visit_options(r.options, [&](const OptionInfo& to, auto& target) {
            visit_options(h.options, [&](const OptionInfo& from, const auto& source) {
                using Target = std::decay_t<decltype(target)>;
                using Source = std::decay_t<decltype(source)>;
                if (std::string_view(to.name) != from.name) return;
                if constexpr (std::is_same_v<Target, std::optional<T>> && std::is_same_v<Source, std::optional<double>>)
                    target = narrow<T>(source);
                else if constexpr (std::is_same_v<Target, Source>)
                    target = source;
            });
        });
        return r;
    }
}

template <class T>
const char* dtype_name() { return std::is_same_v<T, double> ? "float64" : "float32"; }

/// The contiguous T elements of `b`, checked: dtype, C order, writability, length.
template <class T>
std::span<T> borrow(const py::buffer& b, const char* name, bool writable, std::size_t length) {
    const py::buffer_info info = b.request();  // writability is checked below, by name
    if (info.item_type_is_equivalent_to<T>() == false) {
        std::ostringstream m;
        m << "quench.step: " << name << " must be " << dtype_name<T>() << " (the state's dtype), got format '"
          << info.format << "' of " << info.itemsize << " bytes";
        throw py::type_error(m.str());
    }
    py::ssize_t expected = info.itemsize;
    for (py::ssize_t k = info.ndim - 1; k >= 0; --k) {
        if (info.shape[k] != 1 && info.strides[k] != expected) {
            throw invalid_input(std::string("quench.step: ") + name +
                                " must be C-contiguous (the core reads it as one flat array)");
        }
        expected *= info.shape[k];
    }
    if (writable && info.readonly) throw invalid_input(std::string("quench.step: ") + name + " is read-only");
    const auto n = static_cast<std::size_t>(info.size);
    if (n != length) {
        std::ostringstream m;
        m << "quench: " << name << " has " << n << " entries, the state has " << length;
        throw invalid_input(m.str());
    }
    return {static_cast<T*>(info.ptr), n};
}

/// A NumPy view of one of the state's vectors, kept alive by the State object.
template <class T>
py::array_t<T> view(std::vector<T>& v, py::handle owner) {
    return py::array_t<T>({static_cast<py::ssize_t>(v.size())}, {static_cast<py::ssize_t>(sizeof(T))}, v.data(),
                          owner);
}

template <class T>
py::array_t<T> per_coordinate(const State<T>& s, auto&& f) {
    py::array_t<T> out(static_cast<py::ssize_t>(s.dimension()));
    auto o = out.template mutable_unchecked<1>();
    for (std::size_t i = 0; i < s.dimension(); ++i) o(static_cast<py::ssize_t>(i)) = f(i);
    return out;
}

template <class T>
void bind_state(py::module_& m, const char* name) {
    using S = State<T>;
    py::class_<S>(m, name, "Per-coordinate state of quenching SGD (the raw averages m, v, their mass c and the "
                           "next weight w; see quench_sgd.hpp). The array properties are views, not copies.")
        .def(py::init([](std::size_t dimension, const Hyper& h) { return S(dimension, convert<T>(h)); }),
             py::arg("dimension"), py::arg("hyper"))
        .def_property_readonly("dimension", &S::dimension)
        .def_property_readonly("dtype", [](const S&) { return py::dtype::of<T>(); })
        .def_readwrite("t", &S::t, "steps taken")
        .def_property_readonly("mean", [](py::object self) { return view(self.cast<S&>().mean, self); })
        .def_property_readonly("second", [](py::object self) { return view(self.cast<S&>().second, self); })
        .def_property_readonly("mass", [](py::object self) { return view(self.cast<S&>().mass, self); },
                               "c = 1 - prod(1 - w) (X15); empty without bias correction")
        .def_property_readonly("weight", [](py::object self) { return view(self.cast<S&>().weight, self); })
        .def("running_mean", [](const S& s) { return per_coordinate<T>(s, [&](std::size_t i) { return running_mean(s, i); }); },
             "gt (E15) per coordinate")
        .def("running_second_moment",
             [](const S& s) { return per_coordinate<T>(s, [&](std::size_t i) { return running_second_moment(s, i); }); },
             "st (E16) per coordinate")
        .def("running_variance",
             [](const S& s, const Hyper& h) {
                 const auto hh = convert<T>(h);
                 return per_coordinate<T>(s, [&](std::size_t i) { return running_variance(s, hh, i); });
             },
             py::arg("hyper"), "var = st - gt^2 (E16, X11 clamp) per coordinate")
        .def("batch_star",
             [](const S& s, const Hyper& h) {
                 const auto hh = convert<T>(h);
                 return per_coordinate<T>(s, [&](std::size_t i) { return batch_star(s, hh, i); });
             },
             py::arg("hyper"), "B* (E17) per coordinate after the last step")
        .def("__repr__", [](const S& s) {
            std::ostringstream r;
            r << "quench.State(dimension=" << s.dimension() << ", dtype=" << dtype_name<T>() << ", t=" << s.t << ")";
            return r.str();
        });

    m.def(
        "step",
        [](S& s, const Hyper& h, const py::buffer& grad, const py::buffer& param, const py::object& eta,
           const py::object& batch_star) {
            const auto hh = convert<T>(h);
            const std::size_t d = s.dimension();
            std::span<const T> g = borrow<T>(grad, "grad", false, d);
            std::span<T> p = borrow<T>(param, "param", true, d);
            StepOutputs<T> out;
            if (!eta.is_none()) out.eta = borrow<T>(eta.cast<py::buffer>(), "eta", true, d);
            if (!batch_star.is_none()) out.batch_star = borrow<T>(batch_star.cast<py::buffer>(), "batch_star", true, d);
            py::gil_scoped_release unlocked;
            quench::step<T>(s, hh, g, p, out);
        },
        py::arg("state"), py::arg("hyper"), py::arg("grad"), py::arg("param"), py::arg("eta") = py::none(),
        py::arg("batch_star") = py::none(),
        "One step of quenching SGD in place (docs/spec.md steps 1-6, E20): param -= eta * grad. Optional outputs eta and "
        "batch_star receive this step's rate and B*. Nothing is modified when it raises, except on OverflowError.");
}

std::string noise_name(NoiseStatistic n) { return n == NoiseStatistic::per_example ? "per_example" : "minibatch"; }

std::string optional_text(const std::optional<double>& x) {
    if (!x) return "None";
    std::ostringstream s;
    s.precision(17);
    s << *x;
    return s.str();
}

/// An option's value as Python spells it in a repr.
std::string option_text(bool flag) { return flag ? "True" : "False"; }
std::string option_text(const std::optional<double>& x) { return optional_text(x); }
std::string option_text(NoiseStatistic n) { return "Noise." + noise_name(n); }

/// Sets the option `name` of o from a Python value (cast to the field's type: a TypeError
/// names a wrong type); false when no option has that name.
bool set_option(Opts& o, const std::string& name, const py::handle& value) {
    bool found = false;
    visit_options(o, [&](const OptionInfo& info, auto& field) {
        if (name != info.name) return;
        found = true;
        using Field = std::decay_t<decltype(field)>;
        try {
            field = value.cast<Field>();
        } catch (const py::cast_error&) {
            throw py::type_error("quench.Options: option '" + name + "' cannot take " +
                                 std::string(py::str(py::repr(value))));
        }
    });
    return found;
}

/// Options whose field names and types are read, never their values.
const Opts option_catalogue{};

/// "[clamp_weight, max_weight, ...]", for error messages.
std::string option_names() {
    std::string names = "[";
    visit_options(option_catalogue, [&](const OptionInfo& info, const auto&) {
        if (names.size() > 1) names += ", ";
        names += info.name;
    });
    return names + "]";
}

}  // namespace

void bind_core(py::module_& m) {
    // Errors: the core's four exceptions, each a subclass of the Python error it means.
    static py::exception<invalid_hyperparameter> e_hyper(m, "InvalidHyperparameterError", PyExc_ValueError);
    static py::exception<invalid_input> e_input(m, "InvalidInputError", PyExc_ValueError);
    static py::exception<zero_variance_error> e_zero(m, "ZeroVarianceError", PyExc_ArithmeticError);
    static py::exception<overflow_error> e_over(m, "QuenchOverflowError", PyExc_OverflowError);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const invalid_hyperparameter& e) {
            py::set_error(e_hyper, e.what());
        } catch (const invalid_input& e) {
            py::set_error(e_input, e.what());
        } catch (const zero_variance_error& e) {
            py::set_error(e_zero, e.what());
        } catch (const overflow_error& e) {
            py::set_error(e_over, e.what());
        }
    });

    py::enum_<NoiseStatistic>(m, "Noise", "Which variance the formulas use (X13)")
        .value("per_example", NoiseStatistic::per_example)
        .value("minibatch", NoiseStatistic::minibatch);

    // The fields, their keyword arguments and the repr all iterate the core's catalogue of
    // options (quench::visit_options), so a new option needs no change here.
    py::class_<Opts> options(m, "Options",
                             "Deviations from the literal slides, one per erratum, and the tempering options "
                             "(README's options table). Options(**fields): unnamed fields keep the defaults");
    options
        .def(py::init([](const py::kwargs& fields) {
            Opts o;
            for (const auto& [key, value] : fields) {
                const std::string name = py::str(key);
                if (!set_option(o, name, value))
                    throw py::type_error("quench.Options: unknown option '" + name + "'; the options are " +
                                         option_names());
            }
            return o;
        }))
        .def_static("literal", &Opts::literal, "The slides exactly as written: every option off")
        .def_static(
            "names",
            [] {
                std::vector<std::string> names;
                visit_options(option_catalogue, [&](const OptionInfo& info, const auto&) { names.push_back(info.name); });
                return names;
            },
            "The options' names, in the core's order")
        .def("__repr__", [](const Opts& o) {
            std::ostringstream r;
            const char* separator = "";
            r << "quench.Options(";
            visit_options(o, [&](const OptionInfo& info, const auto& field) {
                r << separator << info.name << "=" << option_text(field);
                separator = ", ";
            });
            r << ")";
            return r.str();
        });
    visit_options(option_catalogue, [&](const OptionInfo& info, const auto& field) {
        using Field = std::decay_t<decltype(field)>;
        const std::string name = info.name;
        std::string doc = std::string(info.erratum) + " (README's options table)";
        if constexpr (std::is_same_v<Field, std::optional<double>>) doc += "; None: off";
        options.def_property(
            info.name,
            [name](const Opts& o) {
                py::object value;
                visit_options(o, [&](const OptionInfo& i, const auto& f) {
                    if (name == i.name) value = py::cast(f);
                });
                return value;
            },
            [name](Opts& o, const py::object& value) { set_option(o, name, value); }, doc.c_str());
    });

    py::class_<Hyper>(m, "Hyperparameters", "Meta-parameters of quenching SGD (E19, E20); validated when used")
        .def(py::init([](double batch_size, std::uint64_t warmup, double lambda_batch, double lambda_rate,
                         double epsilon, const Opts& options) {
                 Hyper h;
                 h.batch_size = batch_size;
                 h.warmup = warmup;
                 h.lambda_batch = lambda_batch;
                 h.lambda_rate = lambda_rate;
                 h.epsilon = epsilon;
                 h.options = options;
                 h.validate();
                 return h;
             }),
             py::kw_only(), py::arg("batch_size"), py::arg("warmup"), py::arg("lambda_batch") = 16.0,
             py::arg("lambda_rate"), py::arg("epsilon") = 1e-12, py::arg("options") = Opts{})
        .def_static("from_smoothness", &Hyper::from_smoothness, py::arg("B"), py::arg("L"), py::arg("K"),
                    py::arg("eps") = 1e-12,
                    "lambda_B = 16 (E12), lambda_eta = B/(32 L) (X10), eta_max = 1/(2 L) (X9), default options")
        .def("validate", [](const Hyper& h) {
            h.validate();
            convert<float>(h).validate();  // what a float32 step will use must be valid too
        })
        .def_readwrite("batch_size", &Hyper::batch_size, "B > 0")
        .def_readwrite("warmup", &Hyper::warmup, "K >= 1")
        .def_readwrite("lambda_batch", &Hyper::lambda_batch, "lambda_B > 0")
        .def_readwrite("lambda_rate", &Hyper::lambda_rate, "lambda_eta > 0")
        .def_readwrite("epsilon", &Hyper::epsilon, "eps > 0")
        .def_readwrite("options", &Hyper::options)
        .def("__repr__", [](const Hyper& h) {
            std::ostringstream r;
            r.precision(17);
            r << "quench.Hyperparameters(batch_size=" << h.batch_size << ", warmup=" << h.warmup
              << ", lambda_batch=" << h.lambda_batch << ", lambda_rate=" << h.lambda_rate << ", epsilon=" << h.epsilon
              << ", options=" << py::repr(py::cast(h.options)).cast<std::string>() << ")";
            return r.str();
        });

    bind_state<double>(m, "State64");
    bind_state<float>(m, "State32");
    m.def("largest_gradient64", &largest_gradient<double>, "sqrt(DBL_MAX)/2: the largest |grad| step() accepts");
    m.def("largest_gradient32", &largest_gradient<float>, "sqrt(FLT_MAX)/2: the largest |grad| step() accepts");
    m.def("active_kernel_isa", [] { return std::string(detail::kernel_isa_name(detail::active_kernel_isa())); },
          "the instruction set the fused float/double pass uses on this machine");
}

}  // namespace quench::python
