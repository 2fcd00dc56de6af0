// figure.hpp - the examples' plots: one description (Figure) becomes one pgfplots figure
// (tex/NAME.tex, reading its data from tex/NAME.csv), which the paper \inputs and from
// which NAME.svg (the Markdown report, the README) is rendered by the same library
// (svg_render.hpp). The layout is pgfplots'; nothing is placed by hand.
//
// Points that are not finite, or not positive on a logarithmic axis, are written as nan and
// break the line (pgfplots' `unbounded coords=jump`); reference lines (y = x, a horizontal
// or vertical marker) are series too.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace quench::examples {

class OutputFolder;

struct Series {
    std::string name;
    std::vector<double> x, y;  ///< the points are (x[i], y[i]) for i < min(x.size(), y.size())
    bool points = false;       ///< scatter (small discs) instead of a line
    bool dashed = false;
};

struct Figure {
    std::string title, xlabel, ylabel;
    bool xlog = false, ylog = false;
    std::vector<Series> series;
    /// Optional fixed axis ranges, in data units (NaN: from the data).
    double xmin = std::numeric_limits<double>::quiet_NaN(), xmax = xmin, ymin = xmin, ymax = xmin;
};

/// The two files of a pgfplots figure: the picture (which reads `csv_name`) and its data.
struct FigureSource {
    std::string csv_name;  ///< "NAME.csv", as the picture names it
    std::string tex, csv;
};

/// The pgfplots picture and its data table, for a figure called `name` (letters, digits, _).
/// Text (title, labels, series names) is escaped for TeX. Throws std::invalid_argument for
/// a name that is not a plain file name.
FigureSource pgfplots_source(const Figure& figure, const std::string& name);

/// tex/NAME.tex and tex/NAME.csv (for the paper) and NAME.svg (rendered from them) in the
/// output folder. Throws tools::bad_input when the SVG cannot be rendered (svg_render.hpp).
void write_figure(OutputFolder& out, const std::string& name, const Figure& figure);

}  // namespace quench::examples
