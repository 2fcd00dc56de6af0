// atomic_file.hpp - output files that appear complete or not at all: the data goes to a
// temporary file in the same directory, which is renamed onto the target by commit(). A
// file that is not committed (an error, an exception) is removed by the destructor, so bad
// input never leaves a partial output file.
#pragma once

#include <fstream>
#include <string>

namespace quench::oracle {

class AtomicFile {
public:
    /// Creates the temporary file next to `path` ("-" writes to standard output instead).
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    std::ostream& stream();
    /// Flushes, closes and renames the temporary file onto the target. Throws on failure.
    void commit();
    const std::string& path() const { return path_; }

private:
    std::string path_, temp_;
    std::ofstream file_;
    bool to_stdout_ = false, committed_ = false;
};

}  // namespace quench::oracle
