// Cross-precision: the double results of every closed form and of whole trajectories against
// mpfr_float_100 on the same inputs. The certified error bounds are a later issue
// (proofs/rounding/); until then the observed error is REPORTED in ulps of double (per
// function, with the input that produced the maximum), not judged against a tolerance.
// The verdicts that need no tolerance: double throws exactly when MPFR throws (the domain
// checks see the same values), a double result is never NaN, and optimal_rate = 1/(2L) is
// one correctly rounded division after an exact doubling, so it is within half an ulp
// (IEEE 754; the inputs stay far from overflow and underflow).
#include "core_functions.hpp"
#include "harness.hpp"

#include <boost/multiprecision/mpfr.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <string>

namespace {

using namespace quench::props;
using mpfr100 = boost::multiprecision::mpfr_float_100;

/// |x - ref| in ulps of double at ref (the spacing of doubles at |ref| rounded to double).
double ulp_error(double x, const mpfr100& ref) {
    const double r = static_cast<double>(ref);
    if (!std::isfinite(x) || !std::isfinite(r)) return x == r ? 0.0 : std::numeric_limits<double>::infinity();
    const double a = std::fabs(r);
    const double ulp = a == 0 ? std::numeric_limits<double>::denorm_min()
                              : std::nextafter(a, std::numeric_limits<double>::infinity()) - a;
    return static_cast<double>(boost::multiprecision::abs(mpfr100(x) - ref) / mpfr100(ulp));
}

/// The largest observed error per quantity, with the input that produced it.
struct Worst {
    double ulps = 0;
    std::string where;
    long samples = 0;
};
std::map<std::string, Worst>& worst() {
    static std::map<std::string, Worst> w;
    return w;
}
void observe(const std::string& what, double ulps, const std::string& where) {
    Worst& w = worst()[what];
    ++w.samples;
    if (ulps > w.ulps || w.where.empty()) w.ulps = ulps, w.where = where;
}
void report(const char* prefix) {
    std::cout << "[cross-precision] observed max |double - mpfr_float_100| in ulps (no tolerance; see README):\n";
    for (const auto& [what, w] : worst()) {
        std::cout << "  " << std::setw(36) << std::left << what << std::setprecision(4) << w.ulps << " ulps over "
                  << w.samples << " values; worst at " << w.where << '\n';
        std::string key = std::string(prefix) + what;
        std::replace_if(key.begin(), key.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
        ::testing::Test::RecordProperty(key, std::to_string(w.ulps));
    }
    std::cout.flush();
    worst().clear();
}

}  // namespace

// The property bodies; each TEST below runs one and then prints what it observed (ctest
// runs every test in its own process, so the report belongs to the same test).
static void closed_forms_double_vs_mpfr100() {
    const auto x = *theory_inputs();
    std::ostringstream where;
    where << x;
    for (std::size_t f = 0; f < theory_function_names.size(); ++f) {
        bool ref_threw = false, dbl_threw = false;
        mpfr100 expected;
        double got = 0;
        try {
            expected = evaluate_theory<mpfr100>(f, x);
        } catch (const quench::invalid_input&) {
            ref_threw = true;
        }
        try {
            got = evaluate_theory<double>(f, x);
        } catch (const quench::invalid_input&) {
            dbl_threw = true;
        }
        RC_ASSERT(ref_threw == dbl_threw);  // the domain checks agree (Stan-style oracle)
        if (ref_threw) continue;
        RC_ASSERT(!std::isnan(got));        // never a silent NaN
        const double e = ulp_error(got, expected);
        if (f == 10) RC_ASSERT(e <= 0.5);   // optimal_rate: one correctly rounded division
        observe(theory_function_names[f], e, where.str());
    }
}

static void trajectories_double_vs_mpfr100() {
    const auto t = *trajectory();
    std::vector<StepRecord<mpfr100>> expected;
    std::vector<StepRecord<double>> got;
    bool ref_threw = false, dbl_threw = false, ref_overflow = false;
    try {
        expected = run_trajectory<mpfr100>(t);
    } catch (const quench::overflow_error&) {
        ref_threw = ref_overflow = true;
    } catch (const std::exception&) {
        ref_threw = true;
    }
    try {
        got = run_trajectory<double>(t);
    } catch (const std::exception&) {
        dbl_threw = true;
    }
    // Known core bug (reported): for mpfr types the variance floor numeric_limits::min() has
    // an infinite reciprocal, so a coordinate whose gradients were all exactly 0 gets
    // eta = 0 * inf = NaN after warm-up and step() throws overflow_error; double does not.
    if (ref_overflow && !dbl_threw) {
        record_hypothesis_unmet();
        return;
    }
    RC_ASSERT(ref_threw == dbl_threw);
    if (ref_threw) return;
    std::ostringstream where;
    where << t;
    for (std::size_t s = 0; s < got.size(); ++s)
        for (std::size_t o = 0; o < trajectory_output_names.size(); ++o)
            for (int i = 0; i < t.d; ++i) {
                const double value = output(got[s], o)[i];
                RC_ASSERT(!std::isnan(value));
                observe(std::string("trajectory ") + trajectory_output_names[o] + (s < t.K ? " (warm-up)" : ""),
                        ulp_error(value, output(expected[s], o)[i]), where.str());
            }
}

TEST(CrossPrecision, closed_forms_double_vs_mpfr100) {
    run_property("CrossPrecision/closed_forms_double_vs_mpfr100", &closed_forms_double_vs_mpfr100, case_count());
    ASSERT_FALSE(worst().empty());
    report("max_ulps_");
}

TEST(CrossPrecision, trajectories_double_vs_mpfr100) {
    run_property("CrossPrecision/trajectories_double_vs_mpfr100", &trajectories_double_vs_mpfr100, case_count());
    ASSERT_FALSE(worst().empty());
    report("max_ulps_trajectory_");
}
