#include "json_text.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace quench::oracle {

const JsonValue* JsonValue::find(std::string_view key) const {
    for (const auto& m : members)
        if (m.key == key) return &m.value;
    return nullptr;
}

const char* kind_name(JsonValue::Kind k) {
    switch (k) {
        case JsonValue::Kind::null: return "null";
        case JsonValue::Kind::boolean: return "a boolean";
        case JsonValue::Kind::number: return "a number";
        case JsonValue::Kind::string: return "a string";
        case JsonValue::Kind::array: return "an array";
        case JsonValue::Kind::object: return "an object";
    }
    return "?";
}

namespace {

/// Builds a JsonValue tree. Children are appended to their parent before they are filled,
/// and a parent never grows while a child is open, so the stack's pointers stay valid.
class TextSax : public nlohmann::json_sax<nlohmann::json> {
public:
    JsonValue root;

    bool null() override { return add(JsonValue::Kind::null) != nullptr; }
    bool boolean(bool v) override {
        JsonValue* x = add(JsonValue::Kind::boolean);
        x->flag = v;
        return true;
    }
    bool number_integer(number_integer_t v) override { return number(std::to_string(v), true); }
    bool number_unsigned(number_unsigned_t v) override { return number(std::to_string(v), true); }
    bool number_float(number_float_t, const string_t& s) override { return number(s, false); }
    bool string(string_t& v) override {
        add(JsonValue::Kind::string)->text = std::move(v);
        return true;
    }
    bool binary(binary_t&) override { throw json_syntax_error("binary values are not JSON"); }
    bool start_object(std::size_t) override { return open(JsonValue::Kind::object); }
    bool key(string_t& k) override {
        JsonValue* obj = stack_.back();
        if (obj->find(k) != nullptr) throw json_syntax_error("duplicate key \"" + k + "\"");
        pending_key_ = std::move(k);
        has_key_ = true;
        return true;
    }
    bool end_object() override { stack_.pop_back(); return true; }
    bool start_array(std::size_t) override { return open(JsonValue::Kind::array); }
    bool end_array() override { stack_.pop_back(); return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
        // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, ..."
        std::string what = e.what();
        const auto p = what.find("] ");
        throw json_syntax_error(p == std::string::npos ? what : what.substr(p + 2));
    }

private:
    std::vector<JsonValue*> stack_;
    std::string pending_key_;
    bool has_key_ = false;
    bool root_set_ = false;

    bool number(std::string text, bool integer) {
        JsonValue* x = add(JsonValue::Kind::number);
        x->text = std::move(text);
        x->integer = integer;
        return true;
    }
    bool open(JsonValue::Kind k) {
        if (stack_.size() >= max_json_depth)
            throw json_syntax_error("nesting deeper than " + std::to_string(max_json_depth));
        stack_.push_back(add(k));
        return true;
    }
    JsonValue* add(JsonValue::Kind k) {
        JsonValue* x;
        if (stack_.empty()) {
            root_set_ = true;
            x = &root;
        } else if (stack_.back()->kind == JsonValue::Kind::array) {
            x = &stack_.back()->items.emplace_back();
        } else {
            x = &stack_.back()->members.emplace_back(JsonMember{std::move(pending_key_), JsonValue{}}).value;
            has_key_ = false;
        }
        x->kind = k;
        return x;
    }
};

}  // namespace

JsonValue parse_json(std::string_view text) {
    // nlohmann's lexer ends the input at a NUL byte, so `{"g":[1]}\0 garbage` would parse;
    // JSON has no NUL outside strings (and none unescaped inside them).
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        throw json_syntax_error("NUL byte at column " + std::to_string(nul + 1));
    TextSax sax;
    nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json,
                              /*strict=*/true);
    return std::move(sax.root);
}

}  // namespace quench::oracle
