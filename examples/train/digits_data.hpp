// digits_data.hpp - reads the UCI handwritten digits (data/digits.csv.gz: 64 pixel values
// 0..16 and a label 0..9 per line) with zlib, and splits it into training and test sets.
// A malformed file is a clear error (file, line, what is wrong), never a partial data set.
#pragma once

#include "random_deviates.hpp"
#include "support/output_files.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace quench::train {

inline constexpr std::size_t pixels = 64;
inline constexpr std::size_t features = pixels + 1;  // the pixels / 16, then a constant 1 (bias)
inline constexpr std::size_t classes = 10;

/// Examples as rows of `features` doubles (pixel / 16 in [0, 1], then 1) and labels.
struct Dataset {
    std::vector<double> x;
    std::vector<unsigned> y;
    std::size_t size() const { return y.size(); }
    const double* row(std::size_t n) const { return x.data() + n * features; }
};

inline std::string read_gzip(const std::string& path) {
    // A regular file, and an input of this run that no output may replace (output_folder.hpp).
    tools::check_input_file(path, "data file");
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open the data file '" + path + "'");
    std::string content;
    char buffer[1 << 16];
    int n;
    while ((n = gzread(f, buffer, sizeof buffer)) > 0) {
        content.append(buffer, static_cast<std::size_t>(n));
        if (content.size() > (std::size_t{1} << 28)) {
            gzclose(f);
            throw std::runtime_error("'" + path + "' is larger than 256 MiB uncompressed: not the digits data");
        }
    }
    int error = Z_OK;
    const char* message = gzerror(f, &error);
    const std::string what = message ? message : "";
    gzclose(f);
    if (n < 0 || (error != Z_OK && error != Z_STREAM_END))
        throw std::runtime_error("cannot decompress '" + path + "': " + what);
    return content;
}

/// Parses the whole file; throws std::runtime_error naming the line on any malformed row.
inline Dataset load_digits(const std::string& path) {
    const std::string text = read_gzip(path);
    Dataset d;
    std::size_t line_number = 0, pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        auto fail = [&](const std::string& why) {
            throw std::runtime_error(path + ":" + std::to_string(line_number) + ": " + why +
                                     " (expected 64 integers 0..16 and a label 0..9, comma-separated)");
        };
        std::size_t field = 0, p = 0;
        std::vector<int> values;
        while (p <= line.size()) {
            std::size_t q = line.find(',', p);
            if (q == std::string_view::npos) q = line.size();
            int v = 0;
            const auto r = std::from_chars(line.data() + p, line.data() + q, v);
            if (r.ec != std::errc() || r.ptr != line.data() + q) fail("field " + std::to_string(field + 1) + " is not an integer");
            values.push_back(v);
            ++field;
            p = q + 1;
        }
        if (values.size() != pixels + 1) fail(std::to_string(values.size()) + " fields");
        for (std::size_t i = 0; i < pixels; ++i)
            if (values[i] < 0 || values[i] > 16) fail("pixel " + std::to_string(i + 1) + " = " + std::to_string(values[i]));
        if (values[pixels] < 0 || values[pixels] >= static_cast<int>(classes))
            fail("label " + std::to_string(values[pixels]));
        for (std::size_t i = 0; i < pixels; ++i) d.x.push_back(values[i] / 16.0);  // exact: k/16
        d.x.push_back(1.0);
        d.y.push_back(static_cast<unsigned>(values[pixels]));
    }
    if (d.size() < 20) throw std::runtime_error(path + ": only " + std::to_string(d.size()) + " examples");
    return d;
}

/// A seeded random split: the first round(test_fraction * n) shuffled examples are the test set.
inline void split(const Dataset& all, double test_fraction, std::uint64_t seed, Dataset& train, Dataset& test) {
    std::vector<std::size_t> order(all.size());
    std::iota(order.begin(), order.end(), 0);
    examples::Random rng(seed);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    const std::size_t n_test = static_cast<std::size_t>(test_fraction * static_cast<double>(all.size()) + 0.5);
    for (std::size_t k = 0; k < order.size(); ++k) {
        Dataset& to = k < n_test ? test : train;
        to.x.insert(to.x.end(), all.row(order[k]), all.row(order[k]) + features);
        to.y.push_back(all.y[order[k]]);
    }
}

}  // namespace quench::train
