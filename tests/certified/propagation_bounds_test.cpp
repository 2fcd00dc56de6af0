// The propagated bound over t steps (README.md "Over t steps"). The double run of
// quench::step is replayed exactly (mpfr, 333 bits) with the *same* weights w_t that the double
// run used (the weights are themselves computed from var, where they are ill-conditioned:
// kappa_D; the exact-real algorithm would choose other weights, so comparing trajectories
// with different weights has no honest a-priori bound). For the running averages
// (E15 mean, E16 second moment, X15 mass) the certified recurrence
//     E_t <= (1 - w_t) E_{t-1} + bound_t      (RoundingGlue.v average_propagation)
// is evaluated and must hold at every step; its closed form bmax / w_min
// (average_error_bounded) must hold too. For D and eta at step t the per-step composition is
// applied with the propagated errors. Prints worst observed/bound and the largest kappa_D.
#include "certified_common.hpp"

#include <vector>

namespace {

using namespace certified_test;
namespace qc = quench::certified;

exact_t X(double d) { return exact_t(d); }

void propagate(bool bias, std::uint64_t seed) {
    const char* tag = bias ? " (bias correction)" : " (no bias correction)";
    WorstRatio mean(std::string("t steps: mean m_t") + tag), second(std::string("t steps: second v_t") + tag),
        mass(std::string("t steps: mass c_t") + tag), closed(std::string("t steps: mean, closed form bmax/w_min") + tag),
        var(std::string("t steps: D_t") + tag), rate(std::string("t steps: eta_t") + tag);
    Sampler s(seed);
#ifdef QUENCH_CERTIFIED_SANITIZE
    const int runs = 4, steps = 100;
#else
    const int runs = 20, steps = 500;
#endif
    const std::size_t d = 16;
    double worst_kappa = 0;
    for (int run = 0; run < runs; ++run) {
        auto h = quench::Hyperparameters<double>::from_smoothness(8.0, 2.0, 10);
        h.options.bias_correction = bias;
        h.options.eta_max.reset();  // the uncapped rate: its bound is the interesting one
        const quench::detail::StepConstants<double> k(h);
        quench::State<double> st(d, h);
        std::vector<double> ghat(d), phi(d, 0.0);
        std::vector<exact_t> m(d, 0), v(d, 0), c(d, 0);   // exact replay
        std::vector<exact_t> Em(d, 0), Ev(d, 0), Ec(d, 0);  // certified recurrences
        std::vector<double> mean_scale(d), noise(d);
        for (std::size_t i = 0; i < d; ++i) {
            mean_scale[i] = s.signed_value({0x1p-20, 0x1p10});
            noise[i] = std::abs(mean_scale[i]) * s.magnitude({0x1p-4, 0x1p6});
        }
        double w_min = 1, G = 0;
        for (int t = 1; t <= steps; ++t) {
            std::vector<double> w(d), m0(d), v0(d), c0(d);
            for (std::size_t i = 0; i < d; ++i) {
                ghat[i] = mean_scale[i] + noise[i] * std::normal_distribution<double>(0, 1)(s.engine());
                w[i] = st.weight[i];
                m0[i] = st.mean[i];
                v0[i] = st.second[i];
                c0[i] = bias ? st.mass[i] : 1.0;
            }
            std::vector<double> eta(d);
            try {
                quench::step<double>(st, h, ghat, phi, {eta, {}});
            } catch (const quench::zero_variance_error&) {
                break;  // documented: no cap and var = 0 (not reached with these gradients)
            }
            for (std::size_t i = 0; i < d; ++i) {
                const exact_t wi = X(w[i]), g = X(ghat[i]);
                w_min = std::min(w_min, w[i]);
                G = std::max({G, std::abs(ghat[i]), std::abs(m0[i])});
                // Certified per-step bounds at the computed previous values (mean_error,
                // step_second.g, step_mass.g), then average_propagation.
                Em[i] = (1 - wi) * Em[i] + qc::mean_abs * ((1 - wi) * abs(X(m0[i])) + wi * abs(g));
                Ev[i] = (1 - wi) * Ev[i] + qc::second_rel * ((1 - wi) * X(v0[i]) + wi * g * g);
                if (bias) Ec[i] = (1 - wi) * Ec[i] + qc::mass_rel * ((1 - wi) * X(c0[i]) + wi);
                m[i] = (1 - wi) * m[i] + wi * g;
                v[i] = (1 - wi) * v[i] + wi * g * g;
                c[i] = bias ? (1 - wi) * c[i] + wi : exact_t(1);
                mean.check(st.mean[i], m[i], Em[i]);
                second.check(st.second[i], v[i], Ev[i]);
                mass.check(bias ? st.mass[i] : 1.0, c[i], Ec[i]);  // c = 1 exactly without X15
                // average_error_bounded: E_t <= bmax / w_min with bmax = mean_abs * G.
                closed.check(st.mean[i], m[i], qc::mean_abs * X(G) / X(w_min));
                // D_t: the certified D bound at the computed (c', v', m') plus the
                // propagated errors of c'v' and m'^2.
                const exact_t c1 = X(bias ? st.mass[i] : 1.0), v1 = X(st.second[i]), m1 = X(st.mean[i]);
                const exact_t Dx = c[i] * v[i] - m[i] * m[i];
                const exact_t dD = qc::variance_abs * (c1 * v1 + m1 * m1) + c1 * Ev[i] + v[i] * Ec[i] +
                                   Em[i] * (2 * abs(m[i]) + Em[i]);
                double Dc = bias ? st.mass[i] * st.second[i] - st.mean[i] * st.mean[i]
                                 : st.second[i] - st.mean[i] * st.mean[i];
                Dc = Dc < 0 ? 0 : Dc;  // the core's D (bit-identity test)
                var.check(Dc, Dx, dD);
                if (t > static_cast<int>(h.warmup) && Dx > 0 && dD < Dx / 2 && m[i] != 0 &&
                    qc::divisor_range.contains(Dc)) {
                    worst_kappa = std::max(worst_kappa, static_cast<double>((c[i] * v[i] + m[i] * m[i]) / Dx));
                    const exact_t eta_x = X(k.rate_factor) * m[i] * m[i] / Dx;
                    const exact_t rel = (1 + qc::rate_rel) * pow(1 + Em[i] / abs(m[i]), 2) / (1 - dD / Dx) - 1;
                    rate.check(eta[i], eta_x, rel * eta_x);
                }
            }
        }
    }
    std::printf("[certified] t steps%s: largest kappa_D = (c v + m^2)/D met: %.3g\n", tag, worst_kappa);
}

TEST(CertifiedPropagation, AveragesOverManyStepsWithBiasCorrection) { propagate(true, 301); }
TEST(CertifiedPropagation, AveragesOverManyStepsWithoutBiasCorrection) { propagate(false, 302); }

}  // namespace
