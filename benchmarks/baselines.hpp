// baselines.hpp - the kernels the quench step is measured against (benchmarks only):
//   triad  a = b + s c       the STREAM-style memory-bandwidth limit (and a += s b)
//   sgd    p -= lr g         plain SGD, the cheapest optimiser step
//   adam   Adam (Kingma and Ba 2015) with bias correction, written the usual way
//   shape  the quench step's own memory traffic with no arithmetic to speak of
// Compiled in their own translation unit (baselines.cpp) with the flags a user would pick
// for such loops (-O3 -fno-math-errno), so the comparison is with well-compiled code.
#pragma once

#include <cstddef>
#include <cstdint>

namespace quench_bench {

/// a[i] = b[i] + s c[i] for i in [begin, end).
template <class T>
void triad(T* a, const T* b, const T* c, T s, std::size_t begin, std::size_t end);

/// a[i] = a[i] + s b[i] for i in [begin, end): the in-place triad (no write-allocate traffic,
/// like the step, which writes only lines it has read).
template <class T>
void triad_in_place(T* a, const T* b, T s, std::size_t begin, std::size_t end);

/// The memory traffic of quench::step with one addition per value: a read pass over g (the
/// step's validation) and a pass that reads g, p, m, v, c, w and writes p, m, v, c, w back
/// (x += g). The bandwidth limit of the step's own access pattern (six streams in, five out).
/// Returns the OR of g's bit patterns (so the read pass is not removed).
template <class T>
std::uint64_t same_shape_read(const T* g, std::size_t begin, std::size_t end);
template <class T>
void same_shape_update(const T* g, T* p, T* m, T* v, T* c, T* w, std::size_t begin, std::size_t end);

/// p[i] -= lr g[i].
template <class T>
void sgd_step(T* p, const T* g, T lr, std::size_t d);

/// One Adam step t >= 1 (beta1 = 0.9, beta2 = 0.999, eps = 1e-8).
template <class T>
void adam_step(T* p, T* m, T* v, const T* g, T lr, std::uint64_t t, std::size_t d);

}  // namespace quench_bench
