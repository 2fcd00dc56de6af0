// expect_message.hpp - the tests' check that a call throws E with a message naming what is
// wrong (the field, the coordinate): the project's rule that bad input is refused by name.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace quench_test {

template <class E, class F>
void expect_message(F&& f, const std::string& fragment) {
    try {
        f();
        ADD_FAILURE() << "no exception; expected one mentioning '" << fragment << "'";
    } catch (const E& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

}  // namespace quench_test
