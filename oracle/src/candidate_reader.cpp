#include "candidate_reader.hpp"

#include "json_fields.hpp"
#include "number_text.hpp"
#include "support/output_files.hpp"

#include <cmath>
#include <fstream>

namespace quench::oracle {

CandidateReader::CandidateReader(const std::string& jsonl_path) : name_(jsonl_path) {
    tools::check_input_file(jsonl_path, "candidate");
    auto f = std::make_unique<std::ifstream>(jsonl_path, std::ios::binary);
    if (!*f) throw bad_input(jsonl_path + ": cannot open the candidate file");
    in_ = std::move(f);
    read_jsonl_header();
}

CandidateReader::CandidateReader(std::unique_ptr<std::istream> in, std::string name)
    : in_(std::move(in)), name_(std::move(name)) {
    read_jsonl_header();
}

CandidateReader::CandidateReader(const std::vector<std::pair<Quantity, std::string>>& npy_files) {
    if (npy_files.empty()) throw bad_input("compare: no candidate given");
    for (const auto& [q, path] : npy_files) {
        for (Quantity seen : quantities_)
            if (seen == q) throw bad_input(std::string("compare: quantity ") + quantity_name(q) + " given twice");
        npy_.push_back(std::make_unique<NpyRowReader>(path, 2, "candidate .npy file"));
        quantities_.push_back(q);
        const NpyRowReader& r = *npy_.back();
        const NpyRowReader& first = *npy_.front();
        if (r.columns() != first.columns() || r.rows() != first.rows())
            throw bad_input(path + ": shape (" + std::to_string(r.rows()) + ", " + std::to_string(r.columns()) +
                            ") differs from " + first.name() + " (" + std::to_string(first.rows()) + ", " +
                            std::to_string(first.columns()) + ")");
    }
    dimension_ = npy_.front()->columns();
    name_ = npy_.front()->name();
}

std::optional<std::uint64_t> CandidateReader::total_steps() const {
    if (!npy_.empty()) return npy_.front()->rows();
    return std::nullopt;
}

std::string CandidateReader::where() const {
    if (!npy_.empty()) return name_ + " row " + std::to_string(step_ == 0 ? 0 : step_ - 1);
    return name_ + ":" + std::to_string(line_);
}

bool CandidateReader::next_line(std::string& line) {
    while (std::getline(*in_, line)) {
        ++line_;
        if (line.find_first_not_of(" \t\r") != std::string::npos) return true;
    }
    if (in_->bad()) throw bad_input(name_ + ": read error after line " + std::to_string(line_));
    return false;
}

namespace {
JsonValue parse_line(const std::string& line, const std::string& where) {
    try {
        return parse_json(line);
    } catch (const json_syntax_error& e) {
        std::string hint;
        if (line.find("NaN") != std::string::npos || line.find("Infinity") != std::string::npos)
            hint = " (NaN and Infinity are not JSON numbers: the candidate has non-finite values)";
        throw bad_input(where + ": malformed JSON: " + e.what() + hint);
    }
}
}  // namespace

void CandidateReader::read_jsonl_header() {
    std::string line;
    if (!next_line(line)) throw bad_input(name_ + ": empty candidate (the first line must be the header object)");
    const std::string where = name_ + ":" + std::to_string(line_);
    const JsonValue v = parse_line(line, where);
    const FieldReader f(v, where, "");
    f.allow_only({"format", "version", "dimension", "precision", "enclose", "quantities", "producer", "comment"});
    if (f.string("format") != "quench-trajectory") f.fail("format", "must be \"quench-trajectory\"");
    if (f.integer("version", 1) != 1) f.fail("version", "only version 1 is known");
    dimension_ = f.integer("dimension", 1);
    if (f.get("enclose") && f.boolean("enclose"))
        f.fail("enclose", "a candidate holds point values (one number per value), not enclosures");
}

bool CandidateReader::next(CandidateRow& row) {
    if (npy_.empty()) return next_jsonl(row);
    for (std::size_t k = 0; k < npy_.size(); ++k) {
        const bool more = npy_[k]->next(row.values[ReferenceRun<double>::index(quantities_[k])]);
        if (!more) return false;  // equal row counts were checked up front
    }
    ++step_;
    return true;
}

bool CandidateReader::next_jsonl(CandidateRow& row) {
    std::string line;
    if (!next_line(line)) return false;
    const std::string where = name_ + ":" + std::to_string(line_);
    const JsonValue v = parse_line(line, where);
    const FieldReader f(v, where, "");
    static const std::vector<const char*> known = [] {
        std::vector<const char*> k{"t"};
        for (const quench::QuantityInfo& q : quench::trajectory_quantities) k.push_back(q.name);
        return k;
    }();
    f.allow_only(known);
    const std::uint64_t t = f.integer("t", 1);
    if (t != step_ + 1)
        f.fail("t", "is " + std::to_string(t) + ", expected " + std::to_string(step_ + 1) + " (steps must be consecutive from 1)");
    std::vector<Quantity> present;
    for (const auto& [key, value] : v.members) {
        Quantity q;
        if (!parse_quantity(key, q)) continue;  // "t"
        present.push_back(q);
        if (value.kind != JsonValue::Kind::array) f.fail(key, std::string("expected an array of numbers, got ") + kind_name(value.kind));
        if (value.items.size() != dimension_)
            f.fail(key, "has " + std::to_string(value.items.size()) + " entries, the dimension is " + std::to_string(dimension_));
        auto& out = row.values[ReferenceRun<double>::index(q)];
        out.resize(dimension_);
        for (std::size_t i = 0; i < dimension_; ++i)
            out[i] = nearest_double(finite_number_text(value.items[i], where, key + "[" + std::to_string(i) + "]"));
    }
    if (present.empty()) f.fail("gt/st/var/Bstar/eta/phi", "the line holds no quantity");
    if (step_ == 0) {
        quantities_ = present;
    } else {
        bool same = present.size() == quantities_.size();
        for (Quantity q : present) {
            bool found = false;
            for (Quantity p : quantities_) found = found || p == q;
            same = same && found;
        }
        if (!same) throw bad_input(where + ": holds other quantities than the first step (every step must hold the same ones)");
    }
    ++step_;
    return true;
}

}  // namespace quench::oracle
