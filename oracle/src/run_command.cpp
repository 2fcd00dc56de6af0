#include "run_command.hpp"

#include "oracle_error.hpp"

namespace quench::oracle {

int run_command(const RunOptions& o) {
    if (o.widths && (!o.enclose || o.precision.is_double()))
        throw bad_input("run: --widths reports the widths of the exact enclosures: it needs --enclose and "
                        "--precision N (digits)");
    if (o.widths && o.jsonl && *o.jsonl == "-")
        throw bad_input("run: --widths prints its report on standard output, so -o - cannot write there too");
    if (!o.jsonl && !o.npy_dir && !o.widths)
        throw bad_input("run: give an output: -o FILE.jsonl (or -o - for stdout), --npy-dir DIR and/or --widths");
    set_working_precision(o.precision);
    if (o.precision.is_double()) return o.enclose ? run_interval(o) : run_double(o);
    return o.enclose ? run_mpfi(o) : run_mpfr(o);
}

}  // namespace quench::oracle
