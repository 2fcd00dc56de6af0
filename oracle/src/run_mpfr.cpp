// One instantiation of run_with (its own translation unit: the mpfr/mpfi templates are slow
// to compile).
#include "run_impl.hpp"

namespace quench::oracle {
int run_mpfr(const RunOptions& o) { return run_with<mp_real>(o); }
}  // namespace quench::oracle
