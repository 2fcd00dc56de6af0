// The examples' figures (figure.hpp, svg_render.hpp): the data table pgfplots reads, the
// picture's text, and the SVG rendered by latex + dvisvgm, including the errors a user sees
// when TeX is missing or a figure cannot be set.
#include "figure.hpp"
#include "support/bad_input.hpp"
#include "svg_render.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace qe = quench::examples;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

qe::Figure two_series(bool xlog, bool ylog) {
    qe::Figure f{"title", "x", "y", xlog, ylog, {}};
    f.series.push_back({"three points", {1, 2, 3}, {10, 20, 30}, false, false});
    f.series.push_back({"one point", {5}, {50}, true, false});
    return f;
}

/// PATH set for one scope, restored afterwards.
class PathFor {
public:
    explicit PathFor(const char* path) : saved_(std::getenv("PATH") ? std::getenv("PATH") : "") {
        setenv("PATH", path, 1);
    }
    ~PathFor() { setenv("PATH", saved_.c_str(), 1); }
    PathFor(const PathFor&) = delete;
    PathFor& operator=(const PathFor&) = delete;

private:
    std::string saved_;
};

}  // namespace

TEST(FigureData, OneColumnPairPerSeriesPaddedWithNan) {
    const auto source = qe::pgfplots_source(two_series(false, false), "fig");
    EXPECT_EQ(source.csv_name, "fig.csv");
    const auto rows = lines_of(source.csv);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0], "x0,y0,x1,y1");
    EXPECT_EQ(rows[1], "1,10,5,50");
    EXPECT_EQ(rows[2], "2,20,nan,nan");
    EXPECT_EQ(rows[3], "3,30,nan,nan");
}

TEST(FigureData, ValuesRoundTripExactly) {
    const double third = 1.0 / 3.0, tiny = std::numeric_limits<double>::denorm_min();
    qe::Figure f{"", "", "", false, false, {{"s", {third}, {tiny}, false, false}}};
    const auto rows = lines_of(qe::pgfplots_source(f, "fig").csv);
    ASSERT_EQ(rows.size(), 2u);
    const auto comma = rows[1].find(',');
    EXPECT_EQ(std::strtod(rows[1].substr(0, comma).c_str(), nullptr), third);
    EXPECT_EQ(std::strtod(rows[1].substr(comma + 1).c_str(), nullptr), tiny);
}

TEST(FigureData, UnusablePointsBreakTheLine) {
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    qe::Figure f{"", "", "", false, true, {{"s", {1, 2, 3, 4, 5}, {1, 0, -1, inf, nan}, false, false}}};
    auto rows = lines_of(qe::pgfplots_source(f, "fig").csv);
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(rows[1], "1,1");
    for (std::size_t i = 2; i < 6; ++i) EXPECT_EQ(rows[i], "nan,nan") << "row " << i;  // y <= 0 on a log axis too
    f.ylog = false;  // on a linear axis 0 and -1 are points
    rows = lines_of(qe::pgfplots_source(f, "fig").csv);
    EXPECT_EQ(rows[2], "2,0");
    EXPECT_EQ(rows[3], "3,-1");
    EXPECT_EQ(rows[4], "nan,nan");
    f.series[0].x[0] = -1;  // x <= 0 on a log x axis
    f.xlog = true;
    EXPECT_EQ(lines_of(qe::pgfplots_source(f, "fig").csv)[1], "nan,nan");
}

TEST(FigureData, UnequalCoordinateVectorsUseTheCommonLength) {
    qe::Figure f{"", "", "", false, false, {{"s", {1, 2, 3}, {4}, false, false}}};
    EXPECT_EQ(lines_of(qe::pgfplots_source(f, "fig").csv).size(), 2u);
}

