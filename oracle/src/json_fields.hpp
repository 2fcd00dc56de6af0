// json_fields.hpp - checked access to the members of a JsonValue, with messages that name
// the file, the line and the field ("trace.jsonl:1: hyperparameters.batch_size: ...").
#pragma once

#include "json_text.hpp"
#include "oracle_error.hpp"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace quench::oracle {

class FieldReader {
public:
    /// `where` is "file:line", `path` the dotted name of `object` ("" for the top level).
    FieldReader(const JsonValue& object, std::string where, std::string path);

    /// Rejects members whose name is not in `known` (typos must not be silently ignored).
    void allow_only(std::initializer_list<const char*> known) const {
        allow_only(std::span<const char* const>(known.begin(), known.size()));
    }
    void allow_only(std::span<const char* const> known) const;
    const JsonValue* get(const char* key) const { return object_.find(key); }
    const JsonValue& require(const char* key) const;

    /// A finite decimal number (its text), within the double range.
    std::string number(const char* key) const;
    std::string number(const JsonValue& v, const std::string& name) const;
    std::uint64_t integer(const char* key, std::uint64_t min) const;
    bool boolean(const char* key) const;
    std::string string(const char* key) const;
    [[noreturn]] void fail(const std::string& name, const std::string& what) const;
    std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
    const std::string& where() const { return where_; }

private:
    const JsonValue& object_;
    std::string where_, path_;
};

/// Checks that `v` is a number whose value is finite in double; returns its text.
/// `name` is used in the message.
std::string finite_number_text(const JsonValue& v, const std::string& where, const std::string& name);

}  // namespace quench::oracle
