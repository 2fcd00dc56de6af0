#include "atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace quench::oracle {

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    if (path_ == "-") {
        to_stdout_ = true;
        return;
    }
    std::string pattern = path_ + ".tmp.XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        throw std::runtime_error(path_ + ": cannot create a temporary file next to it: " + std::strerror(errno));
    ::close(fd);
    temp_ = pattern;
    file_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!file_) {
        std::remove(temp_.c_str());
        throw std::runtime_error(path_ + ": cannot open " + temp_);
    }
}

AtomicFile::~AtomicFile() {
    if (!to_stdout_ && !committed_) {
        file_.close();
        std::remove(temp_.c_str());
    }
}

std::ostream& AtomicFile::stream() { return to_stdout_ ? std::cout : static_cast<std::ostream&>(file_); }

void AtomicFile::commit() {
    if (to_stdout_) {
        std::cout.flush();
        committed_ = true;
        return;
    }
    file_.flush();
    file_.close();
    if (!file_) throw std::runtime_error(path_ + ": write error (disk full?)");
    // mkstemp creates the file with mode 0600; give it the mode a plain open would (0666
    // less the umask).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(temp_.c_str(), 0666 & ~mask);
    if (std::rename(temp_.c_str(), path_.c_str()) != 0)
        throw std::runtime_error(path_ + ": cannot rename " + temp_ + " onto it: " + std::strerror(errno));
    committed_ = true;
}

}  // namespace quench::oracle
