// trajectory_writer.hpp - streams a reference trajectory to JSON Lines or .npy files
// (schema: oracle/schema/trajectory.schema.json). Every file is written to a temporary
// and renamed when the run completes (atomic_file.hpp).
//
// JSON Lines: a header line {"format": "quench-trajectory", "version": 1, "dimension": d,
// "precision": ..., "enclose": ...}, then one line per step {"t": 1, "gt": [...], ...}.
// Point values are numbers that round-trip exactly; with --enclose each value is a pair
// [lower, upper] printed rounded outward.
// .npy: <dir>/<quantity>.npy of shape (steps, d), float64; with --enclose
// <dir>/<quantity>.lo.npy and <quantity>.hi.npy, rounded outward to double.
#pragma once

#include "atomic_file.hpp"
#include "oracle_error.hpp"
#include "npy.hpp"
#include "number_text.hpp"
#include "reference_run.hpp"

#include "quench/scalar.hpp"

#include <memory>
#include <string>
#include <vector>

namespace quench::oracle {

std::string trajectory_header_line(std::size_t dimension, const std::string& precision, bool enclose);

template <class T>
class JsonlTrajectoryWriter {
public:
    JsonlTrajectoryWriter(const std::string& path, std::size_t dimension, const std::string& precision)
        : file_(path) {
        file_.stream() << trajectory_header_line(dimension, precision, quench::is_interval_v<T>);
    }
    void write(const ReferenceRun<T>& run) {
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
        file_.stream() << line_;
    }
    void commit() { file_.commit(); }

private:
    AtomicFile file_;
    std::string line_;
};

template <class T>
class NpyTrajectoryWriter {
public:
    NpyTrajectoryWriter(const std::string& dir, std::size_t dimension) : row_(dimension) {
        for (Quantity q : all_quantities) {
            const std::string base = dir + "/" + quantity_name(q);
            if constexpr (quench::is_interval_v<T>) {
                add(base + ".lo.npy", dimension);
                add(base + ".hi.npy", dimension);
            } else {
                add(base + ".npy", dimension);
            }
        }
    }
    void write(const ReferenceRun<T>& run) {
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
    void commit() {
        for (auto& w : writers_) w->finish();
        for (auto& f : files_) f->commit();
    }

private:
    void add(const std::string& path, std::size_t dimension) {
        files_.push_back(std::make_unique<AtomicFile>(path));
        writers_.push_back(std::make_unique<NpyRowWriter>(files_.back()->stream(), dimension));
    }
    std::vector<std::unique_ptr<AtomicFile>> files_;
    std::vector<std::unique_ptr<NpyRowWriter>> writers_;
    std::vector<double> row_;
};

}  // namespace quench::oracle
