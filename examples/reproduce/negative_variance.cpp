// Section 4 of quench-reproduce: erratum X8, the literal slides' running "variance"
// st - gt^2 going negative.
//
// The literal rules (Options::literal(): weight B/B* unclamped) average with weight
// w = B/B*(t) > 1 as soon as B*(t) < B. In exact arithmetic
//     st' - gt'^2 = (1 - w)(st - gt^2) + w (1 - w)(gt - ghat)^2,
// and both terms are negative for w > 1. The demonstration feeds the same gradients (a
// linear loss with noisy gradients 1 + 0.1 z) to the core with the literal options in
// double and in 50-digit MPFR (so rounding is not the cause), and with the default
// options (X8 clamp, X14 limit), whose variance stays >= 0.
#include "report.hpp"

#include "random_deviates.hpp"

#include "quench/quench.hpp"

#include <boost/multiprecision/mpfr.hpp>

#include <exception>
#include <sstream>
#include <vector>

namespace quench::reproduce {
namespace {

using M = boost::multiprecision::mpfr_float_50;

struct Trace {
    std::vector<double> variance, weight;
    std::string stopped;  // the core's error message, if it stopped the run
};

/// Runs `steps` steps on one coordinate and records var (E16, unclamped for literal
/// options) and the weight w = B/B* used for the next gradient.
template <class T>
Trace run(const Hyperparameters<T>& h, const std::vector<double>& gradients) {
    Trace tr;
    State<T> state(1, h);
    std::vector<T> phi{T(0)};
    for (double g : gradients) {
        const std::vector<T> ghat{T(g)};
        try {
            step<T>(state, h, ghat, phi);
        } catch (const std::exception& e) {
            tr.stopped = e.what();
            break;
        }
        tr.variance.push_back(static_cast<double>(running_variance(state, h, 0)));
        tr.weight.push_back(static_cast<double>(state.weight[0]));
    }
    return tr;
}

template <class T>
Hyperparameters<T> literal_hyper(double B, std::uint64_t K) {
    Hyperparameters<T> h;
    h.batch_size = T(B);
    h.warmup = K;
    h.lambda_batch = quench::theory::lambda_batch_from_theory<T>();           // E12
    h.lambda_rate = quench::theory::lambda_eta_from_smoothness(T(B), T(1));   // X10, L = 1
    h.options = Options<T>::literal();
    h.validate();
    return h;
}

}  // namespace

void negative_variance_section(const Config& config, Report& report) {
    const double B = 4;
    const std::uint64_t K = 10, steps = 30;
    examples::Random rng(config.seed + 4);
    std::vector<double> gradients(steps);
    for (auto& g : gradients) g = 1 + 0.1 * rng.normal();

    const Trace literal_double = run(literal_hyper<double>(B, K), gradients);
    const Trace literal_mpfr = run(literal_hyper<M>(B, K), gradients);
    const Trace clamped = run(Hyperparameters<double>::from_smoothness(B, 1.0, K), gradients);

    std::ostringstream csv;
    csv << "t,ghat,literal_var_double,literal_var_mpfr50,literal_next_weight,default_var,default_next_weight\n";
    std::size_t first_negative = 0, negative_steps = 0, sign_agreement = 0, compared = 0, default_negative = 0;
    for (std::size_t t = 0; t < steps; ++t) {
        csv << t + 1 << ',' << gradients[t] << ',';
        if (t < literal_double.variance.size()) {
            const double v = literal_double.variance[t];
            csv << v;
            if (v < 0) {
                ++negative_steps;
                if (!first_negative) first_negative = t + 1;
            }
        }
        csv << ',';
        if (t < literal_mpfr.variance.size()) {
            csv << literal_mpfr.variance[t];
            if (t < literal_double.variance.size()) {
                ++compared;
                sign_agreement += (literal_mpfr.variance[t] < 0) == (literal_double.variance[t] < 0);
            }
        }
        csv << ',' << (t < literal_double.weight.size() ? literal_double.weight[t] : 0.0) << ',';
        if (t < clamped.variance.size()) {
            csv << clamped.variance[t] << ',' << clamped.weight[t];
            default_negative += clamped.variance[t] < 0;
        }
        csv << '\n';
    }
    report.out().write("negative_variance.csv", csv.str());

    std::string rows;
    for (std::size_t t = K - 1; t < std::min<std::size_t>(K + 5, literal_double.variance.size()); ++t)
        rows += format("| %zu | %.4f | %.4g | %.4g | %.4g | %.4g |\n", t + 1, gradients[t], literal_double.weight[t],
                       literal_double.variance[t],
                       t < literal_mpfr.variance.size() ? literal_mpfr.variance[t] : 0.0, clamped.variance[t]);
    report.markdown(format(
        "## 4. The literal running variance goes negative (X8)\n\n"
        "One coordinate, B = %.0f, K = %llu, gradients 1 + 0.1 z (z standard normal). After warm-up the literal "
        "B*(t) = 16 var/(gt^2 + eps) is far below B, so the literal weight B/B* exceeds 1 and "
        "st - gt^2 = (1 - w)(st - gt^2) + w(1 - w)(gt - ghat)^2 turns negative.\n\n"
        "| t | ghat | literal weight B/B* for t+1 | literal var (double) | literal var (MPFR 50 digits) | default var |\n"
        "|---|---|---|---|---|---|\n%s\n"
        "First negative literal variance at step %zu; %zu of %zu recorded literal steps negative; the "
        "double and 50-digit runs agree on the sign in %zu of %zu steps (not a rounding effect); the default "
        "options (X8 clamp, X14 limit) give %zu negative variances.%s Data: `negative_variance.csv`.\n\n",
        B, static_cast<unsigned long long>(K), rows.c_str(), first_negative, negative_steps,
        literal_double.variance.size(), sign_agreement, compared, default_negative,
        literal_double.stopped.empty() ? "" : (" The literal run was stopped by the core: \"" + literal_double.stopped + "\".").c_str()));
    report.summary(format("X8: literal variance negative from step %zu (%zu/%zu steps; MPFR agrees on the sign "
                          "in %zu/%zu); default options: %zu negative",
                          first_negative, negative_steps, literal_double.variance.size(), sign_agreement, compared,
                          default_negative));
    report.macro("XEightFirstNegative", std::to_string(first_negative));
    report.macro("XEightNegativeSteps", std::to_string(negative_steps));
    report.macro("XEightSteps", std::to_string(literal_double.variance.size()));
    report.macro("XEightSignAgreement", std::to_string(sign_agreement));
    report.macro("XEightCompared", std::to_string(compared));
    report.macro("XEightDefaultNegative", std::to_string(default_negative));
    report.macro("XEightBatch", format("%.0f", B));
    report.macro("XEightWarmup", std::to_string(K));
    report.claim("X8", "the literal weights drive st - gt^2 below zero, in double and in 50-digit MPFR alike",
                 first_negative > K && compared > 0 && sign_agreement == compared,
                 format("first negative at step %zu", first_negative));
    report.claim("X8-fixed", "the default options keep the running variance >= 0 on the same gradients",
                 default_negative == 0 && clamped.variance.size() == steps,
                 format("%zu negative of %zu", default_negative, clamped.variance.size()));
}

}  // namespace quench::reproduce
