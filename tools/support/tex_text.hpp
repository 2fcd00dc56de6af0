// tex_text.hpp - plain text (a claim, a column heading, a plot label, a file or theorem name)
// made safe for LaTeX.
#pragma once

#include <string>

namespace quench::tools {

/// Every character TeX gives a meaning to escaped (\ $ { } _ % & # ^ ~; < and > in math
/// mode, which the text fonts lack); * and | set in math mode, so that B* and ||g|| print
/// as written.
std::string escape_tex(const std::string& text);

/// A name (a file, a theorem, a property id) in typewriter type, escaped, and allowed to break
/// after each _ and /, so that long names wrap in narrow columns.
std::string tex_code(const std::string& name);

}  // namespace quench::tools
