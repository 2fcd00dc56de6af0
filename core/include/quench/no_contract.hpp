// quench/no_contract.hpp - keep every rounded product of the core from fusing into a
// multiply-add, whatever flags the including program is compiled with.
//
// Why: the certified rounding-error bounds (proofs/rounding/, certified_bounds.hpp) are for
// the expressions as written, each + - * / rounded once. A compiler that contracts a*b + c
// into one fused multiply-add (g++'s default -ffp-contract=fast outside strict ISO mode,
// clang's -ffp-contract=fast, with FMA in the instruction set, e.g. -march=native) computes
// something else, and the bounds, the bit-identity with the transcriptions and the
// cross-precision tests would silently no longer hold. quench::core's CMake target passes
// -ffp-contract=off, but a program that includes the headers with its own build does not.
//
// How: every core header wraps its definitions (after its #includes, so that no standard
// library function is affected) in QUENCH_NO_CONTRACT_BEGIN / QUENCH_NO_CONTRACT_END.
//  - GCC: `#pragma GCC optimize("fp-contract=off")` gives every function defined inside the
//    region -ffp-contract=off. Code inlined into such a function takes its flags, and GCC
//    does not inline a function of the region into a caller with other floating-point flags,
//    so the core's arithmetic is never contracted, and the vectoriser still works on it.
//  - clang: `#pragma clang fp contract(off)` does the same for -ffp-contract=on (clang's
//    default) and off; clang's -ffp-contract=fast ignores every pragma, so for that mode
//    step() refuses to run (products_rounded_before_sums() below detects it).
// Other compilers get no pragma; the run-time check covers them as well.
#pragma once

#include <stdexcept>

#if defined(__clang__)
#define QUENCH_NO_CONTRACT_BEGIN _Pragma("float_control(push)") _Pragma("clang fp contract(off)")
#define QUENCH_NO_CONTRACT_END _Pragma("float_control(pop)")
#elif defined(__GNUC__)
#define QUENCH_NO_CONTRACT_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=off\")")
#define QUENCH_NO_CONTRACT_END _Pragma("GCC pop_options")
#else
#define QUENCH_NO_CONTRACT_BEGIN
#define QUENCH_NO_CONTRACT_END
#endif

QUENCH_NO_CONTRACT_BEGIN
namespace quench::detail {

/// True when this translation unit rounds a product before adding it, as the certified
/// expressions require: 1 + 2^-30 times 1 - 2^-30 is 1 - 2^-60, which rounds to 1, so
/// the two-rounding result of (a b) + (-1) is 0, and a fused multiply-add gives -2^-60.
/// The inputs are volatile so that the compiler cannot fold the expression.
inline bool products_rounded_before_sums() {
    volatile double a = 1 + 0x1p-30, b = 1 - 0x1p-30, c = -1;
    const double product = a * b;
    const double sum = product + c;
    return sum == 0;
}

/// step() for float and double: the certified expressions need their products rounded.
inline void require_products_rounded_before_sums() {
    if (!products_rounded_before_sums())
        throw std::logic_error(
            "quench: this program is compiled to fuse products into multiply-adds "
            "(clang's -ffp-contract=fast ignores the core's pragmas), so the certified "
            "rounding bounds of quench::step do not hold; compile with -ffp-contract=on or off");
}

}  // namespace quench::detail
QUENCH_NO_CONTRACT_END
