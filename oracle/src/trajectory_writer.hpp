// trajectory_writer.hpp - streams a reference trajectory to JSON Lines or .npy files
// (schema: oracle/schema/trajectory.schema.json). Every file belongs to the run's
// OutputSet (support/output_files.hpp): written to a temporary, and all renamed together when the
// run completes. check_reportable() refuses a step with a value that is not finite in
// double before any output sees it, so every output gives the same guarantee.
//
// JSON Lines: a header line {"format": "quench-trajectory", "version": 1, "dimension": d,
// "precision": ..., "enclose": ...}, then one line per step {"t": 1, "gt": [...], ...}.
// Point values are numbers that round-trip exactly; with --enclose each value is a pair
// [lower, upper] printed rounded outward.
// .npy: <dir>/<quantity>.npy of shape (steps, d), float64; with --enclose
// <dir>/<quantity>.lo.npy and <quantity>.hi.npy, rounded outward to double.
#pragma once

#include "support/output_files.hpp"
#include "oracle_error.hpp"
#include "npy.hpp"
#include "number_text.hpp"
#include "reference_run.hpp"

#include "quench/scalar.hpp"

#include <cmath>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace quench::oracle {

std::string trajectory_header_line(std::size_t dimension, const std::string& precision, bool enclose);

/// Why a value of quantity q may leave the double range, for the message of
/// check_reportable (`point_double`: the core's double computation, `interval`: an
/// enclosure).
std::string unreportable_reason(Quantity q, bool point_double, bool interval);

/// Refuses (bad_input naming the step, coordinate, quantity and `where`) a step with a
/// value, or an enclosure bound, that is infinite or NaN as a double: the JSON Lines and
/// the .npy outputs are read as doubles, and none may carry an infinity or a NaN.
template <class Run>
void check_reportable(const Run& run, const std::string& where) {
    using T = typename Run::value_type;
    for (Quantity q : all_quantities) {
        const auto& v = run.values(q);
        for (std::size_t i = 0; i < v.size(); ++i) {
            const double lo = lower_double(v[i]), hi = upper_double(v[i]);
            if (std::isfinite(lo) && std::isfinite(hi)) continue;
            std::string text = quench::is_interval_v<T> ? "[" + message_number(lo) + ", " + message_number(hi) + "]"
                                                        : message_number(lo);
            throw bad_input(where + ": step " + std::to_string(run.steps()) + ", coordinate " + std::to_string(i) +
                            ": " + quantity_name(q) + " = " + text + " is not finite in double: " +
                            unreportable_reason(q, std::is_same_v<T, double>, quench::is_interval_v<T>) +
                            "; no output was written");
        }
    }
}

template <class T>
class JsonlTrajectoryWriter {
public:
    JsonlTrajectoryWriter(tools::OutputSet& outputs, const std::string& path, std::size_t dimension,
                          const std::string& precision)
        : out_(outputs.add(path, "-o")) {
        out_ << trajectory_header_line(dimension, precision, quench::is_interval_v<T>);
    }
    template <class Run>
    void write(const Run& run) {
        line_.clear();
        line_ += "{\"t\":";
        line_ += std::to_string(run.steps());
        for (Quantity q : all_quantities) {
            line_ += ",\"";
            line_ += quantity_name(q);
            line_ += "\":[";
            const auto& v = run.values(q);
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (i) line_ += ',';
                append_json(line_, v[i]);
            }
            line_ += ']';
        }
        line_ += "}\n";
        out_ << line_;
    }

private:
    std::ostream& out_;
    std::string line_;
};

template <class T>
class NpyTrajectoryWriter {
public:
    NpyTrajectoryWriter(tools::OutputSet& outputs, const std::string& dir, std::size_t dimension) : row_(dimension) {
        for (Quantity q : all_quantities) {
            const std::string base = dir + "/" + quantity_name(q);
            if constexpr (quench::is_interval_v<T>) {
                add(outputs, base + ".lo.npy", dimension);
                add(outputs, base + ".hi.npy", dimension);
            } else {
                add(outputs, base + ".npy", dimension);
            }
        }
    }
    template <class Run>
    void write(const Run& run) {
        std::size_t f = 0;
        for (Quantity q : all_quantities) {
            const auto& v = run.values(q);
            for (std::size_t i = 0; i < v.size(); ++i) row_[i] = lower_double(v[i]);
            writers_[f++]->write_row(row_.data());
            if constexpr (quench::is_interval_v<T>) {
                for (std::size_t i = 0; i < v.size(); ++i) row_[i] = upper_double(v[i]);
                writers_[f++]->write_row(row_.data());
            }
        }
    }
    /// Writes the final row counts into the headers (the OutputSet then commits the files).
    void finish() {
        for (auto& w : writers_) w->finish();
    }

private:
    void add(tools::OutputSet& outputs, const std::string& path, std::size_t dimension) {
        writers_.push_back(std::make_unique<NpyRowWriter>(outputs.add(path, "--npy-dir"), dimension));
    }
    std::vector<std::unique_ptr<NpyRowWriter>> writers_;
    std::vector<double> row_;
};

}  // namespace quench::oracle
