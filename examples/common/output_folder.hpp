// output_folder.hpp - the examples' output folder: every file is written atomically (to a
// temporary name in the same folder, flushed, checked, then renamed), so a reader never
// sees a half-written report, CSV or plot, and a failed run leaves the old file intact.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <unistd.h>

namespace quench::examples {

class OutputFolder {
public:
    explicit OutputFolder(std::filesystem::path root) : root_(std::move(root)) {
        std::error_code ec;
        std::filesystem::create_directories(root_, ec);
        if (ec || !std::filesystem::is_directory(root_))
            throw std::runtime_error("cannot create the output folder '" + root_.string() +
                                     "': " + (ec ? ec.message() : "not a directory"));
    }
    const std::filesystem::path& root() const { return root_; }

    /// Writes `content` to root/relative atomically; creates sub-folders as needed.
    void write(const std::string& relative, std::string_view content) const {
        const std::filesystem::path target = root_ / relative;
        std::error_code ec;
        std::filesystem::create_directories(target.parent_path(), ec);
        if (ec) throw std::runtime_error("cannot create '" + target.parent_path().string() + "': " + ec.message());
        const std::filesystem::path temporary =
            target.string() + ".tmp" + std::to_string(static_cast<long>(::getpid()));
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            out.write(content.data(), static_cast<std::streamsize>(content.size()));
            out.flush();
            if (!out) {
                std::filesystem::remove(temporary, ec);
                throw std::runtime_error("cannot write '" + temporary.string() + "'");
            }
        }
        std::filesystem::rename(temporary, target, ec);
        if (ec) {
            std::filesystem::remove(temporary, ec);
            throw std::runtime_error("cannot rename into '" + target.string() + "'");
        }
    }

private:
    std::filesystem::path root_;
};

}  // namespace quench::examples
