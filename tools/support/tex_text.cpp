#include "tex_text.hpp"

namespace quench::tools {

std::string escape_tex(const std::string& text) {
    std::string r;
    for (char c : text) {
        switch (c) {
            case '_': r += "\\_"; break;
            case '%': r += "\\%"; break;
            case '&': r += "\\&"; break;
            case '#': r += "\\#"; break;
            case '^': r += "\\^{}"; break;
            case '*': r += "$^*$"; break;
            case '|': r += "$|$"; break;
            default: r += c;
        }
    }
    return r;
}

}  // namespace quench::tools
