// The certified rounding-error bounds of one step hold. For random double inputs
// inside each bound's hypotheses (quench/certified_bounds.hpp), the core's double result is
// compared with the exact real value of the same formula on the same inputs (mpfr at 333
// bits), and |error| <= bound is required. The worst |error|/bound is printed ("[certified]"
// lines). Inputs near cancellation (v ~ m^2/c, g ~ -(1 - w) m / w) are drawn on purpose.
#include "certified_common.hpp"

namespace {

using namespace certified_test;
namespace qc = quench::certified;
using quench::detail::StepConstants;
using quench::detail::update_coordinate;

/// Hyper-parameters whose factors lie in factor_range and eps in epsilon_range.
quench::Hyperparameters<double> hyper(Sampler& s, bool bias) {
    quench::Hyperparameters<double> h;
    h.batch_size = std::ldexp(1.0, std::uniform_int_distribution<int>(0, 10)(s.engine()));
    h.lambda_batch = s.magnitude({0x1p-8, 0x1p8});
    h.lambda_rate = s.magnitude({0x1p-30, 0x1p20});
    h.epsilon = s.magnitude({0x1p-100, 0x1p0});
    h.options.bias_correction = bias;
    if (s.coin()) h.options.eta_max = s.magnitude({0x1p-10, 0x1p10});
    if (s.coin()) h.options.max_weight.reset();
    h.validate();
    return h;
}

struct Inputs {
    double g, m, v, c, w;
};

/// Inputs inside the hypotheses of every per-formula bound; a third of the draws put the
/// new mean or the variance near cancellation.
Inputs inputs(Sampler& s, bool bias) {
    Inputs x{};
    x.w = s.magnitude({0x1p-40, 0.5});
    x.c = bias ? s.magnitude({0x1p-40, 1.0}) : 1.0;
    x.m = s.signed_value({0x1p-100, 0x1p100});
    x.g = s.signed_value({0x1p-100, 0x1p100});
    x.v = s.magnitude({0x1p-200, 0x1p200});
    const double pick = s.uniform(0, 1);
    if (pick < 0.33) {
        x.v = (x.m * x.m / x.c) * s.uniform(1.0, 1.0 + 1e-9);  // D = c v - m^2 cancels
        x.g = std::ldexp(x.g, -std::ilogb(x.g) + std::ilogb(x.m));  // comparable sizes
    } else if (pick < 0.5) {
        x.g = -(1 - x.w) * x.m / x.w * s.uniform(1 - 1e-9, 1 + 1e-9);  // m' cancels
        if (!qc::value_range.contains(std::abs(x.g))) x.g = x.m;
    }
    return x;
}

exact_t X(double d) { return exact_t(d); }

template <bool Bias>
void per_formula(std::uint64_t seed) {
    const char* tag = Bias ? " (bias correction)" : " (no bias correction)";
    WorstRatio mass(std::string("X15 mass c'") + tag), mean(std::string("E15 mean m'") + tag),
        second(std::string("E16 second v'") + tag), variance(std::string("E16/X11 D = c v - m^2") + tag),
        rate(std::string("E18/E20 eta") + tag), weight(std::string("E17 weight w") + tag),
        star(std::string("E17 reported Bstar") + tag), param(std::string("E20 phi' = phi - eta g") + tag);
    Sampler s(seed);
    for (int i = 0; i < samples; ++i) {
        const auto h = hyper(s, Bias);
        const StepConstants<double> k(h);
        const Inputs x = inputs(s, Bias);
        const auto u = update_coordinate<double, false, Bias>(k, x.g, x.m, x.v, x.c, x.w);
        const exact_t w = X(x.w), c = X(x.c), m = X(x.m), v = X(x.v), g = X(x.g);
        // Per-formula bounds: the inputs are the doubles each formula reads.
        if (Bias) mass.check(u.mass, (1 - w) * c + w, qc::mass_rel * ((1 - w) * c + w));
        else mass.check(u.mass, exact_t(1), exact_t(0));  // c = 1 exactly without X15
        mean.check(u.mean, (1 - w) * m + w * g, qc::mean_abs * ((1 - w) * abs(m) + w * abs(g)));
        second.check(u.second, (1 - w) * v + w * g * g, qc::second_rel * ((1 - w) * v + w * g * g));
        const exact_t c1 = X(u.mass), v1 = X(u.second), m1 = X(u.mean);
        const bool in_range = qc::value_range.contains(std::abs(u.mean)) &&
                              qc::second_range.contains(u.second) &&
                              (!Bias || qc::mass_range.contains(u.mass));
        if (!in_range) continue;
        exact_t D = c1 * v1 - m1 * m1;
        if (D < 0) D = 0;
        variance.check(u.scaled_variance, D, qc::variance_abs * (c1 * v1 + m1 * m1));
        const double Dd = std::max(u.scaled_variance, std::numeric_limits<double>::min());
        if (!qc::divisor_range.contains(Dd)) continue;
        const exact_t dd = X(Dd), c2 = Bias ? c1 * c1 : exact_t(1);
        exact_t eta = X(k.rate_factor) * m1 * m1 / dd;
        if (k.eta_max && X(*k.eta_max) < eta) eta = X(*k.eta_max);
        rate.check(u.eta, eta, qc::rate_rel * eta);
        exact_t wn = X(k.weight_factor) * (m1 * m1 + X(k.epsilon) * c2) / dd;
        if (wn > 1) wn = 1;
        if (k.max_weight && X(*k.max_weight) < wn) wn = X(*k.max_weight);
        weight.check(u.weight, wn, qc::weight_rel * wn);
        if (u.scaled_variance > 0 && qc::divisor_range.contains(u.scaled_variance)) {
            const exact_t bs = X(k.batch_factor) * X(u.scaled_variance) / (m1 * m1 + X(k.epsilon) * c2);
            star.check(quench::detail::reported_batch_star<double, false, Bias>(k, u), bs,
                       qc::batch_star_rel * bs);
        }
        // E20 through the public step() on a one-coordinate state (same inputs).
        if (u.eta > 0 && qc::eta_range.contains(u.eta)) {
            quench::State<double> st(1, h);
            st.t = h.warmup;
            st.mean[0] = x.m;
            st.second[0] = x.v;
            if (Bias) st.mass[0] = x.c;
            st.weight[0] = x.w;
            const double phi0 = s.signed_value({0x1p-100, 0x1p100});
            double phi[1] = {phi0};
            const double ghat[1] = {x.g};
            double eta_out[1];
            quench::step<double>(st, h, ghat, phi, {eta_out, {}});
            const exact_t p = X(phi0), e = X(eta_out[0]);
            param.check(phi[0], p - e * g, qc::parameter_abs * (abs(p) + abs(e * g)));
        }
    }
}

TEST(CertifiedStepBounds, PerFormulaWithBiasCorrection) { per_formula<true>(101); }
TEST(CertifiedStepBounds, PerFormulaWithoutBiasCorrection) { per_formula<false>(102); }

/// The accessors gt = m/c, st = v/c and var = D/(c c) (accessor_*.g).
TEST(CertifiedStepBounds, Accessors) {
    WorstRatio gt("running_mean gt = m/c"), sm("running_second_moment st = v/c"),
        var("running_variance var = D/c^2 (given D)");
    Sampler s(103);
    quench::Hyperparameters<double> h;
    quench::State<double> st(1, h);
    st.t = 5;
    for (int i = 0; i < samples; ++i) {
        const double m = s.signed_value(qc::accessor_range), v = s.magnitude(qc::accessor_range);
        const double c = s.magnitude(qc::mass_range);
        st.mean[0] = m;
        st.second[0] = v;
        st.mass[0] = c;
        gt.check(quench::running_mean(st, 0), X(m) / X(c), qc::running_mean_rel * abs(X(m) / X(c)));
        sm.check(quench::running_second_moment(st, 0), X(v) / X(c), qc::running_mean_rel * X(v) / X(c));
        double D = c * v - m * m;  // the double D the accessor divides (bit-identity test)
        if (D > 0 && qc::accessor_range.contains(D)) {
            const exact_t e = X(D) / (X(c) * X(c));
            var.check(quench::running_variance(st, h, 0), e, qc::running_variance_rel * e);
        }
    }
}

/// One step from exact inputs (the state before the step): the composed bounds of
/// README.md "Per-step bounds" for D, eta, the weight and phi, with the condition numbers
/// kappa_M, kappa_D, kappa_N computed exactly. Prints the largest kappa_D where the bound
/// still applied.
template <bool Bias>
void per_step(std::uint64_t seed) {
    const char* tag = Bias ? " (bias correction)" : " (no bias correction)";
    WorstRatio var(std::string("step: D vs exact D*") + tag), rate(std::string("step: eta vs exact eta*") + tag),
        weight(std::string("step: w vs exact w*") + tag), param(std::string("step: phi vs exact phi*") + tag);
    Sampler s(seed);
    double worst_kappa = 0;
    for (int i = 0; i < samples; ++i) {
        auto h = hyper(s, Bias);
        h.options.eta_max.reset();  // compare the formula itself (min cannot increase the error)
        h.options.max_weight.reset();
        h.options.clamp_weight = false;
        const StepConstants<double> k(h);
        const Inputs x = inputs(s, Bias);
        const auto u = update_coordinate<double, false, Bias>(k, x.g, x.m, x.v, x.c, x.w);
        if (!qc::value_range.contains(std::abs(u.mean)) || !qc::second_range.contains(u.second) ||
            !qc::divisor_range.contains(u.scaled_variance))
            continue;
        const exact_t w = X(x.w), c = X(x.c), m = X(x.m), v = X(x.v), g = X(x.g);
        const exact_t C = Bias ? (1 - w) * c + w : exact_t(1), M = (1 - w) * m + w * g,
                      V = (1 - w) * v + w * g * g, Dx = C * V - M * M;
        if (!(Dx > 0)) continue;
        const exact_t Sm = (1 - w) * abs(m) + w * abs(g);
        const exact_t dscale = C * V + Sm * Sm;
        var.check(u.scaled_variance, Dx, qc::step_variance_abs * dscale);
        const exact_t kD = dscale / Dx, dD = qc::step_variance_abs * kD;
        if (!(dD < exact_t(0.5)) || M == 0) continue;
        worst_kappa = std::max(worst_kappa, static_cast<double>(kD));
        const exact_t kM = Sm / abs(M), eps = X(k.epsilon);
        const exact_t eta_x = X(k.rate_factor) * M * M / Dx;
        const exact_t eta_rel = (1 + qc::rate_rel) * pow(1 + qc::mean_abs * kM, 2) / (1 - dD) - 1;
        rate.check(u.eta, eta_x, eta_rel * eta_x);
        const exact_t N = M * M + eps * C * C;
        const exact_t kN = (Sm * Sm + eps * C * C) / N;
        const exact_t w_x = X(k.weight_factor) * N / Dx;
        const exact_t w_rel = (1 + qc::weight_rel) * (1 + qc::step_numerator_rel * kN) / (1 - dD) - 1;
        weight.check(u.weight, w_x, w_rel * w_x);
        const double phi0 = s.signed_value({0x1p-100, 0x1p100});
        const double phi1 = literal_parameter(phi0, u.eta, x.g);  // the core's E20 (bit-identity test)
        if (u.eta > 0 && qc::eta_range.contains(u.eta))
            param.check(phi1, X(phi0) - eta_x * g,
                        qc::parameter_abs * (abs(X(phi0)) + X(u.eta) * abs(g)) + abs(g) * eta_rel * eta_x);
    }
    std::printf("[certified] per-step%s: largest kappa_D = (C V + S_m^2)/D* with a finite bound: %.3g\n",
                tag, worst_kappa);
}

TEST(CertifiedStepBounds, OneStepFromExactInputsWithBiasCorrection) { per_step<true>(111); }
TEST(CertifiedStepBounds, OneStepFromExactInputsWithoutBiasCorrection) { per_step<false>(112); }

}  // namespace
