// Containment, Arb style (docs/design.md): for every closed form of the core and for whole
// trajectories of the algorithm, the enclosures computed in quench::rigorous_interval and
// in MPFI (40 digits) must contain the value computed in MPFR at 300 digits on the same
// (exactly representable) inputs. A throw in an interval type where the reference does not
// throw is not wrong (an enclosure may give up) and counts as undecided.
#include "core_functions.hpp"
#include "rigorous.hpp"

#include <quench/interval.hpp>

#include <boost/multiprecision/mpfr.hpp>

#include <sstream>

namespace {

using namespace quench::props;
using I = quench::rigorous_interval;
using reference = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<300>, boost::multiprecision::et_off>;

/// Is the reference value inside the enclosure? Fails with a message when certainly not.
template <class T>
Verdict contains_reference(const T& enclosure, const reference& value, std::ostringstream& why, const char* what) {
    if (quench::contains<reference>(enclosure, value)) return Verdict::holds;
    why << what << ": [" << quench::lower(enclosure) << ", " << quench::upper(enclosure)
        << "] does not contain " << std::setprecision(40) << value << '\n';
    return Verdict::violated;
}

}  // namespace

// Every closed form of quench::theory on each generated input (1000 inputs each).
QUENCH_PROPERTY(Containment, every_closed_form_on_the_same_inputs, case_count(), ()) {
    const auto x = *theory_inputs();
    Verdict v = Verdict::holds;
    std::ostringstream why;
    why << x << '\n';
    quench::theory::visit_theory([&](const auto& entry) {
        reference expected;
        try {
            expected = evaluate_theory<reference>(entry, x);
        } catch (const quench::invalid_input&) {
            return;
        }
        why << theory_function_name(entry) << '\n';
        try {
            v = both(v, contains_reference(evaluate_theory<I>(entry, x), expected, why, "rigorous_interval"));
        } catch (const std::exception&) {
            v = both(v, Verdict::undecided);
        }
        try {
            v = both(v, contains_reference(evaluate_theory<hp>(entry, x), expected, why, "mpfi_40"));
        } catch (const std::exception&) {
            v = both(v, Verdict::undecided);
        }
    });
    record(v);
    RC_LOG() << why.str();
    RC_ASSERT(v != Verdict::violated);
}

// Whole trajectories of step(): phi, eta, Bstar, gt and var after every step.
QUENCH_PROPERTY(Containment, trajectories, case_count(), ()) {
    const auto t = *trajectory();
    std::vector<StepRecord<reference>> expected;
    try {
        expected = run_trajectory<reference>(t);
    } catch (const std::exception& e) {
        // An MPFR variance floor of 1/min() would overflow (eta = 0 * inf);
        // the floor max(min, 1/max) avoids that. Any exception left is counted and logged.
        record_reference_exception();
        RC_LOG() << "reference threw: " << e.what() << '\n';
        return;
    }
    Verdict v = Verdict::holds;
    std::ostringstream why;
    auto check = [&](const auto& records, const char* type) {
        for (std::size_t s = 0; s < records.size(); ++s)
            for (std::size_t o = 0; o < trajectory_output_names.size(); ++o)
                for (int i = 0; i < t.d; ++i) {
                    std::ostringstream what;
                    what << type << " step " << s + 1 << ' ' << trajectory_output_names[o] << '[' << i << ']';
                    v = both(v, contains_reference(output(records[s], o)[i], output(expected[s], o)[i], why,
                                                   what.str().c_str()));
                }
    };
    try {
        check(run_trajectory<I>(t), "rigorous_interval");
    } catch (const std::exception&) {
        v = both(v, Verdict::undecided);
    }
    try {
        check(run_trajectory<hp>(t), "mpfi_40");
    } catch (const std::exception&) {
        v = both(v, Verdict::undecided);
    }
    record(v);
    RC_LOG() << why.str();
    RC_ASSERT(v != Verdict::violated);
}
