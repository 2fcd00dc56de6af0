// json_text.hpp - a JSON reader that keeps every number as its literal text, so that decimal
// inputs are parsed at the working precision (MPFR/MPFI), never through double.
// Built on nlohmann::json's SAX interface: number_float(value, text) hands over the
// original text. Duplicate keys and nesting deeper than max_depth are rejected.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quench::oracle {

struct JsonMember;

struct JsonValue {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool flag = false;                  ///< the value of a boolean
    bool integer = false;               ///< a number written without fraction or exponent
    std::string text;                   ///< a number's literal text, or a string's value
    std::vector<JsonValue> items;       ///< array elements
    std::vector<JsonMember> members;    ///< object members, in order (a vector of an
                                        ///< incomplete type is fine, a pair of one is not)

    /// The member named key, or nullptr.
    const JsonValue* find(std::string_view key) const;
};

struct JsonMember {
    std::string key;
    JsonValue value;
};

const char* kind_name(JsonValue::Kind k);

/// Parses one JSON text; throws json_syntax_error with nlohmann's description.
JsonValue parse_json(std::string_view text);

struct json_syntax_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr std::size_t max_json_depth = 32;

}  // namespace quench::oracle
