// oracle_bindings.cpp - the reference oracle in-process: quench-oracle's own command line
// (oracle/src/cli.cpp, compiled into the extension with main renamed) called with an
// argument vector, its standard output and error captured. quench/oracle.py builds the
// arguments and reads the JSON report, so the Python verdict is the command's verdict.
#include "bindings.hpp"

#include <pybind11/stl.h>

#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

int quench_oracle_cli_main(int argc, char** argv);  // oracle/src/cli.cpp's main

namespace py = pybind11;

namespace quench::python {
namespace {

/// Redirects a stream into a string for the lifetime of the object.
class Capture {
public:
    explicit Capture(std::ostream& s) : stream_(s), saved_(s.rdbuf(text_.rdbuf())) {}
    ~Capture() { stream_.rdbuf(saved_); }
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;
    std::string text() const { return text_.str(); }

private:
    std::ostream& stream_;
    std::ostringstream text_;
    std::streambuf* saved_;
};

std::tuple<int, std::string, std::string> run_oracle(const std::vector<std::string>& arguments) {
    static std::mutex one_at_a_time;  // std::cout is global
    std::vector<std::string> args{"quench-oracle"};
    args.insert(args.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    py::gil_scoped_release unlocked;
    std::lock_guard<std::mutex> lock(one_at_a_time);
    Capture out(std::cout), err(std::cerr);
    const int status = quench_oracle_cli_main(static_cast<int>(args.size()), argv.data());
    std::cout.flush();
    return {status, out.text(), err.text()};
}

}  // namespace

void bind_oracle(py::module_& m) {
    m.def("oracle_main", &run_oracle, py::arg("arguments"),
          "Runs `quench-oracle ARGUMENTS...` in-process; returns (exit status, standard output, standard error)");
}

}  // namespace quench::python
