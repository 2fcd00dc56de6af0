// quench/vector_pass.hpp - the vectorised pass for float and double, with runtime
// selection of the instruction set and (for large d) a split over threads.
//
// Why: the generic loop (quench_sgd.hpp) is right for every scalar type, but for float and double
// g++ -O2 (the default RelWithDebInfo build) does not vectorise it: the "very cheap" cost
// model of -O2 refuses loops that need an epilogue or a runtime alias check, and the plain
// x86-64 target has only SSE2. This header gives the same per-coordinate arithmetic
// (it calls detail::update_and_store of coordinate_update.hpp, the one definition of the
// update, under the step's compile-time StepPolicy) to the vectoriser in a form it accepts
// at -O2:
//   - every array is a __restrict pointer (no alias check needed),
//   - the loop runs in blocks of a fixed length (a multiple of every vector width, so no
//     epilogue inside a block) and a scalar tail,
//   - the constants are copied into a local, so no store can change them,
//   - the overflow test of phi is a lane-wise compare, no call to isfinite,
//   - the 16 lanes of a block stay a loop (QUENCH_LANE_LOOP) at -O3 too: there g++ 12
//     otherwise unrolls them completely before the loop vectoriser runs and leaves only
//     straight-line SLP code (measured at d = 250000 on AVX-512, one thread: 0.92 instead of
//     0.28 ns per coordinate for float, 1.14 instead of 0.80 for double; the input check
//     was not vectorised at all). -O3 is CMake's Release default, so users meet it.
// The block loop (and step()'s input check, which reads ghat before the pass) is compiled
// three times: for the x86-64 baseline (SSE2), for x86-64-v3 (AVX2) and for AVX-512, and
// the best one the processor runs is chosen once, at the first call (__builtin_cpu_supports).
// The IEEE operations + - * / and the select-form min/max are correctly rounded in every
// instruction set, and -ffp-contract=off (quench::core's INTERFACE) forbids fused
// multiply-adds even where "fma" is enabled, so every variant gives bit-identical results to
// the scalar generic loop (tests/vector_pass_test.cpp checks this on random inputs for every
// variant the machine can run).
//
// A kernel exists for the warm-up and, after it, for the "always finite" option sets
// (StepPolicy::always_finite: clamp_variance and eta_max on, and a weight limit, as
// from_smoothness gives); the others need the zero-variance pre-check anyway and keep the
// generic loop. Per-step outputs (eta, Bstar) are part of every kernel.
#pragma once

#include "quench/coordinate_update.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <type_traits>

#include "quench/pass_threads.hpp"

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define QUENCH_X86_DISPATCH 1
#else
#define QUENCH_X86_DISPATCH 0
#endif

#include "quench/no_contract.hpp"

// Keeps the loop over a block's lanes a loop for g++'s vectoriser (header comment). Not for
// clang, which vectorises first and then unrolls the vector loop: "nounroll" there halved
// the float pass's speed at -O2 (0.60 against 0.29 ns per coordinate, clang 14, AVX-512).
#if defined(__GNUC__) && !defined(__clang__)
#define QUENCH_LANE_LOOP _Pragma("GCC unroll 1")
#else
#define QUENCH_LANE_LOOP
#endif

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp

