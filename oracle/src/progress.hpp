// progress.hpp - a progress line on standard error for long runs, shown only when standard
// error is a terminal (never in pipes, files or tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace quench::oracle {

class Progress {
public:
    explicit Progress(std::optional<std::uint64_t> total);
    ~Progress();
    /// Called after each step; cheap (looks at the clock every 1024 steps).
    void update(std::uint64_t step) {
        if (enabled_ && (step & 1023u) == 0) draw(step);
    }
    void finish();

private:
    void draw(std::uint64_t step);
    bool enabled_;
    bool drawn_ = false;
    std::optional<std::uint64_t> total_;
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace quench::oracle
