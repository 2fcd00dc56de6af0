// report.hpp - what every section of quench-reproduce contributes: Markdown for the report,
// LaTeX macros and tables for the paper, lines for the terminal summary, and "claims" (a
// statement, whether it holds, the evidence). The program exits non-zero when a claim fails,
// which is what the CTest tests check.
#pragma once

#include "output_folder.hpp"
#include "figure.hpp"

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace quench::reproduce {

struct Config {
    bool quick = false;       ///< smaller Monte Carlo runs (CTest, ASan)
    std::uint64_t seed = 20170101;
    std::uint64_t trials = 0;  ///< Monte Carlo trials per cell (0: the mode's default)
    double false_alarm = 1e-9;  ///< level of the exact binomial tests
};

struct Claim {
    std::string id, statement;
    bool holds;
    std::string evidence;
};

class Report {
public:
    explicit Report(examples::OutputFolder& out) : out_(out) {}
    examples::OutputFolder& out() { return out_; }

    void markdown(const std::string& text) { markdown_ += text; }
    void summary(const std::string& line) { summary_.push_back(line); }
    /// \newcommand{\qr<name>}{value} for the paper (name: letters only).
    void macro(const std::string& name, const std::string& value) {
        macros_ += "\\newcommand{\\qr" + name + "}{" + value + "}\n";
    }
    void claim(std::string id, std::string statement, bool holds, std::string evidence) {
        claims_.push_back({std::move(id), std::move(statement), holds, std::move(evidence)});
    }
    /// Writes name.svg (report), tex/name.tex and tex/name.csv (paper) for one figure.
    void figure(const std::string& name, const examples::Figure& f) { examples::write_figure(out_, name, f); }

    const std::string& markdown() const { return markdown_; }
    const std::string& macros() const { return macros_; }
    const std::vector<std::string>& summary() const { return summary_; }
    const std::vector<Claim>& claims() const { return claims_; }

private:
    examples::OutputFolder& out_;
    std::string markdown_, macros_;
    std::vector<std::string> summary_;
    std::vector<Claim> claims_;
};

/// printf into a std::string (checked like printf by the compiler).
[[gnu::format(printf, 1, 2)]] inline std::string format(const char* f, ...) {
    std::va_list args, copy;
    va_start(args, f);
    va_copy(copy, args);
    const int n = std::vsnprintf(nullptr, 0, f, args);
    va_end(args);
    std::string s(static_cast<std::size_t>(n > 0 ? n : 0) + 1, '\0');
    std::vsnprintf(s.data(), s.size(), f, copy);
    va_end(copy);
    s.resize(static_cast<std::size_t>(n > 0 ? n : 0));
    return s;
}

// The sections, one translation unit each (the mpfi one compiles slowly).
void optimal_batch_section(const Config&, Report&);       // E12, E21-E23, E29 (X4, X7)
void progress_guarantee_section(const Config&, Report&);  // E25-E28 on random quadratics
void concentration_section(const Config&, Report&);       // E26 coverage and X5
void negative_variance_section(const Config&, Report&);   // X8

}  // namespace quench::reproduce
