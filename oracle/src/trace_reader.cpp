#include "trace_reader.hpp"

#include "json_fields.hpp"
#include "number_text.hpp"
#include "support/output_files.hpp"

#include "quench/gradient_range.hpp"
#include "quench/quench_sgd.hpp"

#include <cmath>
#include <type_traits>
#include <fstream>

namespace quench::oracle {

double largest_accepted_gradient() { return quench::largest_gradient<double>(); }
double smallest_accepted_gradient() { return quench::smallest_gradient<double>(); }

namespace {
std::string directory_of(const std::string& path) {
    const auto p = path.find_last_of('/');
    return p == std::string::npos ? std::string() : path.substr(0, p + 1);
}
std::string resolve(const std::string& dir, const std::string& file) {
    return !file.empty() && file[0] == '/' ? file : dir + file;
}
bool blank(const std::string& s) {
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}
}  // namespace

TraceReader::TraceReader(const std::string& path, std::optional<std::string> gradients_override)
    : name_(path), dir_(directory_of(path)) {
    tools::check_input_file(path, "trace");
    auto f = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*f) throw bad_input(path + ": cannot open the trace file");
    in_ = std::move(f);
    read_header(true, gradients_override);
}

TraceReader::TraceReader(std::unique_ptr<std::istream> in, std::string name, bool allow_files)
    : in_(std::move(in)), name_(std::move(name)) {
    read_header(allow_files, {});
}

bool TraceReader::next_line(std::string& line) {
    while (std::getline(*in_, line)) {
        ++line_;
        if (!blank(line)) return true;
    }
    if (in_->bad()) throw bad_input(name_ + ": read error after line " + std::to_string(line_));
    return false;
}

void TraceReader::read_header(bool allow_files, const std::optional<std::string>& override_npy) {
    std::string line;
    if (!next_line(line)) throw bad_input(name_ + ": empty trace (the first line must be the header object)");
    const std::string where = name_ + ":" + std::to_string(line_);
    JsonValue root;
    try {
        root = parse_json(line);
    } catch (const json_syntax_error& e) {
        throw bad_input(where + ": malformed JSON in the header: " + e.what());
    }
    TraceHeader& h = header_;
    h.where = where;
    const FieldReader top(root, where, "");
    top.allow_only({"format", "version", "hyperparameters", "options", "phi0", "gradients", "steps", "dimension", "comment"});
    if (top.string("format") != "quench-trace") top.fail("format", "must be \"quench-trace\"");
    if (top.integer("version", 1) != 1) top.fail("version", "only version 1 is known");

    const FieldReader hyper(top.require("hyperparameters"), where, "hyperparameters");
    hyper.allow_only({"batch_size", "warmup", "lambda_batch", "lambda_rate", "epsilon"});
    h.batch_size = hyper.number("batch_size");
    h.warmup = hyper.integer("warmup", 1);
    h.lambda_rate = hyper.number("lambda_rate");
    if (hyper.get("lambda_batch")) h.lambda_batch = hyper.number("lambda_batch");
    if (hyper.get("epsilon")) h.epsilon = hyper.number("epsilon");

    if (const JsonValue* o = top.get("options")) {
        const FieldReader opt(*o, where, "options");
        const quench::Options<double> catalogue;  // only its field types and names are read
        std::vector<const char*> known{"literal"};
        quench::visit_options(catalogue, [&](const quench::OptionInfo& info, const auto&) { known.push_back(info.name); });
        opt.allow_only(known);
        if (opt.get("literal")) h.literal = opt.boolean("literal");
        // Each option the trace gives, read as its type in quench::Options says.
        quench::visit_options(catalogue, [&](const quench::OptionInfo& info, const auto& field) {
            const JsonValue* v = opt.get(info.name);
            if (!v) return;
            using Field = std::decay_t<decltype(field)>;
            if constexpr (std::is_same_v<Field, bool>) {
                h.options[info.name] = opt.boolean(info.name);
            } else if constexpr (std::is_same_v<Field, quench::NoiseStatistic>) {
                const std::string n = opt.string(info.name);
                for (quench::NoiseStatistic s : quench::all_noise_statistics)
                    if (n == quench::noise_statistic_name(s)) h.options[info.name] = s;
                if (!h.options.count(info.name))
                    opt.fail(opt.name(info.name), "must be \"per_example\" or \"minibatch\", got \"" + n + "\"");
            } else {  // a limit: a number, or null for none
                std::optional<std::string> limit;
                if (v->kind != JsonValue::Kind::null) limit = opt.number(*v, opt.name(info.name));
                h.options[info.name] = limit;
            }
        });
    }
    if (top.get("steps")) h.steps = top.integer("steps", 0);

    const JsonValue& phi0 = top.require("phi0");
    if (phi0.kind == JsonValue::Kind::array) {
        for (std::size_t i = 0; i < phi0.items.size(); ++i)
            h.phi0_text.push_back(top.number(phi0.items[i], "phi0[" + std::to_string(i) + "]"));
        h.dimension = h.phi0_text.size();
    } else if (phi0.kind == JsonValue::Kind::string) {
        if (!allow_files) top.fail("phi0", "file references are not allowed here");
        NpyRowReader r(resolve(dir_, phi0.text), 1, "phi0 .npy file");
        r.next(h.phi0_values);
        h.dimension = h.phi0_values.size();
    } else {
        top.fail("phi0", std::string("expected an array of numbers or the name of a .npy file, got ") + kind_name(phi0.kind));
    }
    if (h.dimension == 0) top.fail("phi0", "is empty (the dimension d must be >= 1)");
    if (top.get("dimension") && top.integer("dimension", 1) != h.dimension)
        top.fail("dimension", "says " + std::to_string(top.integer("dimension", 1)) + " but phi0 has " +
                                  std::to_string(h.dimension) + " entries");

    if (top.get("gradients")) {
        if (!allow_files) top.fail("gradients", "file references are not allowed here");
        h.gradients_npy = resolve(dir_, top.string("gradients"));
    }
    if (override_npy) h.gradients_npy = *override_npy;
    if (h.gradients_npy) {
        npy_ = std::make_unique<NpyRowReader>(*h.gradients_npy, 2, "gradients .npy file");
        if (npy_->columns() != h.dimension)
            throw bad_input(*h.gradients_npy + ": gradients have " + std::to_string(npy_->columns()) +
                            " columns but phi0 (" + where + ") has dimension " + std::to_string(h.dimension));
        if (h.steps && *h.steps != npy_->rows())
            throw bad_input(*h.gradients_npy + ": holds " + std::to_string(npy_->rows()) + " steps but " + where +
                            " declares \"steps\": " + std::to_string(*h.steps));
    }
}

