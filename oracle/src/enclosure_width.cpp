#include "enclosure_width.hpp"

#include <mpfi.h>
#include <mpfr.h>

#include <cstdio>

namespace quench::oracle {

bool EnclosureWidth::negligible(const mp_interval& exact) {
    mpfi_diam_abs(width_.backend().data(), exact.backend().data());
    const long p = static_cast<long>(mpfi_get_prec(exact.backend().data()));
    return mpfr_cmp_ui_2exp(width_.backend().data(), 1, 32 - p) <= 0;
}

double EnclosureWidth::in_ulps(const mp_interval& exact, UlpType type) {
    if (negligible(exact) && scalar_ops<mp_interval>::possibly_zero(exact)) return 0;  // leaves the width in width_
    mpfi_mid(mid_.backend().data(), exact.backend().data());
    ulp_of(mid_, type, ulp_);
    mpfr_div(ratio_.backend().data(), width_.backend().data(), ulp_.backend().data(), MPFR_RNDU);
    return mpfr_get_d(ratio_.backend().data(), MPFR_RNDU);
}

bool EnclosureWidth::loose(const mp_interval& exact, UlpType type) {
    if (negligible(exact)) return false;
    mpfi_mid(mid_.backend().data(), exact.backend().data());
    ulp_of(mid_, type, ulp_);
    return mpfr_cmp(width_.backend().data(), ulp_.backend().data()) > 0;
}

void WidthReport::offer(Quantity q, std::uint64_t step, std::size_t i, const mp_interval& x) {
    PerQuantity& r = q_[ReferenceRun<mp_interval>::index(q)];
    const double u = width_.in_ulps(x, UlpType::float64);
    if (u > 1 && !r.first_loose && width_.loose(x, UlpType::float64)) r.first_loose = {step, i};
    if (u > r.widest.ulps || r.widest.step == 0) r.widest = {u, step, i};
    if (r.widest_last.step != step || u > r.widest_last.ulps) r.widest_last = {u, step, i};
}

std::string WidthReport::text(const std::string& method, unsigned digits10, std::size_t dimension) const {
    std::string s = "enclosure widths: " + method + ", " + std::to_string(digits10) + " digits, " +
                    std::to_string(last_step_) + " steps, dimension " + std::to_string(dimension) +
                    "; widths in double ulps of the midpoint (0: an enclosure of 0 narrower than 2^(32-p))\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-6s %-28s %-28s %s\n", "qty", "first wider than 1 ulp", "widest (step, coord)",
                  "widest at the last step");
    s += line;
    for (Quantity q : all_quantities) {
        const PerQuantity& r = q_[ReferenceRun<mp_interval>::index(q)];
        std::string first = "never";
        if (r.first_loose)
            first = "step " + std::to_string(r.first_loose->first) + ", coord " + std::to_string(r.first_loose->second);
        char widest[64], last[64];
        std::snprintf(widest, sizeof widest, "%.3g (%llu, %zu)", r.widest.ulps,
                      static_cast<unsigned long long>(r.widest.step), r.widest.coordinate);
        std::snprintf(last, sizeof last, "%.3g", r.widest_last.ulps);
        std::snprintf(line, sizeof line, "%-6s %-28s %-28s %s\n", quantity_name(q), first.c_str(), widest, last);
        s += line;
    }
    return s;
}

}  // namespace quench::oracle
