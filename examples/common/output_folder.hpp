// output_folder.hpp - the examples' output folder, on the tools' output files
// (support/output_files.hpp): every report, CSV, plot and TeX fragment of a run goes to a
// hidden temporary next to its target, and commit() puts them all in place at the end. A run
// that fails (an error, an exception, SIGINT/SIGTERM/SIGHUP) leaves the previous report whole,
// no half-written or half-replaced set of files and no temporary, and the folders it created
// are removed again. Inputs of the run (support: check_input_file) are never overwritten, and
// a target that is a directory, a link or read-only is refused with a message naming it.
#pragma once

#include "support/output_files.hpp"

#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace quench::examples {

class OutputFolder {
public:
    /// `program` (a string literal) names the temporaries (.<program>-XXXXXX); `root` is
    /// created now when it is missing.
    OutputFolder(std::string_view program, std::string root)
        : files_(tools::OutputOwner{program, {}}), root_(std::move(root)) {
        add_folder(root_);
    }
    const std::string& root() const { return root_; }

    /// root/relative ("tex/x.tex": the sub-folder is created as needed): checked now and
    /// written to its temporary; in place only when commit() succeeds. Throws
    /// tools::bad_input naming the file.
    void write(const std::string& relative, std::string_view content) {
        const auto slash = relative.find_last_of('/');
        if (slash != std::string::npos) add_folder(root_ + "/" + relative.substr(0, slash));
        std::ostream& out = files_.add(root_ + "/" + relative, "--out");
        out.write(content.data(), static_cast<std::streamsize>(content.size()));  // checked by commit()
    }
    /// Every file written, closed and checked, then all renamed into place. Throws
    /// tools::bad_input (a full disk, a failed rename); nothing is then replaced.
    void commit() { files_.commit(); }

private:
    void add_folder(const std::string& path) {
        if (folders_.insert(path).second) files_.add_directory(path, "--out");
    }
    tools::OutputSet files_;
    std::string root_;
    std::set<std::string> folders_;
};

}  // namespace quench::examples
