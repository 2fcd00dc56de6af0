#include "npy.hpp"

#include "oracle_error.hpp"
#include "support/output_files.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <sstream>

namespace quench::oracle {

static_assert(std::endian::native == std::endian::little, "the .npy code assumes a little-endian host");

namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what) {
    throw bad_input(name + ": " + what);
}

/// Whether every value is finite, without a branch per value: a double is NaN or infinite
/// exactly when its exponent field is all ones, and then adding 2^52 to that field carries
/// into the sign bit. The row is scanned again for the message only when one is not.
bool all_finite(const double* v, std::size_t n) {
    constexpr std::uint64_t exponent = 0x7ff0000000000000u, carry = std::uint64_t{1} << 52;
    std::uint64_t any = 0;
    for (std::size_t j = 0; j < n; ++j) {
        std::uint64_t bits;
        std::memcpy(&bits, v + j, 8);
        any |= (bits & exponent) + carry;
    }
    return (any >> 63) == 0;
}

void skip_space(const std::string& s, std::size_t& p) {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n')) ++p;
}

/// The header dictionary, parsed strictly: {'descr': '<f8', 'fortran_order': False,
/// 'shape': (a, b), } with the keys in any order, each exactly once.
void parse_dict(const std::string& dict, const std::string& name, NpyHeader& h) {
    std::size_t p = 0;
    auto expect = [&](char c) {
        skip_space(dict, p);
        if (p >= dict.size() || dict[p] != c)
            fail(name, std::string("malformed .npy header: expected '") + c + "' at offset " +
                           std::to_string(p) + " of the header dictionary");
        ++p;
    };
    auto quoted = [&]() {
        skip_space(dict, p);
        if (p >= dict.size() || (dict[p] != '\'' && dict[p] != '"'))
            fail(name, "malformed .npy header: expected a quoted string");
        const char q = dict[p++];
        const std::size_t end = dict.find(q, p);
        if (end == std::string::npos) fail(name, "malformed .npy header: unterminated string");
        std::string r = dict.substr(p, end - p);
        p = end + 1;
        return r;
    };
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    for (;;) {
        skip_space(dict, p);
        if (p < dict.size() && dict[p] == '}') { ++p; break; }
        const std::string key = quoted();
        expect(':');
        skip_space(dict, p);
        if (key == "descr" && !have_descr) {
            have_descr = true;
            const std::string d = quoted();
            if (d == "<f8") h.float32 = false;
            else if (d == "<f4") h.float32 = true;
            else if (d == ">f8" || d == ">f4")
                fail(name, "big-endian dtype '" + d + "' (only little-endian '<f8' and '<f4' are read; "
                           "use arr.astype('<f8'))");
            else
                fail(name, "dtype '" + d + "' is not float64 '<f8' or float32 '<f4' "
                           "(use numpy.save(path, arr.astype(numpy.float64)))");
        } else if (key == "fortran_order" && !have_order) {
            have_order = true;
            if (dict.compare(p, 5, "False") == 0) p += 5;
            else if (dict.compare(p, 4, "True") == 0)
                fail(name, "Fortran-order array (save a C-order array: numpy.ascontiguousarray)");
            else fail(name, "malformed .npy header: fortran_order must be True or False");
        } else if (key == "shape" && !have_shape) {
            have_shape = true;
            expect('(');
            for (;;) {
                skip_space(dict, p);
                if (p < dict.size() && dict[p] == ')') { ++p; break; }
                std::uint64_t v = 0;
                std::size_t digits = 0;
                while (p < dict.size() && dict[p] >= '0' && dict[p] <= '9') {
                    if (v > (UINT64_MAX - 9) / 10) fail(name, "malformed .npy header: dimension too large");
                    v = v * 10 + static_cast<std::uint64_t>(dict[p] - '0');
                    ++p;
                    ++digits;
                }
                if (digits == 0) fail(name, "malformed .npy header: bad shape");
                if (h.shape.size() >= 8) fail(name, "malformed .npy header: too many dimensions");
                h.shape.push_back(v);
                skip_space(dict, p);
                if (p < dict.size() && dict[p] == ',') ++p;
                else if (p < dict.size() && dict[p] == ')') { ++p; break; }
                else fail(name, "malformed .npy header: bad shape");
            }
        } else {
            fail(name, "malformed .npy header: unexpected or repeated key '" + key + "'");
        }
        skip_space(dict, p);
        if (p < dict.size() && dict[p] == ',') ++p;
    }
    // numpy evaluates the whole header as one Python literal: only the padding (spaces) and
    // the final newline may follow the dictionary.
    skip_space(dict, p);
    if (p < dict.size())
        fail(name, "malformed .npy header: text after the header dictionary (offset " + std::to_string(p) + ")");
    if (!have_descr || !have_order || !have_shape)
        fail(name, "malformed .npy header: descr, fortran_order and shape are required");
}

}  // namespace

NpyHeader read_npy_header(std::istream& in, const std::string& name) {
    char magic[8];
    if (!in.read(magic, 8)) fail(name, "not a .npy file (shorter than its magic string)");
    if (std::memcmp(magic, "\x93NUMPY", 6) != 0) fail(name, "not a .npy file (bad magic string)");
    const unsigned major = static_cast<unsigned char>(magic[6]);
    std::uint64_t len = 0, prefix = 0;
    if (major == 1) {
        unsigned char b[2];
        if (!in.read(reinterpret_cast<char*>(b), 2)) fail(name, "truncated .npy header");
        len = b[0] | (b[1] << 8u);
        prefix = 10;
    } else if (major == 2 || major == 3) {
        unsigned char b[4];
        if (!in.read(reinterpret_cast<char*>(b), 4)) fail(name, "truncated .npy header");
        len = b[0] | (b[1] << 8u) | (b[2] << 16u) | (static_cast<std::uint64_t>(b[3]) << 24u);
        prefix = 12;
    } else {
        fail(name, "unsupported .npy format version " + std::to_string(major));
    }
    if (len > (1u << 20)) fail(name, "malformed .npy header (header length " + std::to_string(len) + ")");
    std::string dict(len, '\0');
    if (!in.read(dict.data(), static_cast<std::streamsize>(len))) fail(name, "truncated .npy header");
    NpyHeader h;
    parse_dict(dict, name, h);
    h.data_offset = prefix + len;
    return h;
}

