// quench-paper-inputs: writes the paper's verification and benchmark inputs (LaTeX) from
// the files the other parts of the project hold or generate, so that no count in the paper
// is typed by hand:
//   - proofs/*.v              -> Coq theorem and lemma counts, the E/X-named theorems
//   - proofs/rounding/*.g     -> the Gappa-certified rounding bounds
//   - property_tests/*.cpp    -> the RapidCheck properties (run_property ids) and tests
//   - tests/*.cpp             -> the unit tests
//   - benchmarks/results/results.md (written by benchmarks/run_benchmarks.py)
//   - docs/mutation-results.md (written by scripts/mutate.sh) -> the campaign's counts and time
// A part that is missing yields a sentence saying so ("not yet generated"), never a number.
//
// Both files are written by one OutputSet (tools/support): they appear together, or, when
// anything fails, neither replaces the previous pair.
//
// Usage: quench-paper-inputs <source-dir> <out-dir>
#include "support/output_files.hpp"
#include "support/report_table.hpp"
#include "support/tex_text.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

using quench::tools::escape_tex;
using quench::tools::ReportTable;
using quench::tools::tex_code;

constexpr const char* program = "quench-paper-inputs";

/// Markdown text without its `code` marks.
std::string plain(const std::string& markdown) {
    std::string r = markdown;
    r.erase(std::remove(r.begin(), r.end(), '`'), r.end());
    return r;
}

/// Markdown text to TeX: the `code` marks dropped, the rest escaped.
std::string tex(const std::string& markdown) { return escape_tex(plain(markdown)); }

std::vector<fs::path> files(const fs::path& dir, const std::string& extension) {
    std::vector<fs::path> r;
    if (!fs::is_directory(dir)) return r;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == extension) r.push_back(e.path());
    std::sort(r.begin(), r.end());
    return r;
}

std::vector<std::string> matches(const std::string& text, const std::regex& re, int group = 1) {
    std::vector<std::string> r;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
        r.push_back((*it)[group].str());
    return r;
}

std::string macro(const std::string& name, const std::string& value) {
    return "\\newcommand{\\qv" + name + "}{" + value + "}\n";
}

