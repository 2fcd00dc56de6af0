#include "json_fields.hpp"

#include "number_text.hpp"

#include <cfloat>
#include <cmath>

namespace quench::oracle {

FieldReader::FieldReader(const JsonValue& object, std::string where, std::string path)
    : object_(object), where_(std::move(where)), path_(std::move(path)) {
    if (object_.kind != JsonValue::Kind::object)
        throw bad_input(where_ + ": " + (path_.empty() ? std::string("the line") : path_) + " must be a JSON object, not " +
                        kind_name(object_.kind));
}

void FieldReader::fail(const std::string& name, const std::string& what) const {
    throw bad_input(where_ + ": " + name + ": " + what);
}

void FieldReader::allow_only(std::span<const char* const> known) const {
    for (const auto& [k, v] : object_.members) {
        bool ok = false;
        for (const char* n : known) ok = ok || k == n;
        if (!ok) {
            std::string list;
            for (const char* n : known) list += (list.empty() ? "" : ", ") + std::string(n);
            fail(name(k.c_str()), "unknown field (known fields: " + list + ")");
        }
    }
}

const JsonValue& FieldReader::require(const char* key) const {
    const JsonValue* v = get(key);
    if (v == nullptr) fail(name(key), "required field is missing");
    return *v;
}

std::string finite_number_text(const JsonValue& v, const std::string& where, const std::string& name) {
    if (v.kind != JsonValue::Kind::number)
        throw bad_input(where + ": " + name + ": expected a number, got " + kind_name(v.kind));
    // One rule for every precision, decided on the exact decimal value: a literal that is
    // beyond the largest double, or 0 or subnormal in double, would mean different numbers
    // at different precisions.
    // The exact tests (MPFR) only where the nearest double n leaves the answer open: |n| below
    // DBL_MAX means |x| <= DBL_MAX, and |n| above DBL_MIN means |x| > DBL_MIN (number_text.hpp).
    const double n = std::fabs(nearest_double(v.text));
    if (!std::isfinite(n) || (n >= DBL_MAX && magnitude_exceeds(v.text, DBL_MAX)))
        throw bad_input(where + ": " + name + ": " + v.text + " is outside the range of double");
    if (n <= DBL_MIN && below_normal_range(v.text))
        throw bad_input(where + ": " + name + ": " + v.text + " is below the smallest normal double (" +
                        message_number(DBL_MIN) + "): it would be 0 or subnormal in double but not at higher "
                        "precision; write 0 or a value of at least that magnitude");
    return v.text;
}

std::string FieldReader::number(const JsonValue& v, const std::string& n) const {
    return finite_number_text(v, where_, n);
}

std::string FieldReader::number(const char* key) const { return number(require(key), name(key)); }

std::uint64_t FieldReader::integer(const char* key, std::uint64_t min) const {
    const JsonValue& v = require(key);
    // An integer literal beyond 2^64 - 1 reaches us as a float (nlohmann's choice), with
    // its text intact: it is an integer, only too large.
    if (v.kind == JsonValue::Kind::number && !v.text.empty() &&
        v.text.find_first_not_of("0123456789") == std::string::npos && !v.integer)
        fail(name(key), v.text + " is too large (at most " + std::to_string(UINT64_MAX) + ")");
    if (v.kind != JsonValue::Kind::number || !v.integer || v.text.empty() || v.text[0] == '-')
        fail(name(key), "expected a non-negative integer, got " + (v.kind == JsonValue::Kind::number ? v.text : std::string(kind_name(v.kind))));
    const std::uint64_t x = std::stoull(v.text);
    if (x < min) fail(name(key), "must be >= " + std::to_string(min) + " (got " + v.text + ")");
    return x;
}

bool FieldReader::boolean(const char* key) const {
    const JsonValue& v = require(key);
    if (v.kind != JsonValue::Kind::boolean) fail(name(key), std::string("expected true or false, got ") + kind_name(v.kind));
    return v.flag;
}

std::string FieldReader::string(const char* key) const {
    const JsonValue& v = require(key);
    if (v.kind != JsonValue::Kind::string) fail(name(key), std::string("expected a string, got ") + kind_name(v.kind));
    return v.text;
}

}  // namespace quench::oracle
