// One instantiation of run_streamed (its own translation unit: the mpfr/mpfi templates are
// slow to compile): the exact enclosure by the chosen method (centred_run.hpp).
#include "centred_run.hpp"
#include "run_impl.hpp"

namespace quench::oracle {
int run_mpfi(const RunOptions& o) {
    TraceReader trace(o.trace, o.gradients);
    ExactEnclosure run(trace.header(), o.enclosure);
    return run_streamed(o, trace, run);
}
}  // namespace quench::oracle
