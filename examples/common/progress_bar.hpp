// progress_bar.hpp - a one-line progress bar on stderr, drawn only when stderr is a
// terminal (so logs, CTest output and pipes stay clean).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace quench::examples {

class ProgressBar {
public:
    ProgressBar(std::string label, std::uint64_t total)
        : label_(std::move(label)), total_(total == 0 ? 1 : total), enabled_(::isatty(STDERR_FILENO) == 1) {
        draw();
    }
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;
    ~ProgressBar() { finish(); }

    void advance(std::uint64_t by = 1) {
        done_ += by;
        if (done_ > total_) done_ = total_;
        const unsigned percent = static_cast<unsigned>(100 * done_ / total_);
        if (percent != last_percent_) {
            last_percent_ = percent;
            draw();
        }
    }
    void finish() {
        if (!enabled_ || finished_) return;
        done_ = total_;
        draw();
        std::fputc('\n', stderr);
        finished_ = true;
    }

private:
    void draw() const {
        if (!enabled_) return;
        constexpr unsigned width = 30;
        const unsigned filled = static_cast<unsigned>(width * done_ / total_);
        std::string bar(filled, '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "\r%-28s [%s] %3u%%", label_.c_str(), bar.c_str(),
                     static_cast<unsigned>(100 * done_ / total_));
        std::fflush(stderr);
    }
    std::string label_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
    unsigned last_percent_ = 0;
    bool enabled_;
    bool finished_ = false;
};

}  // namespace quench::examples
