// scalar_types.hpp - the four scalar types the oracle runs the core with, chosen at run time
// by --precision and --enclose:
//   double              --precision double              (the fast path)
//   rigorous_interval   --precision double --enclose    (encloses the exact value AND the
//                                                        core's double computation)
//   mp_real             --precision N                   (MPFR, N decimal digits)
//   mp_interval         --precision N --enclose         (MPFI: rigorous enclosure)
//   Centred             --precision N --enclose         (the default --enclosure centred:
//                                                        MPFI centred forms, centred_form.hpp)
// The multiprecision types have their precision set at run time (Digits10 = 0 back ends), so
// one binary serves every precision; quench::scalar_ops in core/include/quench/mpfi.hpp is
// templated on Digits10 and so covers Digits10 = 0 as well (checked by static_assert below).
#pragma once

#include "quench/interval.hpp"
#include "quench/mpfi.hpp"
#include "quench/scalar.hpp"

#include <boost/multiprecision/mpfi.hpp>
#include <boost/multiprecision/mpfr.hpp>

namespace quench::oracle {

using mp_real = boost::multiprecision::mpfr_float;      // number<mpfr_float_backend<0>>
using mp_interval = boost::multiprecision::mpfi_float;  // number<mpfi_float_backend<0>>

static_assert(quench::Scalar<double>);
static_assert(quench::Scalar<quench::rigorous_interval>);
static_assert(quench::Scalar<mp_real>);
static_assert(quench::Scalar<mp_interval>);
static_assert(quench::is_interval_v<mp_interval>);
static_assert(std::is_same_v<quench::endpoint_t<mp_interval>, mp_real>);

/// The working precision: "double" (digits10 == 0) or a number of decimal digits.
struct Precision {
    unsigned digits10 = 0;  ///< 0: IEEE double
    bool is_double() const { return digits10 == 0; }
};

/// How the exact trajectory is enclosed at N digits (`run --enclose`, `compare --ulps`):
/// `centred` (the default) runs the core on centred forms recentred per window
/// (centred_run.hpp), which stay tight on long noisy traces; `interval` runs it on plain MPFI
/// intervals, whose width grows geometrically with the steps there.
enum class EnclosureMethod { centred, interval };
/// "centred" or "interval"; throws bad_input otherwise.
EnclosureMethod parse_enclosure_method(const std::string& text);
const char* enclosure_method_name(EnclosureMethod m);

/// Sets the default precision of mp_real and mp_interval (call before creating any value).
void set_working_precision(const Precision& p);

/// Parses "double" or a decimal digit count in [16, 100000]; throws bad_input otherwise.
Precision parse_precision(const std::string& text);

}  // namespace quench::oracle
