#include "output_files.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace quench::tools {

namespace {

std::string error_text(int e) { return std::strerror(e); }

const char* file_type_name(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISLNK(m)) return "a symbolic link";
    return "not a regular file";
}

/// The inputs opened so far (name and identity), for the outputs' checks.
std::vector<std::pair<std::string, FileIdentity>>& inputs() {
    static std::vector<std::pair<std::string, FileIdentity>> list;
    return list;
}

// ---- Temporaries removed on SIGINT/SIGTERM/SIGHUP --------------------------------------
// The handler may only call async-signal-safe functions (unlink, rmdir, sigaction, raise),
// so the names live in a fixed table: a slot is written while it is free and then
// published. A slot holds a temporary file or a directory that the set created (removed
// with rmdir, which only removes it while it is empty: never anything of the user's).
constexpr std::size_t max_temporaries = 64;
enum SlotState : int { slot_free = 0, slot_writing = 1, slot_file = 2, slot_directory = 3 };
struct TemporarySlot {
    std::atomic<int> state{slot_free};
    char path[PATH_MAX] = {};
};
TemporarySlot temporary_slots[max_temporaries];
constexpr int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

// While commit() renames, a cleanup signal must neither remove a temporary that is about to
// become an output nor end the process between two renames. Blocking the signals covers
// the committing thread only; a signal sent to the process may be delivered to any thread
// that does not block it (the core's pass workers, pass_threads.hpp). So the commit and the
// handler, whichever thread runs it, take turns through `phase`: a signal during the
// renames is deferred and raised again after the last one (it then sees all of the
// outputs), and a commit that starts while a handler is already removing the temporaries
// waits for the process to end (it then leaves none of them).
enum Phase : int { phase_idle = 0, phase_committing = 1, phase_dying = 2 };
std::atomic<int> phase{phase_idle};
std::atomic<int> deferred_signal{0};

void remove_temporaries() {
    for (auto& s : temporary_slots)
        if (s.state.load() == slot_file) ::unlink(s.path);
    // Directories last and deepest first: they were registered parent before child.
    for (std::size_t i = max_temporaries; i-- > 0;)
        if (temporary_slots[i].state.load() == slot_directory) ::rmdir(temporary_slots[i].path);
}

extern "C" void remove_temporaries_and_die(int sig) {
    int expected = phase_idle;
    if (!phase.compare_exchange_strong(expected, phase_dying)) {
        if (expected == phase_committing) deferred_signal.store(sig);
        return;  // committing: raised again afterwards; dying: another thread is at it
    }
    remove_temporaries();
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(sig, &dfl, nullptr);
    ::raise(sig);  // delivered with the default action once the handler returns
}

void install_cleanup_handlers() {
#if defined(QUENCH_TOOLS_EMBEDDED)
    // Inside a host process (the Python package calls the oracle in-process) the host owns
    // the signal handlers: Python's SIGINT must stay a KeyboardInterrupt. Temporaries are
    // still removed on every error path; only a signal's default death would leave them.
    return;
#endif
    static bool installed = false;
    if (installed) return;
    installed = true;
    for (int sig : cleanup_signals) {
        struct sigaction old {};
        ::sigaction(sig, nullptr, &old);
        if (old.sa_handler == SIG_IGN) continue;  // e.g. nohup: an ignored signal stays ignored
        struct sigaction sa {};
        sa.sa_handler = remove_temporaries_and_die;
        sigemptyset(&sa.sa_mask);
        ::sigaction(sig, &sa, nullptr);
    }
}

int register_temporary(const std::string& path, SlotState kind = slot_file) {
    if (path.size() >= PATH_MAX) throw bad_input(path + ": the path is too long");
    for (std::size_t i = 0; i < max_temporaries; ++i) {
        int expected = slot_free;
        if (temporary_slots[i].state.compare_exchange_strong(expected, slot_writing)) {
            std::memcpy(temporary_slots[i].path, path.c_str(), path.size() + 1);
            temporary_slots[i].state.store(kind);
            return static_cast<int>(i);
        }
    }
    throw bad_input(path + ": too many output files at once");
}

void unregister_temporary(int slot) {
    if (slot >= 0) temporary_slots[slot].state.store(slot_free);
}

