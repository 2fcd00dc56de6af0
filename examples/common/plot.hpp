// plot.hpp - a small line/scatter plot written directly as SVG (for the Markdown report and
// the README) and as TikZ (for the LaTeX paper), from one description and one geometry, so
// the two always show the same thing. No plotting library is needed.
//
// Points that are not finite, or not positive on a logarithmic axis, are skipped and break
// the line; reference lines (y = x, a horizontal or vertical marker) are series too.
#pragma once

#include "support/tex_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace quench::examples {

struct Series {
    std::string name;
    std::vector<double> x, y;
    bool points = false;   ///< scatter (small circles) instead of a line
    bool dashed = false;
};

struct Figure {
    std::string title, xlabel, ylabel;
    bool xlog = false, ylog = false;
    std::vector<Series> series;
    /// Optional fixed axis ranges (NaN: from the data).
    double xmin = std::numeric_limits<double>::quiet_NaN(), xmax = xmin, ymin = xmin, ymax = xmin;
};

namespace detail_plot {

inline const char* colour(std::size_t i) {
    static const char* palette[] = {"31,119,180", "214,39,40", "44,160,44", "148,103,189",
                                    "255,127,14", "140,86,75", "227,119,194", "127,127,127"};
    return palette[i % 8];
}

inline std::string escape_xml(const std::string& s) {
    std::string r;
    for (char c : s) {
        if (c == '&') r += "&amp;"; else if (c == '<') r += "&lt;"; else if (c == '>') r += "&gt;"; else r += c;
    }
    return r;
}

inline std::string format_number(double v) {
    char buffer[32];
    if (v == 0) return "0";
    const double a = std::fabs(v);
    if (a >= 1e-3 && a < 1e5) std::snprintf(buffer, sizeof buffer, "%g", v);
    else std::snprintf(buffer, sizeof buffer, "%.0e", v);
    // "1e+05" -> "1e5", "1e-04" -> "1e-4"
    std::string r = buffer;
    const auto e = r.find('e');
    if (e != std::string::npos) {
        std::string mantissa = r.substr(0, e), exponent = r.substr(e + 1);
        const bool negative = !exponent.empty() && exponent[0] == '-';
        if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.erase(0, 1);
        while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
        r = mantissa + "e" + (negative ? "-" : "") + exponent;
    }
    return r;
}

/// Pixel geometry shared by both back ends (y grows downwards, as in SVG).
struct Geometry {
    double width = 760, height = 400, left = 72, right = 250, top = 34, bottom = 52;
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;  // data range after the log transform
    bool xlog = false, ylog = false;

    static bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }
    static double transform(double v, bool log) { return log ? std::log10(v) : v; }
    double px(double x) const {
        return left + (transform(x, xlog) - x0) / (x1 - x0) * (width - left - right);
    }
    double py(double y) const {
        return top + (1 - (transform(y, ylog) - y0) / (y1 - y0)) * (height - top - bottom);
    }
    bool inside(double x, double y) const {
        const double tx = transform(x, xlog), ty = transform(y, ylog);
        const double sx = (x1 - x0) * 1e-9, sy = (y1 - y0) * 1e-9;
        return tx >= x0 - sx && tx <= x1 + sx && ty >= y0 - sy && ty <= y1 + sy;
    }
};

inline void pad_range(double& lo, double& hi, bool log) {
    if (!(lo < hi)) {
        const double d = lo == 0 ? 1 : std::fabs(lo) * 0.1;
        lo -= log ? 0.5 : d;
        hi += log ? 0.5 : d;
    }
}

inline Geometry layout(const Figure& f) {
    Geometry g;
    g.xlog = f.xlog;
    g.ylog = f.ylog;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const Series& s : f.series)
        for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (!Geometry::usable(s.x[i], f.xlog) || !Geometry::usable(s.y[i], f.ylog)) continue;
            x0 = std::min(x0, Geometry::transform(s.x[i], f.xlog));
            x1 = std::max(x1, Geometry::transform(s.x[i], f.xlog));
            y0 = std::min(y0, Geometry::transform(s.y[i], f.ylog));
            y1 = std::max(y1, Geometry::transform(s.y[i], f.ylog));
        }
    if (!std::isfinite(x0)) { x0 = 0; x1 = 1; }
    if (!std::isfinite(y0)) { y0 = 0; y1 = 1; }
    if (std::isfinite(f.xmin)) x0 = Geometry::transform(f.xmin, f.xlog);
    if (std::isfinite(f.xmax)) x1 = Geometry::transform(f.xmax, f.xlog);
    if (std::isfinite(f.ymin)) y0 = Geometry::transform(f.ymin, f.ylog);
    if (std::isfinite(f.ymax)) y1 = Geometry::transform(f.ymax, f.ylog);
    pad_range(x0, x1, f.xlog);
    pad_range(y0, y1, f.ylog);
    g.x0 = x0; g.x1 = x1; g.y0 = y0; g.y1 = y1;
    return g;
}

