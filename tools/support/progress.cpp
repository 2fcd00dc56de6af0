#include "progress.hpp"

#include <cstdio>
#include <stdexcept>
#include <utility>

#include <unistd.h>

namespace quench::tools {

Progress::Progress(std::string label, std::string unit, std::optional<std::uint64_t> total, std::uint64_t stride)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      stride_(stride),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {
    if (stride == 0 || (stride & (stride - 1)) != 0) throw std::logic_error("Progress: the stride must be a power of two");
}

Progress::~Progress() { finish(); }

void Progress::draw() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    print();
    drawn_ = true;
}

void Progress::print() const {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
    const auto done = static_cast<unsigned long long>(done_);
    char rate_text[32];  // whole numbers for fast loops, three digits for an epoch a second
    std::snprintf(rate_text, sizeof rate_text, rate >= 100 ? "%.0f" : "%.3g", rate);
    if (total_ && *total_ > 0)
        std::fprintf(stderr, "\r%s: %s %llu of %llu (%.0f%%), %s %ss/s   ", label_.c_str(), unit_.c_str(), done,
                     static_cast<unsigned long long>(*total_),
                     100.0 * static_cast<double>(done_) / static_cast<double>(*total_), rate_text, unit_.c_str());
    else
        std::fprintf(stderr, "\r%s: %s %llu, %s %ss/s   ", label_.c_str(), unit_.c_str(), done, rate_text, unit_.c_str());
    std::fflush(stderr);
}

void Progress::finish() {
    if (!drawn_) return;
    print();
    std::fputs("\n", stderr);
    drawn_ = false;
}

}  // namespace quench::tools
