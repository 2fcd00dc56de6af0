#include "number_text.hpp"

#include "oracle_error.hpp"

#include <mpfr.h>

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace quench::oracle {

double nearest_double(const std::string& text) {
    // strtod rounds correctly (glibc) and reads the "C" locale's '.', which the program
    // never changes.
    return std::strtod(text.c_str(), nullptr);
}

namespace {
/// The literal rounded at 53 bits in direction r (MPFR's exponent range, not double's).
class Rounded {
public:
    Rounded(const std::string& text, mpfr_rnd_t r) {
        mpfr_init2(v_, 53);
        if (mpfr_set_str(v_, text.c_str(), 10, r) != 0) {
            mpfr_clear(v_);
            throw std::invalid_argument("not a decimal number: '" + text + "'");
        }
        mpfr_abs(v_, v_, MPFR_RNDN);  // exact
    }
    ~Rounded() { mpfr_clear(v_); }
    Rounded(const Rounded&) = delete;
    Rounded& operator=(const Rounded&) = delete;
    mpfr_srcptr get() const { return v_; }

private:
    mpfr_t v_;
};
}  // namespace

// Both tests are exact because the limits are doubles: rounding the magnitude away from
// zero (toward zero) is monotone and keeps a double, so |x| > limit iff RNDA(|x|) > limit,
// and |x| < DBL_MIN iff RNDZ(|x|) < DBL_MIN; a nonzero decimal never rounds to 0 in MPFR's
// exponent range.
// A fast path first, from the nearest double n (strtod rounds correctly): rounding to
// nearest is monotone and the limits are doubles, so |n| < limit implies |x| <= limit, and
// |n| > limit implies |x| > limit. Only a literal whose n lies on the limit (or is 0, which a
// nonzero decimal below the subnormal range also rounds to) needs MPFR.
bool magnitude_exceeds(const std::string& text, double limit) {
    if (std::fabs(nearest_double(text)) < limit) return false;
    const Rounded up(text, MPFR_RNDA);
    return mpfr_cmp_d(up.get(), limit) > 0;
}

bool nonzero_below(const std::string& text, double limit) {
    if (std::fabs(nearest_double(text)) > limit) return false;
    const Rounded down(text, MPFR_RNDZ);
    return !mpfr_zero_p(down.get()) && mpfr_cmp_d(down.get(), limit) < 0;
}

bool below_normal_range(const std::string& text) { return nonzero_below(text, DBL_MIN); }

template <>
double from_text<double>(const std::string& text) {
    return nearest_double(text);
}

namespace {
double directed_double(const std::string& text, mpfr_rnd_t r) {
    mpfr_t v;
    mpfr_init2(v, 53);
    if (mpfr_set_str(v, text.c_str(), 10, r) != 0) {
        mpfr_clear(v);
        throw std::invalid_argument("not a decimal number: '" + text + "'");
    }
    const double d = mpfr_get_d(v, r);  // monotone: rounding twice in one direction is safe
    mpfr_clear(v);
    return d;
}
}  // namespace

template <>
rigorous_interval from_text<rigorous_interval>(const std::string& text) {
    return rigorous_interval(directed_double(text, MPFR_RNDD), directed_double(text, MPFR_RNDU));
}

template <>
mp_real from_text<mp_real>(const std::string& text) {
    mp_real x;
    if (mpfr_set_str(x.backend().data(), text.c_str(), 10, MPFR_RNDN) != 0)
        throw std::invalid_argument("not a decimal number: '" + text + "'");
    return x;
}

template <>
mp_interval from_text<mp_interval>(const std::string& text) {
    mp_interval x;
    if (mpfi_set_str(x.backend().data(), text.c_str(), 10) != 0)
        throw std::invalid_argument("not a decimal number: '" + text + "'");
    return x;
}

void append_decimal(std::string& out, const mp_real& x, int round) { append_mpfr(out, x.backend().data(), round); }

void append_mpfr(std::string& out, mpfr_srcptr v, int round) {
    if (!mpfr_number_p(v)) throw std::runtime_error("quench-oracle: a non-finite value reached the output");
    if (mpfr_zero_p(v)) {
        // A bound's zero has no sign worth printing; a point value keeps it (-0 is JSON).
        out += mpfr_signbit(v) && round == MPFR_RNDN ? "-0" : "0";
        return;
    }
    // Digits that round-trip at this precision, plus one so that a directed conversion
    // (outward bounds) still lies within half an ulp of the binary value.
    const std::size_t n = mpfr_get_str_ndigits(10, mpfr_get_prec(v)) + 1;
    mpfr_exp_t e = 0;
    char* s = mpfr_get_str(nullptr, &e, 10, n, v, static_cast<mpfr_rnd_t>(round));
    std::string digits(s);
    mpfr_free_str(s);
    std::size_t start = 0;
    if (!digits.empty() && digits[0] == '-') {
        out += '-';
        start = 1;
    }
    std::size_t last = digits.size();
    while (last > start + 1 && digits[last - 1] == '0') --last;  // trailing zeros: no value
    out += digits[start];
    if (last > start + 1) {
        out += '.';
        out.append(digits, start + 1, last - start - 1);
    }
    if (e - 1 != 0) {
        out += 'e';
        out += std::to_string(static_cast<long long>(e - 1));
    }
}

void append_json(std::string& out, double x) {
    if (!std::isfinite(x)) throw std::runtime_error("quench-oracle: a non-finite value reached the output");
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);  // shortest round-trip digits
    out.append(buf, r.ptr);
}

void append_json(std::string& out, const mp_real& x) { append_decimal(out, x, MPFR_RNDN); }

namespace {
void append_double_bound(std::string& out, double x, mpfr_rnd_t r) {
    if (!std::isfinite(x)) throw std::runtime_error("quench-oracle: a non-finite bound reached the output");
    mpfr_t v;
    mpfr_init2(v, 53);
    mpfr_set_d(v, x, MPFR_RNDN);  // exact
    append_mpfr(out, v, r);
    mpfr_clear(v);
}
}  // namespace

void append_json(std::string& out, const rigorous_interval& x) {
    out += '[';
    append_double_bound(out, x.lower(), MPFR_RNDD);
    out += ',';
    append_double_bound(out, x.upper(), MPFR_RNDU);
    out += ']';
}

void append_json(std::string& out, const mp_interval& x) {
    out += '[';
    append_decimal(out, mp_real(boost::multiprecision::lower(x)), MPFR_RNDD);
    out += ',';
    append_decimal(out, mp_real(boost::multiprecision::upper(x)), MPFR_RNDU);
    out += ']';
}

std::string message_number(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char b[32];
    std::snprintf(b, sizeof b, "%.17g", x);
    return b;
}

double lower_double(double x) { return x; }
double upper_double(double x) { return x; }
double lower_double(const mp_real& x) { return mpfr_get_d(x.backend().data(), MPFR_RNDN); }
double upper_double(const mp_real& x) { return mpfr_get_d(x.backend().data(), MPFR_RNDN); }
double lower_double(const rigorous_interval& x) { return x.lower(); }
double upper_double(const rigorous_interval& x) { return x.upper(); }
double lower_double(const mp_interval& x) {
    return mpfr_get_d(mp_real(boost::multiprecision::lower(x)).backend().data(), MPFR_RNDD);
}
double upper_double(const mp_interval& x) {
    return mpfr_get_d(mp_real(boost::multiprecision::upper(x)).backend().data(), MPFR_RNDU);
}

}  // namespace quench::oracle
