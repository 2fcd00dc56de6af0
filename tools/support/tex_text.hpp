// tex_text.hpp - plain text (a claim, a column heading, a plot label) made safe for LaTeX.
#pragma once

#include <string>

namespace quench::tools {

/// The characters TeX gives a meaning to that the tools' texts contain (_ % & # ^) escaped;
/// * and | set in math mode, so that B* and ||g|| print as written.
std::string escape_tex(const std::string& text);

}  // namespace quench::tools
