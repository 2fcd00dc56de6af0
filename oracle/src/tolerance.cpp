#include "tolerance.hpp"

#include <mpfr.h>

#include <sstream>

namespace quench::oracle {

std::string Tolerance::describe() const {
    std::ostringstream s;
    if (!has_verdict()) return "none (no verdict)";
    s << "within the exact enclosure";
    if (core_double) s << " or the core's double-interval enclosure (--bound core-double)";
    if (ulps) s << ", widened by " << *ulps << (ulp_type == UlpType::float32 ? " float" : " double") << " ulps";
    return s.str();
}

void ulp_of(const mp_real& x, UlpType type, mp_real& out) {
    const int p = type == UlpType::float64 ? 53 : 24;
    const int emin = type == UlpType::float64 ? -1021 : -125;  // 2^(emin-1) is the least normal
    mpfr_srcptr v = x.backend().data();
    long e = mpfr_zero_p(v) ? emin : static_cast<long>(mpfr_get_exp(v));
    if (e < emin) e = emin;
    mpfr_set_ui_2exp(out.backend().data(), 1, e - p, MPFR_RNDN);  // exact power of two
}

void allowed_region(Quantity, const mp_interval& exact, const rigorous_interval* core_double, const Tolerance& t,
                    Region& out) {
    mpfi_get_left(out.lo.backend().data(), exact.backend().data());
    mpfi_get_right(out.hi.backend().data(), exact.backend().data());
    if (core_double) {
        // Hull with the double enclosure (which contains the exact value too).
        mpfr_t d;
        mpfr_init2(d, 53);
        mpfr_set_d(d, core_double->lower(), MPFR_RNDN);
        mpfr_min(out.lo.backend().data(), out.lo.backend().data(), d, MPFR_RNDD);
        mpfr_set_d(d, core_double->upper(), MPFR_RNDN);
        mpfr_max(out.hi.backend().data(), out.hi.backend().data(), d, MPFR_RNDU);
        mpfr_clear(d);
    }
    if (t.ulps) {
        mp_real u;
        ulp_of(out.lo, t.ulp_type, u);
        mpfr_mul_d(u.backend().data(), u.backend().data(), *t.ulps, MPFR_RNDU);
        mpfr_sub(out.lo.backend().data(), out.lo.backend().data(), u.backend().data(), MPFR_RNDD);
        ulp_of(out.hi, t.ulp_type, u);
        mpfr_mul_d(u.backend().data(), u.backend().data(), *t.ulps, MPFR_RNDU);
        mpfr_add(out.hi.backend().data(), out.hi.backend().data(), u.backend().data(), MPFR_RNDU);
    }
}

}  // namespace quench::oracle