std::optional<std::uint64_t> TraceReader::total_steps() const {
    if (npy_) return npy_->rows();
    return header_.steps;
}

std::string TraceReader::where() const {
    if (npy_) return npy_->name() + " row " + std::to_string(step_ == 0 ? 0 : step_ - 1);
    return name_ + ":" + std::to_string(line_);
}

bool TraceReader::next(GradientRow& row) {
    const double limit = largest_accepted_gradient();
    if (npy_) {
        row.is_text = false;
        if (!npy_->next(row.values)) {
            std::string extra;
            if (next_line(extra))
                throw bad_input(name_ + ":" + std::to_string(line_) +
                                ": gradient lines after the header, but the gradients come from " + npy_->name());
            return false;
        }
        ++step_;
        // One pass without a branch per value; the message's pass only when a value is out.
        const double smallest = smallest_accepted_gradient();
        bool out_of_range = false;
        for (double v : row.values) out_of_range |= (v != 0 && std::fabs(v) < smallest) | (std::fabs(v) > limit);
        for (std::size_t i = 0; out_of_range && i < row.values.size(); ++i) {
            if (row.values[i] != 0 && std::fabs(row.values[i]) < smallest_accepted_gradient())
                throw bad_input(where() + ", column " + std::to_string(i) + ": |gradient| " +
                                message_number(row.values[i]) + " is below smallest_gradient = sqrt(DBL_MIN) = " +
                                message_number(smallest_accepted_gradient()) +
                                ": its square is not a normal double, so a double implementation loses it "
                                "(write 0, or scale the gradients by a power of two)");
            if (std::fabs(row.values[i]) > limit)
                throw bad_input(where() + ", column " + std::to_string(i) + ": |gradient| exceeds sqrt(DBL_MAX)/2 = " +
                                message_number(limit) + ", the accepted limit (largest_gradient)");
        }
        return true;
    }
    std::string line;
    if (!next_line(line)) {
        if (header_.steps && *header_.steps != step_)
            throw bad_input(name_ + ": ends after " + std::to_string(step_) + " gradient lines but the header declares \"steps\": " +
                            std::to_string(*header_.steps) + " (truncated file?)");
        return false;
    }
    const std::string where = name_ + ":" + std::to_string(line_);
    if (header_.steps && step_ >= *header_.steps)
        throw bad_input(where + ": more gradient lines than the declared \"steps\": " + std::to_string(*header_.steps));
    JsonValue v;
    try {
        v = parse_json(line);
    } catch (const json_syntax_error& e) {
        throw bad_input(where + ": malformed JSON: " + e.what());
    }
    const FieldReader f(v, where, "");
    f.allow_only({"g"});
    const JsonValue& g = f.require("g");
    if (g.kind != JsonValue::Kind::array) f.fail("g", std::string("expected an array of numbers, got ") + kind_name(g.kind));
    if (g.items.size() != header_.dimension)
        f.fail("g", "has " + std::to_string(g.items.size()) + " entries but the dimension is " +
                        std::to_string(header_.dimension) + " (from phi0)");
    row.is_text = true;
    row.texts.resize(g.items.size());
    for (std::size_t i = 0; i < g.items.size(); ++i) {
        const std::string name = "g[" + std::to_string(i) + "]";
        row.texts[i] = finite_number_text(g.items[i], where, name);
        if (nonzero_below(row.texts[i], smallest_accepted_gradient()))
            f.fail(name, row.texts[i] + ": |gradient| is below smallest_gradient = sqrt(DBL_MIN) = " +
                             message_number(smallest_accepted_gradient()) +
                             ": its square is not a normal double, so a double implementation loses it "
                             "(write 0, or scale the gradients by a power of two)");
        if (magnitude_exceeds(row.texts[i], limit))  // the exact decimal, not its double
            f.fail(name, row.texts[i] + ": |gradient| exceeds sqrt(DBL_MAX)/2 = " + message_number(limit) +
                             ", the accepted limit (largest_gradient), decided on the exact decimal value");
    }
    ++step_;
    return true;
}

}  // namespace quench::oracle
