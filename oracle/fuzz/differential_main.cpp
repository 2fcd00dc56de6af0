// The oracle's parsers as a command for differential tests against independent readers
// (differential.py: numpy.load for .npy, Python's json for JSON texts):
//   oracle_parse_dump npy FILE...   one line per file: "ok ROWS COLS HEX..." (the values as
//                                   float64 bit patterns, as a (rows, cols) array; a 1-D
//                                   array is one row) or "error"
//   oracle_parse_dump json FILE...  "ok" when parse_json accepts the whole file, else "error"
#include "json_text.hpp"
#include "npy.hpp"
#include "oracle_error.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_all(const char* path) {
    std::ifstream f(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void dump_npy(const std::string& bytes) {
    using namespace quench::oracle;
    for (unsigned ndim : {2u, 1u}) {
        try {
            NpyRowReader r(std::make_unique<std::istringstream>(bytes), bytes.size(), "input", ndim);
            std::string line = "ok " + std::to_string(r.rows()) + " " + std::to_string(r.columns());
            std::vector<double> row;
            char hex[24];
            while (r.next(row))
                for (double v : row) {
                    std::uint64_t b;
                    std::memcpy(&b, &v, 8);
                    std::snprintf(hex, sizeof hex, " %016" PRIx64, b);
                    line += hex;
                }
            std::printf("%s\n", line.c_str());
            return;
        } catch (const bad_input&) {
        }
    }
    std::printf("error\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const std::string mode = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string bytes = read_all(argv[i]);
        if (mode == "npy") {
            dump_npy(bytes);
        } else {
            try {
                quench::oracle::parse_json(bytes);
                std::printf("ok\n");
            } catch (const quench::oracle::json_syntax_error&) {
                std::printf("error\n");
            }
        }
    }
    return 0;
}
