// atomic_file.hpp - one output file that appears complete or not at all: an OutputSet
// (output_files.hpp) of one file, checked when it is constructed (so construct it before
// the work), written to a temporary and renamed by commit().
#pragma once

#include "output_files.hpp"

#include <ostream>
#include <string>

namespace quench::tools {

class AtomicFile {
public:
    /// Checks the target and creates its temporary ("-" writes to standard output).
    /// `option` names the command-line option in messages.
    AtomicFile(const OutputOwner& owner, const std::string& path, const std::string& option = "output");

    std::ostream& stream() { return *stream_; }
    /// Flushes, closes and renames the temporary onto the target. Throws on failure.
    void commit() { set_.commit(); }
    const std::string& path() const { return path_; }

private:
    OutputSet set_;
    std::string path_;
    std::ostream* stream_;
};

}  // namespace quench::tools