/// Markdown (headings, pipe tables, paragraphs, "- " lists) to LaTeX.
std::string markdown_to_latex(const std::string& md) {
    std::istringstream in(md);
    std::string line, out;
    std::vector<std::vector<std::string>> table;
    auto flush_table = [&] {
        if (table.empty()) return;
        std::size_t cols = 0;
        for (auto& r : table) cols = std::max(cols, r.size());
        // Wide tables (the step table has 13 columns) in smaller type with narrower gaps.
        const std::string size = cols > 10 ? "\\tiny\\setlength{\\tabcolsep}{3pt}" : "\\scriptsize";
        auto cell = [](const std::string& md) -> ReportTable::Cell {
            const std::string text = plain(md);
            const bool bold = text.size() > 4 && text.rfind("**", 0) == 0 &&
                              text.compare(text.size() - 2, 2, "**") == 0;  // Markdown **x**
            return bold ? ReportTable::Cell::strong(text.substr(2, text.size() - 4)) : ReportTable::Cell(text);
        };
        std::vector<ReportTable::Column> columns;  // the first line: the headings
        for (std::size_t c = 0; c < cols; ++c) columns.push_back({c < table[0].size() ? plain(table[0][c]) : ""});
        ReportTable t(columns);
        for (std::size_t i = 1; i < table.size(); ++i) {
            std::vector<ReportTable::Cell> cells;
            for (std::size_t c = 0; c < cols; ++c) cells.push_back(c < table[i].size() ? cell(table[i][c]) : ReportTable::Cell(""));
            t.row(std::move(cells));
        }
        out += "{" + size + t.tex(program, ReportTable::TexEnvironment::longtable) + "}\n";
        table.clear();
    };
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] == '|') {
            if (line.find("---") != std::string::npos && line.find_first_not_of("|-: ") == std::string::npos) continue;
            std::vector<std::string> cells;
            std::string cell;
            for (std::size_t i = 1; i < line.size(); ++i) {
                if (line[i] == '|') {
                    const auto a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
                    cells.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
                    cell.clear();
                } else {
                    cell += line[i];
                }
            }
            table.push_back(cells);
            continue;
        }
        flush_table();
        if (line.rfind("# ", 0) == 0) continue;  // the document title
        if (line.rfind("## ", 0) == 0) out += "\\paragraph{" + tex(line.substr(3)) + "}\n";
        else if (line.rfind("### ", 0) == 0) out += "\\paragraph{" + tex(line.substr(4)) + "}\n";
        else if (line.rfind("- ", 0) == 0) out += "\\noindent\\textbullet~" + tex(line.substr(2)) + "\\\\\n";
        else if (line.empty()) out += "\n";
        else out += tex(line) + "\n";
    }
    flush_table();
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: quench-paper-inputs <source-dir> <out-dir>\n");
        return 2;
    }
    try {
        const fs::path src = argv[1], out = argv[2];
        if (!fs::is_directory(src)) throw std::runtime_error("no source folder " + src.string());
        // Both outputs are checked and their temporaries made before any work.
        quench::tools::OutputSet outputs(quench::tools::OutputOwner{program, ""});
        outputs.add_directory(out.string(), "<out-dir>");
        std::ostream& verification = outputs.add((out / "verification-inputs.tex").string(), "<out-dir>");
        std::ostream& benchmarks = outputs.add((out / "benchmark-results.tex").string(), "<out-dir>");
        std::string v = "% generated by quench-paper-inputs; do not edit\n";

        // ---- Coq ---------------------------------------------------------------------------
        const auto coq = files(src / "proofs", ".v");
        const std::regex theorem(R"((?:^|\n)\s*(Theorem|Lemma|Corollary|Proposition)\s+([A-Za-z0-9_']+))");
        const std::regex admitted(R"(\b(Admitted|admit)\b)");
        std::size_t theorems = 0, lemmas = 0, admits = 0;
        ReportTable coq_table(std::vector<ReportTable::Column>{{"file"},
                                                             {"theorems", "r"},
                                                             {"lemmas", "r"},
                                                             {"theorems named after an equation or erratum",
                                                              "p{0.62\\linewidth}"}});
        for (const auto& f : coq) {
            if (f.filename() == "Assumptions.v" || f.filename() == "AssumptionsX5.v") continue;  // Print Assumptions lists
            const std::string text = read(f);
            std::size_t t = 0, l = 0;
            std::vector<std::string> named;
            for (auto it = std::sregex_iterator(text.begin(), text.end(), theorem); it != std::sregex_iterator(); ++it) {
                const std::string kind = (*it)[1].str(), name = (*it)[2].str();
                if (kind == "Lemma") ++l; else ++t;
                if (kind != "Lemma" && (name[0] == 'E' || name[0] == 'X') && name.size() > 1 && std::isdigit(static_cast<unsigned char>(name[1])))
                    named.push_back(name);
            }
            admits += matches(text, admitted).size();
            theorems += t;
            lemmas += l;
            std::string list;
            for (std::size_t i = 0; i < named.size(); ++i) list += (i ? ", " : "") + named[i];
            coq_table.row({ReportTable::Cell::code(f.filename().string()), std::to_string(t), std::to_string(l),
                           list.empty() ? ReportTable::Cell("--") : ReportTable::Cell::code(list)});
        }
        if (coq.empty()) {
            v += macro("CoqSummary", "The Coq development (\\texttt{proofs/}) is not yet generated.");
            v += macro("CoqTable", "");
        } else {
            v += macro("CoqSummary", std::to_string(coq.size() - (fs::exists(src / "proofs/Assumptions.v") ? 1 : 0) -
                                                        (fs::exists(src / "proofs/AssumptionsX5.v") ? 1 : 0)) +
                                         " Coq files state " + std::to_string(theorems) + " theorems and " +
                                         std::to_string(lemmas) + " lemmas; the words \\texttt{Admitted}/\\texttt{admit} occur " +
                                         std::to_string(admits) + " times in them (comments included)");
            v += "\\newcommand{\\qvCoqTable}{{\\footnotesize" +
                 coq_table.tex(program, ReportTable::TexEnvironment::longtable) + "}}\n";
        }

        // ---- Gappa -------------------------------------------------------------------------
        const auto gappa = files(src / "proofs" / "rounding", ".g");
        if (gappa.empty()) {
            v += macro("GappaSummary", "The Gappa rounding certificates (\\texttt{proofs/rounding/}) are not yet generated.");
        } else {
            std::string names;
            for (std::size_t i = 0; i < gappa.size(); ++i)
                names += (i ? ", " : "") + tex_code(gappa[i].stem().string());
            v += macro("GappaSummary", std::to_string(gappa.size()) + " Gappa scripts certify rounding-error bounds of the "
                                       "double-precision formulas: " + names);
        }

        // ---- Property and unit tests -------------------------------------------------------
        const std::regex property_id(R"re(run_property\(\s*"([^"]+)")re");
        const std::regex gtest(R"((?:^|\n)(?:TEST|TYPED_TEST|TEST_F|TEST_P|RC_GTEST_PROP)\(\s*([A-Za-z0-9_]+)\s*,\s*([A-Za-z0-9_]+))");
        std::vector<std::string> properties;
        std::size_t property_tests = 0;
        // Properties: run_property("Suite/Name", ...) and QUENCH_PROPERTY[_SEEDED](Suite, Name, ...)
        // (property_tests/harness.hpp); other GoogleTest cases are counted separately.
        const std::regex property_macro(R"((?:^|\n)QUENCH_PROPERTY(?:_SEEDED)?\(\s*([A-Za-z0-9_]+)\s*,\s*([A-Za-z0-9_]+))");
        for (const auto& f : files(src / "property_tests", ".cpp")) {
            const std::string text = read(f);
            for (auto& id : matches(text, property_id)) properties.push_back(id);
            for (auto it = std::sregex_iterator(text.begin(), text.end(), property_macro); it != std::sregex_iterator(); ++it)
                properties.push_back((*it)[1].str() + "/" + (*it)[2].str());
            property_tests += matches(text, gtest).size();
        }
        std::sort(properties.begin(), properties.end());
        properties.erase(std::unique(properties.begin(), properties.end()), properties.end());
        if (properties.empty() && property_tests == 0) {
            v += macro("PropertySummary", "The property-test suite (\\texttt{property\\_tests/}) is not yet generated.");
        } else {
            std::string list;
            for (std::size_t i = 0; i < properties.size(); ++i) list += (i ? ", " : "") + tex_code(properties[i]);
            v += macro("PropertySummary", "\\texttt{property\\_tests/} defines " + std::to_string(properties.size()) +
                                          " RapidCheck properties" + (list.empty() ? std::string("") : " (" + list + ")") +
                                          " and " + std::to_string(property_tests) + " further GoogleTest cases.");
        }
        std::size_t unit = 0;
        for (const auto& f : files(src / "tests", ".cpp")) unit += matches(read(f), gtest).size();
        v += macro("UnitSummary", unit ? "\\texttt{tests/} holds " + std::to_string(unit) +
                                             " example-based GoogleTest cases (typed tests run once per scalar type)."
                                       : std::string("The unit tests (\\texttt{tests/}) are not yet generated."));
        // ---- Mutation campaign ---------------------------------------------------------------
        // The counts line of docs/mutation-results.md and its runs' times ("1 h 41 min",
        // "9 min 01 s": the first number of each run-time cell, before the baseline's).
        const fs::path mutation = src / "docs" / "mutation-results.md";
        const std::string mtext = fs::exists(mutation) ? read(mutation) : std::string();
        std::smatch counts;
        const std::regex counts_line(R"(\*\*(\d+ mutants listed: [^*]+)\.\*\*)");
        if (!std::regex_search(mtext, counts, counts_line)) {
            v += macro("MutationSummary", "The campaign's results (\\texttt{docs/mutation-results.md}) are not yet generated.");
        } else {
            const std::regex run_row(R"((?:^|\n)\| (\d+) \| ([^|]+) \|[^\n]*\| (?:(\d+) h (\d+) min|(\d+) min (\d+) s) \([^)]*\) \|)");
            long seconds = 0;
            std::size_t runs = 0;
            std::string first, last;
            for (auto it = std::sregex_iterator(mtext.begin(), mtext.end(), run_row); it != std::sregex_iterator(); ++it) {
                const auto& m = *it;
                seconds += m[3].matched ? std::stol(m[3]) * 3600 + std::stol(m[4]) * 60 : std::stol(m[5]) * 60 + std::stol(m[6]);
                if (!runs++) first = m[2].str();
                last = m[2].str();
            }
            v += macro("MutationSummary", "The latest results: " + tex(counts[1].str()) + ", in " + std::to_string(runs) +
                                              " runs between " + tex(first) + " and " + tex(last) + " (the runs' times add up to " +
                                              std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) +
                                              " min).");
        }
        verification << v;

        // ---- Benchmarks --------------------------------------------------------------------
        const fs::path bench = src / "benchmarks" / "results" / "results.md";
        std::string b = "% generated by quench-paper-inputs; do not edit\n";
        if (fs::exists(bench)) b += "Source: \\texttt{benchmarks/results/results.md}.\n\n" + markdown_to_latex(read(bench));
        else b += "The benchmark results (\\texttt{benchmarks/results/results.md}, written by "
                  "\\texttt{benchmarks/run\\_benchmarks.py}) are not yet generated.\n";
        benchmarks << b;
        outputs.commit();
        std::printf("quench-paper-inputs: wrote %s/verification-inputs.tex and benchmark-results.tex\n", out.string().c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quench-paper-inputs: %s\n", e.what());
        return 2;
    }
}
