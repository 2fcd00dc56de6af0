// One instantiation of run_with (its own translation unit: the mpfr/mpfi templates are slow
// to compile).
#include "run_impl.hpp"

namespace quench::oracle {
int run_double(const RunOptions& o) { return run_with<double>(o); }
}  // namespace quench::oracle
