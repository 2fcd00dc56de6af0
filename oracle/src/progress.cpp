#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace quench::oracle {

Progress::Progress(std::optional<std::uint64_t> total)
    : enabled_(::isatty(2) == 1), total_(total), start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { finish(); }

void Progress::draw(std::uint64_t step) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    if (total_ && *total_ > 0)
        std::fprintf(stderr, "\rquench-oracle: step %llu of %llu (%.0f%%), %.0f steps/s   ",
                     static_cast<unsigned long long>(step), static_cast<unsigned long long>(*total_),
                     100.0 * static_cast<double>(step) / static_cast<double>(*total_), static_cast<double>(step) / s);
    else
        std::fprintf(stderr, "\rquench-oracle: step %llu, %.0f steps/s   ", static_cast<unsigned long long>(step),
                     static_cast<double>(step) / s);
    drawn_ = true;
}

void Progress::finish() {
    if (drawn_) std::fputs("\n", stderr);
    drawn_ = false;
}

}  // namespace quench::oracle
