// One instantiation of run_with (its own translation unit: the mpfr/mpfi templates are slow
// to compile).
#include "run_impl.hpp"

namespace quench::oracle {
int run_interval(const RunOptions& o) { return run_with<rigorous_interval>(o); }
}  // namespace quench::oracle
