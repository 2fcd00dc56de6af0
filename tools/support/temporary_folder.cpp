#include "temporary_folder.hpp"

#include "bad_input.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace quench::tools {

namespace fs = std::filesystem;

TemporaryFolder::TemporaryFolder(std::string_view prefix, std::string_view what) {
    std::error_code error;
    const fs::path base = fs::temp_directory_path(error);
    if (error)
        throw bad_input(std::string(what) + ": no temporary directory: " + error.message());
    std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
    if (!mkdtemp(pattern.data()))
        throw bad_input(std::string(what) + ": cannot create a temporary folder in " + base.string() + ": " +
                        std::strerror(errno));
    path_ = pattern;
}

TemporaryFolder::~TemporaryFolder() {
    std::error_code ignored;  // a destructor must not throw; a leftover folder is harmless
    fs::remove_all(path_, ignored);
}

}  // namespace quench::tools
