#include "svg_render.hpp"

#include "support/bad_input.hpp"
#include "support/temporary_folder.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace quench::examples {

namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& content, const std::string& figure) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    out.close();
    if (!out) throw tools::bad_input("figure " + figure + ": cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Runs `arguments` (the program from PATH) in `folder`, stdin empty, stdout and stderr to
/// `log`. Returns the exit status; 127 when the program could not be started.
int run_in(const fs::path& folder, const std::vector<std::string>& arguments, const fs::path& log) {
    std::vector<char*> argv;
    for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t child = fork();
    if (child < 0) return 127;
    if (child == 0) {  // only async-signal-safe calls from here on
        const int in = open("/dev/null", O_RDONLY);
        const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || chdir(folder.c_str()) != 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
            dup2(out, 2) < 0)
            _exit(127);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) return 127;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/// The first TeX error ("! ...") of a log, with the line after it, or its last line.
std::string first_error(const std::string& log) {
    const auto bang = log.find("\n! ");
    if (bang != std::string::npos) {
        auto end = log.find('\n', bang + 1);
        if (end != std::string::npos) end = log.find('\n', end + 1);
        return log.substr(bang + 1, end == std::string::npos ? std::string::npos : end - bang - 1);
    }
    auto end = log.find_last_not_of("\n ");
    if (end == std::string::npos) return "(no output)";
    const auto start = log.find_last_of('\n', end);
    return log.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
}

void run_or_throw(const fs::path& folder, const std::vector<std::string>& arguments, const std::string& figure) {
    const fs::path log = folder / (arguments.front() + ".output");
    const int status = run_in(folder, arguments, log);
    if (status == 0) return;
    if (status == 127)
        throw tools::bad_input("figure " + figure + ": cannot run " + arguments.front() +
                               " (the SVG plots need TeX Live's latex and dvisvgm; scripts/setup.sh installs them)");
    throw tools::bad_input("figure " + figure + ": " + arguments.front() + " failed (exit " + std::to_string(status) +
                           "): " + first_error(read_file(log)));
}

}  // namespace

std::string standalone_page(const std::string& tex_name) {
    return "\\documentclass[tikz,border=4pt]{standalone}\n"
           "\\usepackage{pgfplots}\n"
           "\\pgfplotsset{compat=1.18}\n"
           "\\usetikzlibrary{backgrounds}\n"
           "\\tikzset{every picture/.append style={show background rectangle,"
           " background rectangle/.style={fill=white, draw=none}}}\n"
           "\\begin{document}\n\\input{" + tex_name + "}\n\\end{document}\n";
}

std::string render_svg(const FigureSource& source, const std::string& name) {
    const tools::TemporaryFolder folder("quench-figure", "figure " + name);
    write_file(folder.path() / (name + ".tex"), source.tex, name);
    write_file(folder.path() / source.csv_name, source.csv, name);
    write_file(folder.path() / "page.tex", standalone_page("./" + name + ".tex"), name);
    run_or_throw(folder.path(), {"latex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "page.tex"},
                 name);
    run_or_throw(folder.path(), {"dvisvgm", "--no-fonts", "--output=page.svg", "page.dvi"}, name);
    std::string svg = read_file(folder.path() / "page.svg");
    if (svg.find("<svg") == std::string::npos)
        throw tools::bad_input("figure " + name + ": dvisvgm wrote no SVG document");
    return svg;
}

}  // namespace quench::examples