namespace quench::detail {

/// The instruction-set variants of the vectorised pass. `scalar` is the generic loop of
/// quench_sgd.hpp (no vectorised kernel), used by the tests as the reference.
enum class KernelIsa { scalar = 0, baseline = 1, avx2 = 2, avx512 = 3 };

inline const char* kernel_isa_name(KernelIsa i) {
    switch (i) {
        case KernelIsa::scalar: return "scalar";
        case KernelIsa::baseline: return "baseline";  // x86-64 (SSE2) or the build's target
        case KernelIsa::avx2: return "avx2";
        case KernelIsa::avx512: return "avx512";
    }
    return "?";
}

/// Can this processor run the variant?
inline bool kernel_isa_supported(KernelIsa i) {
#if QUENCH_X86_DISPATCH
    switch (i) {
        case KernelIsa::scalar:
        case KernelIsa::baseline: return true;
        case KernelIsa::avx2:
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case KernelIsa::avx512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                   __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx2");
    }
    return false;
#else
    return i == KernelIsa::scalar || i == KernelIsa::baseline;
#endif
}

/// The best variant this processor runs. QUENCH_ISA=scalar|baseline|avx2|avx512 in the
/// environment lowers it (for measurements and tests; a variant the processor cannot run is
/// ignored).
inline KernelIsa detect_kernel_isa() {
    KernelIsa best = KernelIsa::baseline;
    for (KernelIsa i : {KernelIsa::avx2, KernelIsa::avx512})
        if (kernel_isa_supported(i)) best = i;
    if (const char* want = std::getenv("QUENCH_ISA")) {
        for (KernelIsa i : {KernelIsa::scalar, KernelIsa::baseline, KernelIsa::avx2, KernelIsa::avx512})
            if (std::string_view(want) == kernel_isa_name(i) && kernel_isa_supported(i) &&
                static_cast<int>(i) <= static_cast<int>(best))
                best = i;
    }
    return best;
}

/// The variant step() uses, chosen at the first call.
inline KernelIsa active_kernel_isa() {
    static const KernelIsa isa = detect_kernel_isa();
    return isa;
}

/// The pointers of one pass. `mass` is null without bias correction, `eta` and `batch_star`
/// (the per-step outputs) are null when not reported.
template <class T>
struct KernelArrays {
    const T* ghat;
    T* phi;
    T* mean;
    T* second;
    T* mass;
    T* weight;
    T* eta = nullptr;
    T* batch_star = nullptr;
};

/// Does the vectorised pass have a kernel for the policy P? (See the top of this file.)
constexpr bool has_vector_kernel(const StepPolicy& p) { return p.warm || p.always_finite(); }

/// One coordinate of the pass (steps 1-6, E20), for the block loop below.
/// Returns 0 when the new phi is finite, NaN when it is infinite or NaN.
template <class T, StepPolicy P>
[[gnu::always_inline]] inline T kernel_coordinate(
    const StepConstants<T>& k, const T* __restrict ghat, T* __restrict phi, T* __restrict mean,
    T* __restrict second, T* __restrict mass, T* __restrict weight, T* __restrict eta,
    T* __restrict batch_star, std::size_t i) {
    CoordinateUpdate<T> u;  // registers: the vectoriser keeps the workspace in vectors
    CoordinateScratch<T> s;
    update_and_store<T, P>(u, s, k, ghat, phi, mean, second, mass, weight, eta, batch_star, i);
    // p - p is +0 for every finite p and NaN for +-inf and NaN: summed over the lanes, it
    // flags an overflow with two vector operations (SSE2 has no 64-bit integer select).
    return T(s.phi - s.phi);
}

/// The block loop shared by every variant: coordinates [begin, end). Returns true when a
/// new phi is infinite or NaN (the caller throws overflow_error).
template <class T, StepPolicy P>
[[gnu::always_inline]] inline bool block_loop(const StepConstants<T>& constants,
                                              const T* __restrict ghat, T* __restrict phi,
                                              T* __restrict mean, T* __restrict second,
                                              T* __restrict mass, T* __restrict weight,
                                              T* __restrict eta, T* __restrict batch_star,
                                              std::size_t begin, std::size_t end) {
    const StepConstants<T> k = constants;  // a local: no store of the loop can change it
    // 16 lanes: a multiple of the vector length of SSE2, AVX2 and AVX-512 for float and
    // double, so a block needs no epilogue (which -O2's cost model would refuse).
    constexpr std::size_t block = 16;
    T bad[block] = {};  // per lane: 0 while every phi is finite, NaN after an overflow
    std::size_t i = begin;
    for (; i + block <= end; i += block) {
        // Pointers to the block, indexed by the lane j: the access pattern the vectoriser sees.
        // (A null array stays null: null + i is undefined behaviour.)
        const T* g = ghat + i;
        T *p = phi + i, *m = mean + i, *v = second + i, *c = P.bias ? mass + i : mass, *w = weight + i;
        T *e = P.report_eta ? eta + i : eta, *b = P.report_batch_star ? batch_star + i : batch_star;
        QUENCH_LANE_LOOP
        for (std::size_t j = 0; j < block; ++j)
            bad[j] = T(bad[j] + kernel_coordinate<T, P>(k, g, p, m, v, c, w, e, b, j));
    }
    bool any = false;
    for (; i < end; ++i)
        any |= kernel_coordinate<T, P>(k, ghat, phi, mean, second, mass, weight, eta, batch_star,
                                       i) != T(0);
    for (std::size_t j = 0; j < block; ++j) any |= bad[j] != T(0);
    return any;
}

/// step()'s input check for float and double on ghat[begin, end), in one vectorisable pass:
/// true when every ghat[i] is finite with |ghat[i]| <= limit. Compiled per instruction set
/// like the pass (admissible_* below): in SSE2 alone it took a third of a step at d = 10^7.
template <class T>
[[gnu::always_inline]] inline bool gradients_admissible_range(const T* __restrict ghat, std::size_t begin,
                                                              std::size_t end, T limit) {
    constexpr std::size_t block = 16;
    T nan_or_inf[block] = {};  // g - g: +0 for finite g, NaN otherwise
    T largest[block] = {};
    std::size_t i = begin;
    for (; i + block <= end; i += block) {
        const T* g = ghat + i;
        QUENCH_LANE_LOOP
        for (std::size_t j = 0; j < block; ++j) {
            const T a = g[j] < T(0) ? T(-g[j]) : g[j];
            nan_or_inf[j] = T(nan_or_inf[j] + T(g[j] - g[j]));
            largest[j] = largest[j] < a ? a : largest[j];
        }
    }
    bool ok = true;
    for (; i < end; ++i)
        ok = ok && ghat[i] - ghat[i] == T(0) && (ghat[i] < T(0) ? -ghat[i] : ghat[i]) <= limit;
    for (std::size_t j = 0; j < block; ++j) ok = ok && nan_or_inf[j] == T(0) && largest[j] <= limit;
    return ok;
}

// The variants. Each is a real (not inlined) function whose arrays are __restrict
// parameters: g++ trusts restrict for the parameters of the function being compiled, not for
// pointers loaded from a struct, and the vectoriser needs it to drop the alias checks.
#define QUENCH_KERNEL_PARAMETERS                                                         \
    const StepConstants<T>&k, const T *__restrict ghat, T *__restrict phi,               \
        T *__restrict mean, T *__restrict second, T *__restrict mass, T *__restrict weight, \
        T *__restrict eta, T *__restrict batch_star, std::size_t begin, std::size_t end
#define QUENCH_KERNEL_BODY \
    return block_loop<T, P>(k, ghat, phi, mean, second, mass, weight, eta, batch_star, begin, end)

template <class T, StepPolicy P>
[[gnu::flatten]] bool kernel_baseline(QUENCH_KERNEL_PARAMETERS) { QUENCH_KERNEL_BODY; }
#define QUENCH_ADMISSIBLE_PARAMETERS const T *__restrict ghat, std::size_t begin, std::size_t end, T limit
#define QUENCH_ADMISSIBLE_BODY return gradients_admissible_range<T>(ghat, begin, end, limit)
template <class T>
[[gnu::flatten]] bool admissible_baseline(QUENCH_ADMISSIBLE_PARAMETERS) { QUENCH_ADMISSIBLE_BODY; }

#if QUENCH_X86_DISPATCH
// x86-64-v3 (AVX2 + FMA: FMA is allowed to the instruction set, never to the arithmetic,
// which -ffp-contract=off keeps as written).
template <class T, StepPolicy P>
[[gnu::target("avx2,fma,bmi,bmi2"), gnu::flatten]] bool kernel_avx2(QUENCH_KERNEL_PARAMETERS) {
    QUENCH_KERNEL_BODY;
}
template <class T>
[[gnu::target("avx2,fma,bmi,bmi2"), gnu::flatten]] bool admissible_avx2(QUENCH_ADMISSIBLE_PARAMETERS) {
    QUENCH_ADMISSIBLE_BODY;
}
// AVX-512 with 512-bit vectors (g++ prefers 256-bit ones by default; clang 14 has no
// prefer-vector-width target attribute and warns about it, so it gets the plain set).
#if defined(__clang__)
#define QUENCH_AVX512_TARGET "avx512f,avx512vl,avx512dq,avx2,fma,bmi,bmi2"
#else
#define QUENCH_AVX512_TARGET "avx512f,avx512vl,avx512dq,avx2,fma,bmi,bmi2,prefer-vector-width=512"
#endif
template <class T, StepPolicy P>
[[gnu::target(QUENCH_AVX512_TARGET), gnu::flatten]] bool kernel_avx512(QUENCH_KERNEL_PARAMETERS) {
    QUENCH_KERNEL_BODY;
}
template <class T>
[[gnu::target(QUENCH_AVX512_TARGET), gnu::flatten]] bool admissible_avx512(QUENCH_ADMISSIBLE_PARAMETERS) {
    QUENCH_ADMISSIBLE_BODY;
}
#endif
#undef QUENCH_AVX512_TARGET
#undef QUENCH_KERNEL_PARAMETERS
#undef QUENCH_KERNEL_BODY
#undef QUENCH_ADMISSIBLE_PARAMETERS
#undef QUENCH_ADMISSIBLE_BODY
#undef QUENCH_LANE_LOOP

/// gradients_admissible_range in the variant `isa` (scalar: the baseline variant).
template <class T>
bool run_admissible(KernelIsa isa, const T* ghat, std::size_t begin, std::size_t end, T limit) {
#if QUENCH_X86_DISPATCH
    if (isa == KernelIsa::avx512) return admissible_avx512<T>(ghat, begin, end, limit);
    if (isa == KernelIsa::avx2) return admissible_avx2<T>(ghat, begin, end, limit);
#endif
    (void)isa;
    return admissible_baseline<T>(ghat, begin, end, limit);
}

/// Runs the variant `isa` (supported, not `scalar`) under the policy P on [begin, end).
template <class T, StepPolicy P>
bool run_kernel(KernelIsa isa, const StepConstants<T>& k, const KernelArrays<T>& a,
                std::size_t begin, std::size_t end) {
    static_assert(has_vector_kernel(P), "no kernel for this policy: use the generic loop");
#if QUENCH_X86_DISPATCH
    if (isa == KernelIsa::avx512)
        return kernel_avx512<T, P>(k, a.ghat, a.phi, a.mean, a.second, a.mass, a.weight, a.eta,
                                   a.batch_star, begin, end);
    if (isa == KernelIsa::avx2)
        return kernel_avx2<T, P>(k, a.ghat, a.phi, a.mean, a.second, a.mass, a.weight, a.eta,
                                 a.batch_star, begin, end);
#endif
    (void)isa;
    return kernel_baseline<T, P>(k, a.ghat, a.phi, a.mean, a.second, a.mass, a.weight, a.eta,
                                 a.batch_star, begin, end);
}

/// Threads for a pass over d coordinates: one below `parallel_threshold` coordinates (handing
/// ranges to the workers costs more than the pass), else up to the hardware's count
/// (PassThreads::wanted_threads: QUENCH_THREADS in the environment sets the most).
inline constexpr std::size_t parallel_threshold = std::size_t(1) << 18;

inline unsigned max_step_threads() { return PassThreads::wanted_threads(); }

/// Runs body(begin, end) -> bool over [0, d) split over `threads` threads (the process's
/// PassThreads workers; no thread is started and nothing allocated per call), and returns
/// the OR of the results.
template <class Body>
bool parallel_ranges(std::size_t d, unsigned threads, const Body& body) {
    if (threads <= 1 || d < 2 * 64) return body(std::size_t(0), d);
    return PassThreads::instance().run(d, threads, body);
}

/// The vectorised pass under the policy P over all coordinates, split over `threads`
/// threads. The per-coordinate results do not depend on the split.
template <class T, StepPolicy P>
bool vector_pass(KernelIsa isa, unsigned threads, const StepConstants<T>& k,
                 const KernelArrays<T>& a, std::size_t d) {
    return parallel_ranges(d, threads, [&](std::size_t begin, std::size_t end) {
        return run_kernel<T, P>(isa, k, a, begin, end);
    });
}

/// The check over all of ghat, split over threads like the pass (it reads as many bytes as
/// one of the pass's six input arrays). When false, step() runs its element-wise check,
/// which finds the first bad coordinate and names it in the error.
template <class T>
bool gradients_admissible(const T* ghat, std::size_t d, T limit) {
    const unsigned threads = d >= parallel_threshold ? max_step_threads() : 1;
    const KernelIsa isa = active_kernel_isa();
    return !parallel_ranges(d, threads, [&](std::size_t begin, std::size_t end) {
        return !run_admissible<T>(isa, ghat, begin, end, limit);
    });
}

/// Does step() use the vectorised pass for T? float and double only: the other types keep the
/// generic loop.
template <class T>
inline constexpr bool has_vector_pass = std::is_same_v<T, double> || std::is_same_v<T, float>;

}  // namespace quench::detail

QUENCH_NO_CONTRACT_END