NpyRowReader::NpyRowReader(const std::string& path, unsigned expected_ndim, const std::string& role)
    : name_(path) {
    tools::check_input_file(path, role);
    auto f = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*f) throw bad_input(path + ": cannot open");
    f->seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(f->tellg());
    f->seekg(0);
    in_ = std::move(f);
    init(size, expected_ndim);
}

NpyRowReader::NpyRowReader(std::unique_ptr<std::istream> in, std::uint64_t total_bytes,
                           std::string name, unsigned expected_ndim)
    : in_(std::move(in)), name_(std::move(name)) {
    init(total_bytes, expected_ndim);
}

void NpyRowReader::init(std::uint64_t total_bytes, unsigned expected_ndim) {
    header_ = read_npy_header(*in_, name_);
    const auto& s = header_.shape;
    std::ostringstream shape;
    shape << '(';
    for (std::size_t i = 0; i < s.size(); ++i) shape << (i ? ", " : "") << s[i];
    shape << ')';
    if (s.size() != expected_ndim)
        fail(name_, "shape " + shape.str() + " has " + std::to_string(s.size()) + " dimensions, expected " +
                        (expected_ndim == 1 ? "1: (d,)" : "2: (steps, d)"));
    rows_ = expected_ndim == 1 ? 1 : s[0];
    cols_ = s.back();
    if (cols_ == 0) fail(name_, "shape " + shape.str() + " has no columns (the dimension d must be >= 1)");
    const std::uint64_t item = header_.float32 ? 4 : 8;
    if (cols_ > (std::uint64_t{1} << 40) / item)
        fail(name_, "shape " + shape.str() + ": rows are too long");
    const std::uint64_t row_bytes = cols_ * item;
    const std::uint64_t data = total_bytes >= header_.data_offset ? total_bytes - header_.data_offset : 0;
    if (rows_ > UINT64_MAX / row_bytes || data != rows_ * row_bytes)
        fail(name_, "holds " + std::to_string(data) + " data bytes but shape " + shape.str() + " needs " +
                        (rows_ > UINT64_MAX / row_bytes ? std::string("more") : std::to_string(rows_ * row_bytes)) +
                        (data < rows_ * row_bytes ? " (truncated file?)" : ""));
    // The row buffer is allocated by next(), once a row's bytes are known to exist: a
    // header announcing (0, 2^37) must not allocate a terabyte.
}

bool NpyRowReader::next(std::vector<double>& out) {
    if (row_ >= rows_) return false;
    // float64 rows are read straight into `out` (no copy); float32 rows through the buffer,
    // then widened (exactly).
    out.resize(cols_);
    unsigned char* bytes = reinterpret_cast<unsigned char*>(out.data());
    if (header_.float32) {
        buffer_.resize(cols_ * 4);
        bytes = buffer_.data();
    }
    const std::size_t size = cols_ * (header_.float32 ? 4 : 8);
    if (!in_->read(reinterpret_cast<char*>(bytes), static_cast<std::streamsize>(size)))
        fail(name_, "read error at row " + std::to_string(row_));
    if (header_.float32)
        for (std::uint64_t j = 0; j < cols_; ++j) {
            float f;
            std::memcpy(&f, buffer_.data() + 4 * j, 4);
            out[j] = f;  // exact
        }
    if (!all_finite(out.data(), cols_))
        for (std::uint64_t j = 0; j < cols_; ++j)
            if (!std::isfinite(out[j]))
                fail(name_, "row " + std::to_string(row_) + ", column " + std::to_string(j) + " is " +
                                (std::isnan(out[j]) ? "NaN" : "infinite"));
    ++row_;
    return true;
}

std::string npy_header_f8(std::uint64_t rows, std::uint64_t cols) {
    std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                       std::to_string(cols) + "), }";
    // Version 1.0: magic (6) + version (2) + length (2) + dict padded with spaces + '\n', to
    // 128 bytes: room for any row count, so the header can be rewritten in place.
    constexpr std::size_t total = 128;
    std::string h = "\x93NUMPY";
    h += '\x01';
    h += '\x00';
    const std::size_t len = total - 10;
    h += static_cast<char>(len & 0xff);
    h += static_cast<char>(len >> 8);
    dict.resize(len - 1, ' ');
    h += dict;
    h += '\n';
    return h;
}

NpyRowWriter::NpyRowWriter(std::ostream& out, std::uint64_t cols) : out_(out), cols_(cols) {
    const std::string h = npy_header_f8(0, cols);
    out_.write(h.data(), static_cast<std::streamsize>(h.size()));
    buffer_.resize(cols * 8);
}

void NpyRowWriter::write_row(const double* values) {
    std::memcpy(buffer_.data(), values, buffer_.size());
    out_.write(reinterpret_cast<const char*>(buffer_.data()), static_cast<std::streamsize>(buffer_.size()));
    ++rows_;
}

void NpyRowWriter::finish() {
    const std::string h = npy_header_f8(rows_, cols_);
    out_.seekp(0);
    out_.write(h.data(), static_cast<std::streamsize>(h.size()));
    out_.seekp(0, std::ios::end);
}

}  // namespace quench::oracle
