// number_text.hpp - decimal text <-> the four scalar types, exactly.
//
// Parsing: a decimal literal is rounded once, at the working precision (double: correctly
// rounded strtod; mp_real: mpfr_set_str, to nearest; mp_interval: mpfi_set_str, the smallest
// enclosing interval; rigorous_interval: MPFR rounded down and up to 53 bits). Never through
// double at higher precision.
// Printing: point values round-trip exactly (double: the shortest round-trip digits;
// mp_real: enough digits for its precision); enclosure bounds are printed rounded outward
// (lower bound down, upper bound up), so the printed decimals still enclose the value.
#pragma once

#include "scalar_types.hpp"

#include <mpfr.h>

#include <string>

namespace quench::oracle {

/// The decimal literal as the nearest double (strtod). +-infinity when out of double range.
double nearest_double(const std::string& text);

/// Does the exact value of the decimal literal have |x| > limit? Decided on the decimal,
/// not on a rounded double, so that every precision gets the same answer.
bool magnitude_exceeds(const std::string& text, double limit);
/// Is the exact value of the decimal literal nonzero with |x| < limit (exactly)?
bool nonzero_below(const std::string& text, double limit);
/// nonzero_below(text, DBL_MIN): such a literal is 0 or subnormal in double but not at N
/// digits.
bool below_normal_range(const std::string& text);

template <class T> T from_text(const std::string& text);
template <> double from_text<double>(const std::string& text);
template <> rigorous_interval from_text<rigorous_interval>(const std::string& text);
template <> mp_real from_text<mp_real>(const std::string& text);
template <> mp_interval from_text<mp_interval>(const std::string& text);

/// Appends a JSON number (point types) or a JSON pair [lower, upper] (enclosures).
void append_json(std::string& out, double x);
void append_json(std::string& out, const mp_real& x);
void append_json(std::string& out, const rigorous_interval& x);
void append_json(std::string& out, const mp_interval& x);

/// Directed decimal text of an MPFR value: `round` is MPFR_RNDN, MPFR_RNDD or MPFR_RNDU.
void append_decimal(std::string& out, const mp_real& x, int round);
void append_mpfr(std::string& out, mpfr_srcptr x, int round);

/// A double in a message: "%.17g" for finite values, "inf", "-inf" or "nan".
std::string message_number(double x);

/// The value as a double, rounded down/up (enclosure bounds) or to nearest (point types).
double lower_double(double x);
double upper_double(double x);
double lower_double(const mp_real& x);
double upper_double(const mp_real& x);
double lower_double(const rigorous_interval& x);
double upper_double(const rigorous_interval& x);
double lower_double(const mp_interval& x);
double upper_double(const mp_interval& x);

}  // namespace quench::oracle
