// candidate_reader.hpp - reads a candidate trajectory (what another implementation
// produced from the same trace): JSON Lines in the trajectory schema with point values and
// any subset of the quantities, or one (steps, d) .npy file per quantity (float64 or
// float32). Values are read as doubles (float32 converts exactly), one step at a time.
#pragma once

#include "npy.hpp"
#include "reference_run.hpp"

#include <array>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace quench::oracle {

struct CandidateRow {
    std::array<std::vector<double>, quantity_count> values;  ///< only present quantities
};

class CandidateReader {
public:
    /// A JSON Lines candidate file.
    explicit CandidateReader(const std::string& jsonl_path);
    /// A JSON Lines candidate from a stream (fuzzers, tests).
    CandidateReader(std::unique_ptr<std::istream> in, std::string name);
    /// One .npy file per quantity.
    explicit CandidateReader(const std::vector<std::pair<Quantity, std::string>>& npy_files);

    const std::vector<Quantity>& quantities() const { return quantities_; }
    std::size_t dimension() const { return dimension_; }
    std::optional<std::uint64_t> total_steps() const;
    /// The next step's values; false at the end. Throws bad_input.
    bool next(CandidateRow& row);
    /// "file:line" or "file row r" of the last row read, for messages.
    std::string where() const;

private:
    void read_jsonl_header();
    bool next_jsonl(CandidateRow& row);
    bool next_line(std::string& line);
    std::unique_ptr<std::istream> in_;
    std::string name_;
    std::vector<std::unique_ptr<NpyRowReader>> npy_;  // aligned with quantities_
    std::vector<Quantity> quantities_;
    std::size_t dimension_ = 0;
    std::uint64_t line_ = 0, step_ = 0;
};

}  // namespace quench::oracle