/// Tick positions (in data units): powers of ten on a log axis, 1-2-5 steps otherwise.
inline std::vector<double> ticks(double lo, double hi, bool log) {
    std::vector<double> t;
    if (log) {
        const double first = std::ceil(lo - 1e-9), last = std::floor(hi + 1e-9);
        const double step = std::max(1.0, std::ceil((last - first + 1) / 7));
        for (double e = first; e <= last; e += step) t.push_back(std::pow(10.0, e));
        if (t.empty()) t.push_back(std::pow(10.0, (lo + hi) / 2));
        return t;
    }
    const double raw = (hi - lo) / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw) break;
    }
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
        t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
    return t;
}

/// Splits a series into runs of drawable points (a skipped point breaks the line).
template <class Emit>
void for_each_run(const Series& s, const Geometry& g, Emit emit) {
    std::vector<std::pair<double, double>> run;
    for (std::size_t i = 0; i <= s.x.size() && i <= s.y.size(); ++i) {
        const bool end = i == s.x.size() || i == s.y.size();
        if (!end && Geometry::usable(s.x[i], g.xlog) && Geometry::usable(s.y[i], g.ylog) &&
            g.inside(s.x[i], s.y[i])) {
            run.emplace_back(g.px(s.x[i]), g.py(s.y[i]));
            continue;
        }
        if (!run.empty()) emit(run);
        run.clear();
        if (end) break;
    }
}

}  // namespace detail_plot

/// The figure as a standalone SVG document.
inline std::string to_svg(const Figure& f) {
    using namespace detail_plot;
    const Geometry g = layout(f);
    std::ostringstream o;
    o.precision(6);
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << g.width << "\" height=\"" << g.height
      << "\" viewBox=\"0 0 " << g.width << ' ' << g.height << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    const double pl = g.left, pr = g.width - g.right, pt = g.top, pb = g.height - g.bottom;
    o << "<rect x=\"" << pl << "\" y=\"" << pt << "\" width=\"" << pr - pl << "\" height=\"" << pb - pt
      << "\" fill=\"none\" stroke=\"black\"/>\n";
    for (double t : ticks(g.x0, g.x1, g.xlog)) {
        const double x = g.px(t);
        o << "<line x1=\"" << x << "\" y1=\"" << pb << "\" x2=\"" << x << "\" y2=\"" << pt
          << "\" stroke=\"#dddddd\"/><text x=\"" << x << "\" y=\"" << pb + 16
          << "\" text-anchor=\"middle\">" << format_number(t) << "</text>\n";
    }
    for (double t : ticks(g.y0, g.y1, g.ylog)) {
        const double y = g.py(t);
        o << "<line x1=\"" << pl << "\" y1=\"" << y << "\" x2=\"" << pr << "\" y2=\"" << y
          << "\" stroke=\"#dddddd\"/><text x=\"" << pl - 6 << "\" y=\"" << y + 4
          << "\" text-anchor=\"end\">" << format_number(t) << "</text>\n";
    }
    o << "<text x=\"" << (pl + pr) / 2 << "\" y=\"" << 20 << "\" text-anchor=\"middle\" font-size=\"14\">"
      << escape_xml(f.title) << "</text>\n";
    o << "<text x=\"" << (pl + pr) / 2 << "\" y=\"" << g.height - 12 << "\" text-anchor=\"middle\">"
      << escape_xml(f.xlabel) << "</text>\n";
    o << "<text x=\"16\" y=\"" << (pt + pb) / 2 << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 "
      << (pt + pb) / 2 << ")\">" << escape_xml(f.ylabel) << "</text>\n";
    for (std::size_t k = 0; k < f.series.size(); ++k) {
        const Series& s = f.series[k];
        const std::string c = std::string("rgb(") + colour(k) + ")";
        for_each_run(s, g, [&](const std::vector<std::pair<double, double>>& run) {
            if (s.points) {
                for (const auto& [x, y] : run)
                    o << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"2\" fill=\"" << c << "\"/>\n";
            } else {
                o << "<polyline fill=\"none\" stroke=\"" << c << "\" stroke-width=\"1.6\""
                  << (s.dashed ? " stroke-dasharray=\"6 4\"" : "") << " points=\"";
                for (const auto& [x, y] : run) o << x << ',' << y << ' ';
                o << "\"/>\n";
            }
        });
        const double ly = pt + 10 + 18 * static_cast<double>(k);
        o << "<line x1=\"" << pr + 10 << "\" y1=\"" << ly << "\" x2=\"" << pr + 30 << "\" y2=\"" << ly
          << "\" stroke=\"" << c << "\" stroke-width=\"" << (s.points ? 4 : 1.6) << "\""
          << (s.dashed ? " stroke-dasharray=\"6 4\"" : "") << "/><text x=\"" << pr + 35 << "\" y=\""
          << ly + 4 << "\">" << escape_xml(s.name) << "</text>\n";
    }
    o << "</svg>\n";
    return o.str();
}

