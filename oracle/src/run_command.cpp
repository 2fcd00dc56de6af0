#include "run_command.hpp"

#include "oracle_error.hpp"

namespace quench::oracle {

int run_command(const RunOptions& o) {
    if (!o.jsonl && !o.npy_dir) throw bad_input("run: give an output: -o FILE.jsonl (or -o - for stdout) and/or --npy-dir DIR");
    set_working_precision(o.precision);
    if (o.precision.is_double()) return o.enclose ? run_interval(o) : run_double(o);
    return o.enclose ? run_mpfi(o) : run_mpfr(o);
}

}  // namespace quench::oracle