TEST(FigurePicture, AxesLegendAndEscapedText) {
    qe::Figure f = two_series(true, false);
    f.title = "E26: P(||g|| > r) at 95% & #1_x";
    f.series[1].name = "B* {braces}";
    f.xmin = 0.008;
    const std::string tex = qe::pgfplots_source(f, "fig").tex;
    EXPECT_EQ(count(tex, "xmode=log"), 1u);
    EXPECT_EQ(count(tex, "ymode=log"), 0u);
    EXPECT_EQ(count(tex, "xmin=0.0080000000000000002"), 1u);
    EXPECT_EQ(count(tex, "xmax="), 0u);
    EXPECT_EQ(count(tex, "\\addplot["), 2u);
    EXPECT_EQ(count(tex, "table[x=x0, y=y0]{fig.csv}"), 1u);
    EXPECT_EQ(count(tex, "table[x=x1, y=y1]{fig.csv}"), 1u);
    EXPECT_EQ(count(tex, "only marks"), 1u);
    EXPECT_EQ(count(tex, "\\addlegendentry{"), 2u);
    // No unescaped TeX specials from the text (escape_tex's own rules are tested in tools/support).
    EXPECT_EQ(count(tex, "95%"), 0u);
    EXPECT_EQ(count(tex, " & "), 0u);
    EXPECT_EQ(count(tex, "#1"), count(tex, "\\#1"));
    EXPECT_EQ(count(tex, "\\#1"), 1u);
    EXPECT_EQ(count(tex, "{braces}"), 0u);
}

TEST(FigurePicture, SeriesWithoutPointsKeepsItsLegendEntry) {
    qe::Figure f = two_series(false, true);
    f.series[1].y = {-1};  // not drawable on the log axis
    const std::string tex = qe::pgfplots_source(f, "fig").tex;
    EXPECT_EQ(count(tex, "\\addplot["), 1u);
    EXPECT_EQ(count(tex, "\\addlegendimage{"), 1u);
    EXPECT_EQ(count(tex, "\\addlegendentry{"), 2u);
}

TEST(FigurePicture, RejectsANameThatIsNotAPlainFileName) {
    for (const char* bad : {"", "a/b", "../x", "a b", "a.csv"})
        EXPECT_THROW(qe::pgfplots_source(two_series(false, false), bad), std::invalid_argument) << bad;
}

TEST(FigureSvg, RendersEverySeriesAndTheText) {
    qe::Figure f = two_series(true, true);
    f.title = "E23: eta*(B)^2/B with 100% & #_{}~ in it";
    const std::string svg = qe::render_svg(qe::pgfplots_source(f, "fig"), "fig");
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_EQ(count(svg, "<svg"), 1u);
    EXPECT_EQ(count(svg, "</svg>"), 1u);
    EXPECT_GT(count(svg, "<path"), 20u);  // ticks, grid, glyphs and the two series
    // The background is white, the first series in the first palette colour.
    EXPECT_GE(count(svg, "fill='#fff'"), 1u);
    EXPECT_GE(count(svg, "stroke='#1f77b4'"), 1u);
}

TEST(FigureSvg, EmptyAndOnePointFiguresStillRender) {
    for (bool log : {false, true}) {
        qe::Figure f{"empty", "x", "y", log, log, {{"nothing", {}, {}, false, false}}};
        EXPECT_NE(qe::render_svg(qe::pgfplots_source(f, "empty"), "empty").find("<svg"), std::string::npos) << log;
        f.series = {{"one point", {3}, {7}, true, false}, {"one point on a line", {3}, {7}, false, false}};
        EXPECT_NE(qe::render_svg(qe::pgfplots_source(f, "single"), "single").find("<svg"), std::string::npos) << log;
    }
}

TEST(FigureSvg, MissingTexIsAClearError) {
    const auto source = qe::pgfplots_source(two_series(false, false), "fig");
    const PathFor no_programs("/nonexistent");
    try {
        qe::render_svg(source, "fig");
        FAIL() << "rendered without latex on PATH";
    } catch (const quench::tools::bad_input& e) {
        EXPECT_NE(std::string(e.what()).find("figure fig: cannot run latex"), std::string::npos) << e.what();
    }
}

TEST(FigureSvg, ATexErrorIsReportedWithItsLogLine) {
    auto source = qe::pgfplots_source(two_series(false, false), "fig");
    source.tex.insert(source.tex.find("\\end{axis}"), "\\undefinedcommandinafigure\n");
    try {
        qe::render_svg(source, "fig");
        FAIL() << "a broken figure rendered";
    } catch (const quench::tools::bad_input& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("figure fig: latex failed"), std::string::npos) << what;
        EXPECT_NE(what.find("Undefined control sequence"), std::string::npos) << what;
    }
}
