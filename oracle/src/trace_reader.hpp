// trace_reader.hpp - reads a trace: the meta-parameters and options, the initial
// parameters phi0, and the stream of minibatch gradients (schema: oracle/schema/
// trace.schema.json). The first line of a JSON Lines file is the header; the gradients
// follow one per line ({"g": [...]}) or come from a (steps, d) .npy file named by the
// header's "gradients" field or by --gradients. Gradients are streamed one step at a time.
//
// Numbers are kept as text and converted to the working type by trace_convert.hpp, so that
// "0.1" means the decimal 0.1 at every precision.
#pragma once

#include "npy.hpp"

#include "quench/hyperparameters.hpp"

#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace quench::oracle {

/// One option field as a trace gives it: a flag, a limit (as text; empty: null, no limit)
/// or the noise statistic (X13).
using OptionText = std::variant<bool, std::optional<std::string>, quench::NoiseStatistic>;

/// The header of a trace, numbers as text. Absent optional fields take the core's defaults
/// (quench::Options, quench::Hyperparameters).
struct TraceHeader {
    std::string where;  ///< "file:1", for messages
    std::string batch_size, lambda_rate;
    std::optional<std::string> lambda_batch, epsilon;  ///< default: the core's 16 and T(1e-12)
    std::uint64_t warmup = 1;
    // Options (quench::Options): the trace's "options" fields are the core's option names
    // (quench::visit_options); "literal": true starts from Options::literal() and the
    // fields given override it. An absent field keeps the core's default.
    bool literal = false;
    std::map<std::string, OptionText> options;    ///< the option fields given, by name
    std::optional<std::uint64_t> steps;           ///< declared number of steps, checked
    std::size_t dimension = 0;
    std::vector<std::string> phi0_text;           ///< inline phi0 ...
    std::vector<double> phi0_values;              ///< ... or from a .npy file
    std::optional<std::string> gradients_npy;     ///< resolved path
};

/// One step's gradient: decimal texts (JSON Lines) or doubles (.npy).
struct GradientRow {
    bool is_text = true;
    std::vector<std::string> texts;
    std::vector<double> values;
    std::size_t size() const { return is_text ? texts.size() : values.size(); }
};

class TraceReader {
public:
    /// Opens a trace file; `gradients_override` (from --gradients) replaces the header's.
    TraceReader(const std::string& path, std::optional<std::string> gradients_override = {});
    /// Reads from a stream (fuzzers, tests). With allow_files = false a header that names
    /// a .npy file is rejected.
    TraceReader(std::unique_ptr<std::istream> in, std::string name, bool allow_files);

    const TraceHeader& header() const { return header_; }
    /// The next gradient; false at the end (after checking the declared step count).
    /// Throws bad_input naming the file and line (or .npy row).
    bool next(GradientRow& row);
    std::uint64_t steps_read() const { return step_; }
    /// The total number of steps when known in advance (.npy, or "steps").
    std::optional<std::uint64_t> total_steps() const;
    /// "file:line" (JSON Lines) or "file row r" (.npy) of the last gradient read.
    std::string where() const;

private:
    void read_header(bool allow_files, const std::optional<std::string>& override_npy);
    bool next_line(std::string& line);
    std::unique_ptr<std::istream> in_;
    std::string name_, dir_;
    TraceHeader header_;
    std::unique_ptr<NpyRowReader> npy_;
    std::uint64_t line_ = 0, step_ = 0;
};

/// The largest |value| accepted for a gradient: the core's largest_gradient<double>()
/// (sqrt(DBL_MAX)/2), at every precision, so that a double candidate could see the same
/// trace.
double largest_accepted_gradient();
/// The smallest nonzero |value| accepted for a gradient: the core's
/// smallest_gradient<double>() (sqrt(DBL_MIN)), at every precision, for the same reason.
double smallest_accepted_gradient();

}  // namespace quench::oracle
