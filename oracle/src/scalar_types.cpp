#include "scalar_types.hpp"

#include "oracle_error.hpp"

#include <charconv>

namespace quench::oracle {

void set_working_precision(const Precision& p) {
    // Doubles must convert exactly into the multiprecision types (.npy inputs, candidate
    // values, the core's T(double) constants): 16 digits give 54 bits >= 53.
    const unsigned digits = p.is_double() ? 17 : p.digits10;
    mp_real::default_precision(digits);
    mp_interval::default_precision(digits);
}

Precision parse_precision(const std::string& text) {
    if (text == "double") return {};
    unsigned v = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || v < 16 || v > 100000)
        throw bad_input("--precision: expected 'double' or a number of decimal digits in "
                        "[16, 100000], got '" + text + "'");
    return Precision{v};
}

EnclosureMethod parse_enclosure_method(const std::string& text) {
    if (text == "centred") return EnclosureMethod::centred;
    if (text == "interval") return EnclosureMethod::interval;
    throw bad_input("--enclosure: expected 'centred' or 'interval', got '" + text + "'");
}

const char* enclosure_method_name(EnclosureMethod m) {
    return m == EnclosureMethod::centred ? "centred" : "interval";
}

}  // namespace quench::oracle
