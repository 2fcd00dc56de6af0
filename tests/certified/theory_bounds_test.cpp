// The certified rounding-error bounds of theory.hpp's closed forms hold (double vs
// mpfr at 333 bits on the same inputs, inside each bound's hypotheses: the ranges of
// proofs/rounding/theory_*.g). Prints the worst observed error as a fraction of the bound.
#include "certified_common.hpp"

namespace {

using namespace certified_test;
namespace qc = quench::certified;
namespace th = quench::theory;

exact_t X(double d) { return exact_t(d); }

TEST(CertifiedTheoryBounds, ProductsAndQuotients) {
    WorstRatio per_example("E3 per_example_rate"), scaled("E4 scaled_rate"),
        radius("E5 gradient_confidence_radius"), vacuous("X4 vacuous_batch_threshold"),
        obatch("E12 optimal_batch"), orate("E12 optimal_rate"), linear("E13 linear_scaled_rate"),
        capped("E13+X9 capped_scaled_rate"), lambda_eta("X10 lambda_eta_from_smoothness"),
        decrease("E22 guaranteed_decrease"), optk("E29 optimal_k");
    Sampler s(201);
    for (int i = 0; i < samples; ++i) {
        {  // E3: [2^-500, 2^500]
            const double e = s.signed_value({0x1p-500, 0x1p500}), b = s.magnitude({0x1p-500, 0x1p500});
            const exact_t x = X(e) / X(b);
            per_example.check(th::per_example_rate(e, b), x, qc::per_example_rate_rel * abs(x));
        }
        {  // E4: [2^-300, 2^300]
            const Range r{0x1p-300, 0x1p300};
            const double B = s.magnitude(r), b = s.magnitude(r), e = s.signed_value(r);
            const exact_t x = X(B) / X(b) * X(e);
            scaled.check(th::scaled_rate(B, b, e), x, qc::scaled_rate_rel * abs(x));
        }
        {  // E5: [2^-400, 2^400]
            const Range r{0x1p-400, 0x1p400};
            const double sg = s.magnitude(r), B = s.magnitude(r);
            const exact_t x = 2 * X(sg) / sqrt(X(B));
            radius.check(th::gradient_confidence_radius(sg, B), x, qc::gradient_confidence_radius_rel * x);
        }
        {  // X4, E12, E29: [2^-250, 2^250]
            const Range r = qc::theory_wide_range;
            const double sg = s.magnitude(r), g = s.signed_value(r), n = s.magnitude(r);
            const exact_t q = X(sg) * X(sg) / (X(g) * X(g));
            vacuous.check(th::vacuous_batch_threshold(sg, g), 4 * q, qc::vacuous_batch_threshold_rel * 4 * q);
            obatch.check(th::optimal_batch(sg, g), 16 * q, qc::optimal_batch_rel * 16 * q);
            const exact_t k = pow(2 * X(sg) / X(n), 2);
            optk.check(th::optimal_k(sg, n), k, qc::optimal_k_rel * k);
        }
        {  // E12 optimal_rate [2^-500, 2^500]; X10 [2^-400, 2^400]
            const double L = s.magnitude({0x1p-500, 0x1p500});
            const exact_t x = 1 / (2 * X(L));
            orate.check(th::optimal_rate(L), x, qc::optimal_rate_rel * x);
            const double B = s.magnitude({0x1p-400, 0x1p400}), L2 = s.magnitude({0x1p-400, 0x1p400});
            const exact_t y = X(B) / (32 * X(L2));
            lambda_eta.check(th::lambda_eta_from_smoothness(B, L2), y, qc::lambda_eta_from_smoothness_rel * y);
        }
        {  // E13, E22: B, L in [2^-100, 2^100], the others in [2^-200, 2^200]
            const double B = s.magnitude(qc::theory_scale_range), L = s.magnitude(qc::theory_scale_range);
            const double g = s.signed_value(qc::theory_value_range), sg = s.magnitude(qc::theory_value_range);
            const double e = s.signed_value(qc::theory_value_range);
            const exact_t x = X(B) * X(g) * X(g) / (32 * X(sg) * X(sg) * X(L));
            linear.check(th::linear_scaled_rate(B, g, sg, L), x, qc::linear_scaled_rate_rel * x);
            const exact_t cap = 1 / (2 * X(L));
            const exact_t m = x < cap ? x : cap;  // min_error: the min keeps the larger bound
            capped.check(th::capped_scaled_rate(B, g, sg, L), m, qc::linear_scaled_rate_rel * m);
            const exact_t d = X(L) / 2 * X(e) * X(e) * X(g) * X(g);
            decrease.check(th::guaranteed_decrease(e, g, L), d, qc::guaranteed_decrease_rel * d);
        }
    }
}

/// The closed forms whose terms cancel: absolute bounds (RoundingGlue.v) with respect to
/// the sum of the terms' magnitudes. Half of the draws sit near the cancellation.
TEST(CertifiedTheoryBounds, CancellingForms) {
    WorstRatio descent("E9/E10 descent_bound (abs)"), rate("E21 rate_at_batch (abs)"),
        vrate("E28 vector_rate_at_batch (abs)");
    Sampler s(202);
    const Range r = qc::theory_value_range;
    for (int i = 0; i < samples; ++i) {
        {
            const double g = s.signed_value(r), L = s.magnitude(qc::theory_scale_range);
            // Near cancellation: D ~ 2 g / L makes -g D + L D^2/2 ~ 0.
            double D = s.coin() ? s.signed_value(r) : 2 * g / L * s.uniform(1 - 1e-9, 1 + 1e-9);
            if (!r.contains(std::abs(D))) D = g;
            const exact_t gd = X(g) * X(D), q = X(L) * X(D) * X(D) / 2;
            descent.check(th::descent_bound(g, D, L), -gd + q, qc::descent_bound_abs * (abs(gd) + q));
        }
        {
            const double g = s.signed_value(r), sg = s.magnitude(r), L = s.magnitude(r);
            // Near X4's threshold B = 4 sigma^2/g^2 the rate cancels to 0.
            double B = s.coin() ? s.magnitude(r) : 4 * sg * sg / (g * g) * s.uniform(1 - 1e-9, 1 + 1e-9);
            if (!r.contains(B)) B = 1;
            const exact_t Xv = 2 * X(sg) / (abs(X(g)) * sqrt(X(B)));
            const exact_t x = (1 - Xv) / X(L);
            // rate_at_batch_error needs (1 - x')/L outside the subnormal range (or 0).
            const double out = th::rate_at_batch(B, g, sg, L);
            if (out == 0 || std::abs(out) >= std::numeric_limits<double>::min())
                rate.check(out, x, qc::rate_at_batch_abs * (1 + Xv) / X(L));
        }
        {
            const double k = s.magnitude(r), n = s.magnitude(r), L = s.magnitude(r);
            double rr = s.coin() ? s.magnitude(r) : n * std::sqrt(k) * s.uniform(1 - 1e-9, 1 + 1e-9);
            if (!r.contains(rr)) rr = n;
            const exact_t Xv = X(rr) / (X(n) * sqrt(X(k)));
            const exact_t x = (1 - Xv) / X(L);
            const double out = th::vector_rate_at_batch(k, n, rr, L);
            if (out == 0 || std::abs(out) >= std::numeric_limits<double>::min())
                vrate.check(out, x, qc::rate_at_batch_abs * (1 + Xv) / X(L));
        }
    }
}

}  // namespace
