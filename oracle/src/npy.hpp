// npy.hpp - NumPy .npy arrays, as numpy.save writes them: format versions 1.0, 2.0 and 3.0,
// dtype '<f8' (float64) or '<f4' (float32), little-endian, C order. Anything else (another
// dtype or byte order, Fortran order, a wrong shape, a size that does not match the shape)
// is rejected with a message naming the file. Rows are streamed: memory does not depend on
// the number of rows.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace quench::oracle {

struct NpyHeader {
    bool float32 = false;                ///< '<f4' (else '<f8')
    std::vector<std::uint64_t> shape;    ///< () , (n,) or (rows, cols)
    std::uint64_t data_offset = 0;       ///< bytes before the data
};

/// Parses the header at the start of `in` (positioned at byte 0). `name` is used in
/// messages. Throws bad_input.
NpyHeader read_npy_header(std::istream& in, const std::string& name);

/// Reads a .npy array row by row as doubles (float32 values convert exactly).
class NpyRowReader {
public:
    /// Opens `path` (an .npy file), checks the header and that the file holds exactly the
    /// bytes the shape announces. `expected_ndim` is 1 (one row) or 2. `role` names the
    /// file in messages ("gradients .npy file"); it must be a regular file.
    NpyRowReader(const std::string& path, unsigned expected_ndim, const std::string& role = ".npy file");
    /// Reads from a stream of `total_bytes` (used by the fuzzers and tests).
    NpyRowReader(std::unique_ptr<std::istream> in, std::uint64_t total_bytes, std::string name,
                 unsigned expected_ndim);

    std::uint64_t rows() const { return rows_; }
    std::uint64_t columns() const { return cols_; }
    const std::string& name() const { return name_; }
    /// Reads the next row into `out` (resized to columns()); false after the last row.
    /// Throws bad_input on a read error or a NaN/infinite value (naming row and column).
    bool next(std::vector<double>& out);

private:
    void init(std::uint64_t total_bytes, unsigned expected_ndim);
    std::unique_ptr<std::istream> in_;
    std::string name_;
    NpyHeader header_;
    std::uint64_t rows_ = 0, cols_ = 0, row_ = 0;
    std::vector<unsigned char> buffer_;
};

/// Writes a float64 C-order .npy of shape (rows, cols) row by row; the number of rows is
/// written into the header (which has room for any count) when finish() is called.
class NpyRowWriter {
public:
    NpyRowWriter(std::ostream& out, std::uint64_t cols);
    void write_row(const double* values);
    void finish();  ///< rewrites the header with the final row count (needs a seekable stream)

private:
    std::ostream& out_;
    std::uint64_t cols_, rows_ = 0;
    std::vector<unsigned char> buffer_;
};

/// The header bytes numpy.save would write for float64 (rows, cols), padded to 128 bytes.
std::string npy_header_f8(std::uint64_t rows, std::uint64_t cols);

}  // namespace quench::oracle