/// The same figure as a tikzpicture (needs only \usepackage{tikz}); one pixel = 0.02 cm, so the
/// default 760-pixel width is 15.2 cm.
inline std::string to_tikz(const Figure& f) {
    using namespace detail_plot;
    using tools::escape_tex;
    const Geometry g = layout(f);
    std::ostringstream o;
    o.precision(5);
    o << "% generated by quench examples/common/plot.hpp; do not edit\n";
    o << "\\begin{tikzpicture}[x=0.02cm,y=-0.02cm,font=\\scriptsize]\n";
    for (std::size_t k = 0; k < f.series.size(); ++k)
        o << "\\definecolor{quenchc" << static_cast<char>('a' + k % 8) << "}{RGB}{" << colour(k) << "}\n";
    const double pl = g.left, pr = g.width - g.right, pt = g.top, pb = g.height - g.bottom;
    for (double t : ticks(g.x0, g.x1, g.xlog)) {
        const double x = g.px(t);
        o << "\\draw[black!15] (" << x << ',' << pb << ") -- (" << x << ',' << pt << ");\n";
        o << "\\node[below] at (" << x << ',' << pb << ") {" << escape_tex(format_number(t)) << "};\n";
    }
    for (double t : ticks(g.y0, g.y1, g.ylog)) {
        const double y = g.py(t);
        o << "\\draw[black!15] (" << pl << ',' << y << ") -- (" << pr << ',' << y << ");\n";
        o << "\\node[left] at (" << pl << ',' << y << ") {" << escape_tex(format_number(t)) << "};\n";
    }
    o << "\\draw (" << pl << ',' << pt << ") rectangle (" << pr << ',' << pb << ");\n";
    o << "\\node at (" << (pl + pr) / 2 << ',' << g.height - 10 << ") {" << escape_tex(f.xlabel) << "};\n";
    o << "\\node[rotate=90] at (12," << (pt + pb) / 2 << ") {" << escape_tex(f.ylabel) << "};\n";
    for (std::size_t k = 0; k < f.series.size(); ++k) {
        const Series& s = f.series[k];
        const std::string c = std::string("quenchc") + static_cast<char>('a' + k % 8);
        for_each_run(s, g, [&](const std::vector<std::pair<double, double>>& run) {
            if (s.points) {
                for (const auto& [x, y] : run) o << "\\fill[" << c << "] (" << x << ',' << y << ") circle (1.6);\n";
            } else {
                o << "\\draw[" << c << ",line width=0.8pt" << (s.dashed ? ",dashed" : "") << "] ";
                for (std::size_t i = 0; i < run.size(); ++i)
                    o << (i ? " -- " : "") << '(' << run[i].first << ',' << run[i].second << ')';
                o << ";\n";
            }
        });
        const double ly = pt + 10 + 18 * static_cast<double>(k);
        o << "\\draw[" << c << (s.points ? ",line width=2pt" : ",line width=0.8pt") << (s.dashed ? ",dashed" : "")
          << "] (" << pr + 10 << ',' << ly << ") -- (" << pr + 30 << ',' << ly << ");\n";
        o << "\\node[right] at (" << pr + 32 << ',' << ly << ") {" << escape_tex(s.name) << "};\n";
    }
    o << "\\end{tikzpicture}\n";
    return o.str();
}

}  // namespace quench::examples