/// Holds SIGINT/SIGTERM/SIGHUP back while alive.
class SignalsHeld {
public:
    SignalsHeld() {
        sigset_t set;
        sigemptyset(&set);
        for (int sig : cleanup_signals) sigaddset(&set, sig);
        ::sigprocmask(SIG_BLOCK, &set, &old_);
    }
    ~SignalsHeld() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
    SignalsHeld(const SignalsHeld&) = delete;
    SignalsHeld& operator=(const SignalsHeld&) = delete;

private:
    sigset_t old_;
};

std::string directory_of(const std::string& path) {
    const auto p = path.find_last_of('/');
    if (p == std::string::npos) return ".";
    return p == 0 ? "/" : path.substr(0, p);
}

}  // namespace

FileIdentity check_input_file(const std::string& path, const std::string& what) {
    if (path.empty()) throw bad_input("the " + what + " file name is empty");
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw bad_input(path + ": cannot open the " + what + ": " + error_text(errno));
    if (!S_ISREG(st.st_mode))
        throw bad_input(path + ": is " + file_type_name(st.st_mode) + ", not a file; the " + what +
                        " must be a regular file");
    const FileIdentity id{st.st_dev, st.st_ino};
    inputs().emplace_back("the " + what + " " + path, id);
    return id;
}

struct OutputSet::Entry {
    std::string path, option, temp;
    std::ofstream file;
    bool to_stdout = false;
    int slot = -1;
    std::string directory_key;  // for "written twice" when the target does not exist yet
};

OutputSet::OutputSet(const OutputOwner& owner) : owner_(owner) {
    // Short, and made of characters a file name can hold: see OutputOwner.
    if (owner.program.empty() || owner.program.size() > 32 || owner.program.find('/') != std::string_view::npos)
        throw std::logic_error("OutputSet: the program name must be 1 to 32 characters without '/'");
    install_cleanup_handlers();
}

OutputSet::~OutputSet() {
    for (auto& e : entries_) {
        if (e->to_stdout || e->temp.empty()) continue;
        e->file.close();
        ::unlink(e->temp.c_str());
        unregister_temporary(e->slot);
    }
    // Deepest first; rmdir leaves a directory that is not empty (committed outputs, or
    // files someone else put there) alone.
    if (committed_) return;
    for (auto d = created_directories_.rbegin(); d != created_directories_.rend(); ++d) {
        ::rmdir(d->first.c_str());
        unregister_temporary(d->second);
    }
}

void OutputSet::add_directory(const std::string& path, const std::string& option) {
    if (path.empty()) throw bad_input(option + ": the directory name is empty");
    const std::string where = option + " " + path;
    // The missing directories on the way, outermost first, so that each is made and
    // registered before the next.
    std::vector<std::string> missing;
    for (std::string p = path; !p.empty() && p != "/" && p != ".";) {
        struct stat st {};
        if (::stat(p.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) throw bad_input(where + ": " + p + " is " + file_type_name(st.st_mode) + ", not a directory");
            break;
        }
        if (errno != ENOENT) throw bad_input(where + ": " + p + ": " + error_text(errno));
        missing.push_back(p);
        const auto slash = p.find_last_of('/');
        if (slash == std::string::npos) break;
        p = p.substr(0, slash);
        while (p.size() > 1 && p.back() == '/') p.pop_back();
    }
    for (auto p = missing.rbegin(); p != missing.rend(); ++p) {
        const int slot = register_temporary(*p, slot_directory);
        if (::mkdir(p->c_str(), 0777) != 0) {
            const int err = errno;
            unregister_temporary(slot);
            throw bad_input(where + ": cannot create the directory " + *p + ": " + error_text(err));
        }
        created_directories_.emplace_back(*p, slot);
    }
}

