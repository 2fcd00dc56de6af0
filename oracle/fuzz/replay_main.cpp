// Replays a seed corpus through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer
// (built with any compiler, run by CTest): each argument is a file or a directory of files.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
int replay(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    if (!f) {
        std::cerr << "replay: cannot open " << p << "\n";
        return 1;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        if (std::filesystem::is_directory(arg)) {
            for (const auto& e : std::filesystem::directory_iterator(arg))
                if (e.is_regular_file()) {
                    if (replay(e.path())) return 1;
                    ++count;
                }
        } else {
            if (replay(arg)) return 1;
            ++count;
        }
    }
    if (count == 0) {
        std::cerr << "replay: no input files\n";
        return 1;
    }
    std::cout << "replayed " << count << " inputs\n";
    return 0;
}
