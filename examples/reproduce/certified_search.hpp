// certified_search.hpp - a golden-section search for the maximiser of a unimodal function,
// decided only by certain comparisons of interval enclosures (mpfi), so that the final
// bracket provably contains the maximiser.
//
// Why it is rigorous: for f strictly increasing then strictly decreasing on [a, b] and
// c < d in it, f(c) < f(d) rules out argmax <= c (f would be decreasing on [c, d]), so the
// maximiser lies in (c, b]; symmetrically for f(d) < f(c). The search only moves when the
// enclosures of f(c) and f(d) are disjoint (certainly_less), and stops when they overlap:
// near the maximum f is flat, so the bracket's relative width ends near sqrt(precision).
// Where c and d fall (rounding of the golden ratio) does not matter for correctness.
#pragma once

#include "quench/scalar.hpp"

#include <cstddef>

namespace quench::reproduce {

template <class E>
struct Bracket {
    E lo, hi;                   ///< the maximiser lies in [lo, hi]
    std::size_t evaluations = 0;
};

/// I: an interval type (mpfi_float_N); E: its end-point type. f maps I to I.
template <class I, class E, class F>
Bracket<E> certified_argmax(F f, E lo, E hi, std::size_t max_evaluations = 4000) {
    using quench::certainly_less;
    const E inverse_phi = E((sqrt(E(5)) - 1) / 2);
    Bracket<E> r{lo, hi, 0};
    E c = E(r.hi - inverse_phi * (r.hi - r.lo)), d = E(r.lo + inverse_phi * (r.hi - r.lo));
    I fc = f(I(c)), fd = f(I(d));
    r.evaluations = 2;
    while (r.evaluations < max_evaluations) {
        if (certainly_less(fc, fd)) {
            r.lo = c;
            c = d;
            fc = fd;
            d = E(r.lo + inverse_phi * (r.hi - r.lo));
            if (!(c < d)) break;  // the bracket is at the precision's limit
            fd = f(I(d));
        } else if (certainly_less(fd, fc)) {
            r.hi = d;
            d = c;
            fd = fc;
            c = E(r.hi - inverse_phi * (r.hi - r.lo));
            if (!(c < d)) break;
            fc = f(I(c));
        } else {
            break;  // undecided: the enclosures overlap
        }
        ++r.evaluations;
    }
    return r;
}

}  // namespace quench::reproduce
