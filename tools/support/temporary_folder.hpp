// temporary_folder.hpp - a fresh folder of its own under the system's temporary directory
// (mkdtemp), removed with everything in it when the object goes: for work files that no
// user sees, such as the pages TeX sets for a figure.
#pragma once

#include <filesystem>
#include <string_view>

namespace quench::tools {

class TemporaryFolder {
public:
    /// Creates <temp>/<prefix>-XXXXXX. Throws bad_input naming `what` (what the folder is
    /// for) and the reason when it cannot.
    TemporaryFolder(std::string_view prefix, std::string_view what);
    ~TemporaryFolder();
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace quench::tools
