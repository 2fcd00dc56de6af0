#include "atomic_file.hpp"

namespace quench::oracle {

AtomicFile::AtomicFile(const std::string& path, const std::string& option)
    : path_(path), stream_(&set_.add(path, option)) {}

}  // namespace quench::oracle
