// output_files.hpp - the files a tool (quench-oracle, the examples) reads and writes, handled
// so that no input is ever lost and no output is ever half-written:
//   - inputs must be regular files (a directory, FIFO or device gets a message saying so);
//   - every output of a command belongs to one OutputSet: each target is checked when it is
//     added (the oracle adds them all before any work is done): not an input, compared by
//     device and inode rather than by name; not a directory, device, FIFO, socket, symbolic
//     link or read-only file; in a directory in which a file can be created. Each is written to a hidden temporary next to its target, and
//     commit() renames them only after every one of them was written and closed without an
//     error: all of the outputs appear, or none;
//   - a temporary that is not committed is removed, and so is an output directory the set
//     created: by the destructor (an error, an exception) and by the handler of SIGINT,
//     SIGTERM and SIGHUP (which then ends the process with that signal; a signal that
//     arrives while commit() renames, in any thread, waits until the renames are done). SIGKILL
//     cannot be caught: it leaves the temporaries (.<program>-*, OutputOwner) in the output
//     directories.
// Standard output ("-") is part of a set too, but it cannot be taken back: it is written as
// the work goes, and a write error on it (a full disk, a closed descriptor) is an error.
#pragma once

#include "bad_input.hpp"

#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace quench::tools {

/// The identity of a file: two names of one file (a hard link, a symbolic link, "./x" and
/// "x") have the same device and inode.
struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    bool operator==(const FileIdentity&) const = default;
};

/// The program whose outputs a set writes: `program` names the temporaries (a short name:
/// .<program>-XXXXXX next to each target, so that a target name of any valid length has one);
/// `discard_hint`, when not empty, follows the message that refuses a target that is not a
/// regular file (how this program lets a user throw an output away).
struct OutputOwner {  // views of string literals: they outlive every set
    std::string_view program;
    std::string_view discard_hint;
};

/// Checks that `path` names an existing regular file, and remembers it as an input of this
/// process, which no OutputSet may then replace. `what` names the file's role in messages
/// ("trace", "candidate", ".npy file"). Throws bad_input.
FileIdentity check_input_file(const std::string& path, const std::string& what);

class OutputSet {
public:
    explicit OutputSet(const OutputOwner& owner);
    ~OutputSet();  ///< removes every temporary that was not committed
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    /// Adds the output `path` ("-": standard output), written by option `option` (for
    /// messages). Checks the target now and creates its temporary. Throws bad_input.
    std::ostream& add(const std::string& path, const std::string& option);
    /// Flushes and closes every output, checking for write errors, then renames every
    /// temporary onto its target (SIGINT/SIGTERM/SIGHUP are held back while renaming, so a
    /// signal sees all of the outputs or none). Throws bad_input; the targets are then
    /// untouched.
    void commit();
    /// Creates the directory `path` (and its missing parents) for outputs of `option`. The
    /// directories it had to create belong to the set: removed again (when still empty) if
    /// the set is not committed, by the destructor and by the signal handler, so a failed
    /// run leaves no empty output directory behind. Throws bad_input.
    void add_directory(const std::string& path, const std::string& option);

private:
    void rename_all();
    struct Entry;
    OutputOwner owner_;
    std::vector<std::unique_ptr<Entry>> entries_;
    std::vector<std::pair<std::string, int>> created_directories_;  ///< path, signal slot
    bool committed_ = false;
};

/// Checks that standard output took everything written to it (flushes it). Throws
/// bad_input naming the error ("No space left on device", "Bad file descriptor").
void check_standard_output();

/// Makes the descriptors 0, 1 and 2 valid when the program was started with one of them
/// closed: each is then /dev/null opened read-only, so that writing to a closed standard
/// output is a write error, and no output file is opened as descriptor 1 by accident.
void reopen_closed_standard_descriptors();

}  // namespace quench::tools
