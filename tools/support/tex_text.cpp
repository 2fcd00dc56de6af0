#include "tex_text.hpp"

namespace quench::tools {

std::string escape_tex(const std::string& text) {
    std::string r;
    for (char c : text) {
        switch (c) {
            case '\\': r += "\\textbackslash{}"; break;
            case '$': r += "\\$"; break;
            case '{': r += "\\{"; break;
            case '}': r += "\\}"; break;
            case '_': r += "\\_"; break;
            case '%': r += "\\%"; break;
            case '&': r += "\\&"; break;
            case '#': r += "\\#"; break;
            case '^': r += "\\^{}"; break;
            case '~': r += "\\~{}"; break;
            case '<': r += "$<$"; break;
            case '>': r += "$>$"; break;
            case '*': r += "$^*$"; break;
            case '|': r += "$|$"; break;
            default: r += c;
        }
    }
    return r;
}

std::string tex_code(const std::string& name) {
    std::string r = "\\texttt{";
    for (char c : name) {
        r += escape_tex(std::string(1, c));
        if (c == '_' || c == '/') r += "\\allowbreak{}";
    }
    return r + "}";
}

}  // namespace quench::tools
