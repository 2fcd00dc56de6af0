#include "atomic_file.hpp"

namespace quench::tools {

AtomicFile::AtomicFile(const OutputOwner& owner, const std::string& path, const std::string& option)
    : set_(owner), path_(path), stream_(&set_.add(path, option)) {}

}  // namespace quench::tools
