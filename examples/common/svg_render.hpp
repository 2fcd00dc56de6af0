// svg_render.hpp - a pgfplots figure (figure.hpp) rendered to SVG by TeX itself: the picture
// is set in a standalone page by `latex` and converted by `dvisvgm` (glyphs as paths, so the
// SVG needs no fonts), in a private temporary folder that is removed afterwards. The SVG is
// what the paper prints, drawn by the same library from the same file.
#pragma once

#include "figure.hpp"

#include <string>

namespace quench::examples {

/// The standalone page that sets the figure `tex_name` (white background, 4pt margin).
std::string standalone_page(const std::string& tex_name);

/// The figure as an SVG document. Runs `latex` and `dvisvgm` from PATH. Throws
/// tools::bad_input naming the figure when a program is missing or fails (with the first
/// TeX error line of its log), or when the temporary folder cannot be made.
std::string render_svg(const FigureSource& source, const std::string& name);

}  // namespace quench::examples
