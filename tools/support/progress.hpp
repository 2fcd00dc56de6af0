// progress.hpp - a progress line on standard error for long runs (the oracle's steps, the
// examples' epochs and trials), shown only when standard error is a terminal: never in pipes,
// files or tests, whose output stays clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace quench::tools {

class Progress {
public:
    /// `label` starts the line ("quench-oracle", "concentration (E26)"), `unit` names what is
    /// counted ("step", "trial"; the rate says "steps/s"), `total` is the count at the end
    /// when it is known. update() reads the clock only on every `stride`-th count (a power of
    /// two), so that a call per step in a hot loop costs a test and a branch.
    Progress(std::string label, std::string unit, std::optional<std::uint64_t> total, std::uint64_t stride = 1);
    ~Progress();  ///< finish()
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// `done` counted so far; the line is redrawn at most four times a second.
    void update(std::uint64_t done) {
        done_ = done;
        if (enabled_ && (done & (stride_ - 1)) == 0) draw();
    }
    void advance(std::uint64_t by = 1) { update(done_ + by); }
    /// Draws the final count and ends the line (when one was drawn).
    void finish();

private:
    void draw();
    void print() const;
    std::string label_, unit_;
    std::optional<std::uint64_t> total_;
    std::uint64_t stride_;
    std::uint64_t done_ = 0;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace quench::tools