std::ostream& OutputSet::add(const std::string& path, const std::string& option) {
    if (path.empty()) throw bad_input(option + ": the output file name is empty");
    auto e = std::make_unique<Entry>();
    e->path = path;
    e->option = option;
    if (path == "-") {
        for (const auto& other : entries_)
            if (other->to_stdout) throw bad_input(option + ": standard output is already an output");
        e->to_stdout = true;
        entries_.push_back(std::move(e));
        return std::cout;
    }
    const std::string where = option + " " + path;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode))
            throw bad_input(where + ": is a symbolic link; outputs are replaced by rename, which would "
                                    "replace the link, not the file it points to: give that file's path");
        if (!S_ISREG(st.st_mode))
            throw bad_input(where + ": is " + file_type_name(st.st_mode) + "; outputs are regular files" +
                            (owner_.discard_hint.empty() ? std::string()
                                                         : " (" + std::string(owner_.discard_hint) + ")"));
        const FileIdentity id{st.st_dev, st.st_ino};
        for (const auto& [name, input] : inputs())
            if (input == id) throw bad_input(where + ": is " + name + "; refusing to write over an input");
        for (const auto& other : entries_) {
            struct stat ost {};
            if (!other->to_stdout && ::lstat(other->path.c_str(), &ost) == 0 &&
                FileIdentity{ost.st_dev, ost.st_ino} == id)
                throw bad_input(where + ": is also the output of " + other->option + " " + other->path);
        }
        if ((st.st_mode & 0222) == 0 || ::access(path.c_str(), W_OK) != 0)
            throw bad_input(where + ": is read-only; refusing to replace it (make it writable or remove it)");
    } else if (errno != ENOENT) {
        throw bad_input(where + ": " + error_text(errno));
    }
    const std::string dir = directory_of(path);
    for (const auto& other : entries_)
        if (!other->to_stdout && other->path == path)
            throw bad_input(where + ": is also the output of " + other->option + " " + other->path);
    // A short name, so that a target name of any valid length has a temporary.
    std::string pattern = dir + "/." + std::string(owner_.program) + "-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw bad_input(where + ": cannot create a file in " + dir + ": " + error_text(errno));
    ::close(fd);
    e->temp = pattern;
    e->slot = register_temporary(e->temp);
    e->file.open(e->temp, std::ios::binary | std::ios::trunc);
    Entry& ref = *e;
    entries_.push_back(std::move(e));  // from here the destructor removes the temporary
    if (!ref.file) throw bad_input(where + ": cannot open " + ref.temp + ": " + error_text(errno));
    return ref.file;
}

void OutputSet::commit() {
    if (committed_) return;
    // 1. Everything written and closed: a full disk shows up here, before any rename.
    for (auto& e : entries_) {
        if (e->to_stdout) {
            check_standard_output();
            continue;
        }
        errno = 0;
        e->file.flush();
        e->file.close();
        if (!e->file)
            throw bad_input(e->option + " " + e->path + ": write error" +
                            (errno ? ": " + error_text(errno) : std::string(" (disk full?)")) +
                            "; no output was written");
        // mkstemp creates mode 0600; give the mode a plain open would (0666 less the umask).
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::chmod(e->temp.c_str(), 0666 & ~mask);
    }
    // 2. The renames, with the cleanup signals held back in this thread and deferred by the
    // handler in any other.
    {
        SignalsHeld held;
        int expected = phase_idle;
        if (!phase.compare_exchange_strong(expected, phase_committing))
            for (;;) ::pause();  // a handler is removing the temporaries and ends the process
        struct PhaseReset {
            ~PhaseReset() { phase.store(phase_idle); }
        } reset;
        rename_all();
    }
    // Every output is in place: a signal that arrived meanwhile ends the process now, as it
    // would have before the commit.
    if (const int sig = deferred_signal.exchange(0)) ::raise(sig);
}

void OutputSet::rename_all() {
    std::string renamed;
    for (auto& e : entries_) {
        if (e->to_stdout) continue;
        if (std::rename(e->temp.c_str(), e->path.c_str()) != 0) {
            const int err = errno;
            throw bad_input(e->option + " " + e->path + ": cannot rename " + e->temp + " onto it: " +
                            error_text(err) +
                            (renamed.empty() ? std::string() : " (already written:" + renamed + ")"));
        }
        renamed += " " + e->path;
        e->temp.clear();
        unregister_temporary(e->slot);
    }
    committed_ = true;
    for (auto& [path, slot] : created_directories_) {  // outputs now: never removed
        unregister_temporary(slot);
        slot = -1;
    }
}

void check_standard_output() {
    errno = 0;
    std::cout.flush();
    bool failed = !std::cout;
    int err = errno;
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        failed = true;
        err = errno ? errno : err;
    }
    if (failed)
        throw bad_input(std::string("standard output: write error") + (err ? ": " + error_text(err) : std::string()));
}

void reopen_closed_standard_descriptors() {
    for (int fd = 0; fd <= 2; ++fd)
        if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            const int n = ::open("/dev/null", O_RDONLY);  // the lowest free descriptor: fd
            if (n >= 0 && n != fd) ::close(n);
        }
}

}  // namespace quench::tools
