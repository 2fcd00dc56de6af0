// bad_input.hpp - the error of the tools' shared parts, and of the tools themselves: bad input
// or an output that cannot be written. The message names the file (and the option that named
// it) and what is wrong with it; the tools print it and exit with their bad-input status.
#pragma once

#include <stdexcept>

namespace quench::tools {

class bad_input : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace quench::tools
