#include "stepwise_engine.hpp"

#include "stepwise_lanes.hpp"

#include "quench/vector_pass.hpp"

#include <algorithm>
#include <utility>

namespace quench::oracle::stepwise {

namespace {

using lanes::B;

/// 16 lanes: a multiple of every vector length, so a block needs no epilogue (which the
/// vectoriser's "very cheap" cost model at -O2 refuses); the last n % 16 coordinates of a
/// call go to the slow path.
constexpr std::size_t block = 16;

/// Per lane of the block, per quantity: what StepwiseReport::tally counts (as doubles:
/// exact counts up to 2^53, and the vectoriser keeps them in the lanes' registers).
struct Accumulators {
    double outside[quantity_count][block] = {}, unbounded[quantity_count][block] = {};
    double loose[quantity_count][block] = {}, widest[quantity_count][block] = {};
    double worst[quantity_count][block], worst_index[quantity_count][block] = {};
    double general[block] = {};
    Accumulators() {
        for (auto& w : worst)
            for (double& x : w) x = -1;
    }
};

/// StepwiseReport::tally for one value of one lane, branch-free: the same tests, counts as
/// 0/1 additions, the worst kept by selects (strictly larger: the first coordinate wins).
[[gnu::always_inline]] inline void account(const lanes::Q& c, double x, double index, double& outside,
                                           double& unbounded, double& loose, double& widest, double& worst,
                                           double& worst_index) {
    // Every accumulator is read once, unconditionally, and written once: a conditional load
    // or store would keep the loop from being if-converted (and so from vectorising).
    const double was_outside = outside, was_unbounded = unbounded, was_loose = loose, was_widest = widest;
    const double was_worst = worst, was_index = worst_index;
    const double lo = c.region.lo, hi = c.region.hi;
    const bool bounded = (__builtin_fabs(lo) <= lanes::big) & (__builtin_fabs(hi) <= lanes::big);
    const bool ok = bounded;
    const double mid = __builtin_fabs(lo + hi) / 2;
    const double width = (hi - lo) / mid;
    const bool has_width = ok & (mid > 0);
    // Check::bound_units: 0 inside the exact box, else the distance over the bound on that side.
    const double half = (hi - lo) / 2;
    const bool below = x < c.exact.lo, above = x > c.exact.hi;
    const double num = below ? c.exact.lo - x : (above ? x - c.exact.hi : 0.0);
    const double den = below ? lanes::lmax(lanes::lmax(c.exact.lo - lo, half), lanes::tiny)
                             : lanes::lmax(lanes::lmax(hi - c.exact.hi, half), lanes::tiny);
    const double units = num / den;
    const bool better = ok & (units > was_worst);
    unbounded = was_unbounded + (bounded ? 0.0 : 1.0);
    widest = has_width ? lanes::lmax(was_widest, width) : was_widest;
    loose = was_loose + (has_width & (width > 1e-3) ? 1.0 : 0.0);
    worst_index = better ? index : was_index;
    worst = better ? units : was_worst;
    outside = was_outside + (ok & !((lo <= x) & (x <= hi)) ? 1.0 : 0.0);
}

/// A general lane's check (recomputed by check_step and tallied there) as the point {x}:
/// bounded, inside, width 0 and 0 bound units, it changes no tally (its units 0 can only
/// tie the worst at 0, where the recomputed lane, also 0, has the same coordinate).
[[gnu::always_inline]] inline lanes::Q masked(const lanes::Q& c, double x, double general) {
    const bool g = general != 0;
    return {lanes::select(g, lanes::point(x), c.exact), lanes::select(g, lanes::point(x), c.region)};
}

// The block loop's arrays are __restrict parameters of the function being compiled (g++
// trusts restrict there, not in pointers loaded from a struct): the gradients, the six
// records (absent ones point at zeros), the state before (i*) and after (o*) the step in
// the order mass, weight, gt, st, phi (lo, hi), and the flags of the general lanes.
#define QUENCH_STEPWISE_PARAMETERS                                                                                   \
    const lanes::Consts &k, std::size_t n, double full, const double *__restrict g, const double *__restrict r0,        \
        const double *__restrict r1, const double *__restrict r2, const double *__restrict r3,                      \
        const double *__restrict r4, const double *__restrict r5, const double *__restrict i0,                      \
        const double *__restrict i1, const double *__restrict i2, const double *__restrict i3,                      \
        const double *__restrict i4, const double *__restrict i5, const double *__restrict i6,                      \
        const double *__restrict i7, const double *__restrict i8, const double *__restrict i9, double *__restrict o0, \
        double *__restrict o1, double *__restrict o2, double *__restrict o3, double *__restrict o4,                 \
        double *__restrict o5, double *__restrict o6, double *__restrict o7, double *__restrict o8,                 \
        double *__restrict o9, double *__restrict general, Accumulators &result
#define QUENCH_STEPWISE_ARGUMENTS                                                                                   \
    k, n, full, g, r0, r1, r2, r3, r4, r5, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, o0, o1, o2, o3, o4, o5, o6, o7, o8, \
        o9, general, result

/// Coordinates [0, n - n % 16). `vb`: var or Bstar is recorded (else their checks are
/// skipped, as check_step skips them). `any_rho`: the lanes also cover an effective weight
/// outside [0, 1] (lanes::corners), which costs two hulls of eight corners per coordinate.
template <bool warm, bool vb, bool any_rho>
[[gnu::always_inline]] inline void block_loop(QUENCH_STEPWISE_PARAMETERS) {
    const lanes::Consts kc = k;  // a local: no store of the loop can change it
    Accumulators a;
    static constexpr double lane_offset[block] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (std::size_t i = 0; i + block <= n; i += block) {
        const double base = static_cast<double>(i);
        for (std::size_t j = 0; j < block; ++j) {
            const std::size_t x = i + j;
            const lanes::State c{{i0[x], i1[x]}, {i2[x], i3[x]}, {i4[x], i5[x]}, {i6[x], i7[x]}, {i8[x], i9[x]}};
            const lanes::Rec rec{r0[x], r1[x], r2[x], r3[x], r4[x], r5[x]};
            lanes::State next;
            const lanes::Out out = lanes::coordinate<warm, any_rho>(kc, g[x], rec, full, c, next);
            o0[x] = next.mass.lo, o1[x] = next.mass.hi, o2[x] = next.weight.lo, o3[x] = next.weight.hi;
            o4[x] = next.gt.lo, o5[x] = next.gt.hi, o6[x] = next.st.lo, o7[x] = next.st.hi;
            o8[x] = next.phi.lo, o9[x] = next.phi.hi;
            general[x] = out.general;
            a.general[j] = a.general[j] + out.general;
            const double index = base + lane_offset[j];
#define QUENCH_STEPWISE_ACCOUNT(n, value)                                                                 \
    account(masked(out.q[n], rec.value, out.general), rec.value, index, a.outside[n][j], a.unbounded[n][j], a.loose[n][j], a.widest[n][j], \
            a.worst[n][j], a.worst_index[n][j])
            QUENCH_STEPWISE_ACCOUNT(0, gt);
            QUENCH_STEPWISE_ACCOUNT(1, st);
            if constexpr (vb) {
                QUENCH_STEPWISE_ACCOUNT(2, var);
                QUENCH_STEPWISE_ACCOUNT(3, batch_star);
            }
            QUENCH_STEPWISE_ACCOUNT(4, eta);
            QUENCH_STEPWISE_ACCOUNT(5, phi);
#undef QUENCH_STEPWISE_ACCOUNT
        }
    }
    result = a;
}

template <bool warm, bool vb, bool any_rho>
[[gnu::flatten]] void kernel_baseline(QUENCH_STEPWISE_PARAMETERS) {
    block_loop<warm, vb, any_rho>(QUENCH_STEPWISE_ARGUMENTS);
}
#if defined(__GNUC__) && defined(__x86_64__)
#define QUENCH_STEPWISE_AVX 1
// AVX: 256-bit double arithmetic (no AVX2 needed: nothing here is integer). AVX-512: 512-bit
// vectors and mask registers for the selects, the width the core's own pass uses on such
// processors. No fused multiply-add in either: -ffp-contract=off (quench::core's flags)
// keeps every product rounded.
template <bool warm, bool vb, bool any_rho>
[[gnu::target("avx"), gnu::flatten]] void kernel_avx(QUENCH_STEPWISE_PARAMETERS) {
    block_loop<warm, vb, any_rho>(QUENCH_STEPWISE_ARGUMENTS);
}
template <bool warm, bool vb, bool any_rho>
[[gnu::target("avx512f,avx512vl,avx512dq,prefer-vector-width=512"), gnu::flatten]] void kernel_avx512(
    QUENCH_STEPWISE_PARAMETERS) {
    block_loop<warm, vb, any_rho>(QUENCH_STEPWISE_ARGUMENTS);
}
#else
#define QUENCH_STEPWISE_AVX 0
#endif

enum class BlockIsa { baseline, avx, avx512 };

/// The engine's block loop for the core's instruction-set choice (active_kernel_isa: the
/// widest the processor runs, lowered by QUENCH_ISA), so that one setting selects both:
/// avx512 -> the AVX-512 loop, avx2 -> the AVX loop (the loop needs only AVX; a processor
/// with AVX but not AVX2 gets SSE2), baseline or scalar -> SSE2.
BlockIsa block_isa() {
#if QUENCH_STEPWISE_AVX
    switch (quench::detail::active_kernel_isa()) {
        case quench::detail::KernelIsa::avx512: return BlockIsa::avx512;
        case quench::detail::KernelIsa::avx2: return BlockIsa::avx;
        case quench::detail::KernelIsa::baseline:
        case quench::detail::KernelIsa::scalar: break;
    }
#endif
    return BlockIsa::baseline;
}

template <bool warm, bool vb, bool any_rho>
void run_kernel(QUENCH_STEPWISE_PARAMETERS) {
#if QUENCH_STEPWISE_AVX
    switch (block_isa()) {
        case BlockIsa::avx512: return kernel_avx512<warm, vb, any_rho>(QUENCH_STEPWISE_ARGUMENTS);
        case BlockIsa::avx: return kernel_avx<warm, vb, any_rho>(QUENCH_STEPWISE_ARGUMENTS);
        case BlockIsa::baseline: break;
    }
#endif
    kernel_baseline<warm, vb, any_rho>(QUENCH_STEPWISE_ARGUMENTS);
}
#undef QUENCH_STEPWISE_PARAMETERS
#undef QUENCH_STEPWISE_ARGUMENTS

}  // namespace

const char* StepwiseEngine::isa_name() {
    switch (block_isa()) {
        case BlockIsa::avx512: return "avx512";
        case BlockIsa::avx: return "avx";
        case BlockIsa::baseline: break;
    }
    return "baseline";
}

StepwiseEngine::StepwiseEngine(const Constants<double>& k, std::size_t dimension, bool full,
                               const std::vector<Quantity>& recorded)
    : k_(k), d_(dimension), full_(full), state_(2 * fields * dimension), general_(dimension), zeros_(dimension) {
    for (Quantity q : recorded) present_[ReferenceRun<double>::index(q)] = true;
    for (std::size_t f = 0; f < fields; ++f) {
        in_[f] = state_.data() + f * d_;
        out_[f] = state_.data() + (fields + f) * d_;
    }
}

void StepwiseEngine::reset(const std::vector<Box<double>>& phi0) {
    for (std::size_t i = 0; i < d_; ++i) {
        Carried<double> c;
        c.weight = k_.warm_weight;
        c.phi = phi0[i];
        store(i, c);
    }
    finish_step();
}

Carried<double> StepwiseEngine::carried(std::size_t i) const {
    Carried<double> c;
    c.mass = {in_[0][i], in_[1][i]};
    c.weight = {in_[2][i], in_[3][i]};
    c.gt = {in_[4][i], in_[5][i]};
    c.st = {in_[6][i], in_[7][i]};
    c.phi = {in_[8][i], in_[9][i]};
    return c;
}

void StepwiseEngine::store(std::size_t i, const Carried<double>& c) {
    const double v[fields] = {c.mass.lo, c.mass.hi, c.weight.lo, c.weight.hi, c.gt.lo,
                              c.gt.hi,   c.st.lo,   c.st.hi,     c.phi.lo,    c.phi.hi};
    for (std::size_t f = 0; f < fields; ++f) out_[f][i] = v[f];
}

Recorded<double> StepwiseEngine::recorded(const double* const rec[quantity_count], std::size_t j) const {
    auto value = [&](std::size_t q) -> std::optional<double> {
        if (!present_[q] || !rec[q]) return std::nullopt;
        return rec[q][j];
    };
    return Recorded<double>{value(0), value(1), value(2), value(3), value(4), value(5)};
}

void StepwiseEngine::finish_step() {
    for (std::size_t f = 0; f < fields; ++f) std::swap(in_[f], out_[f]);
}

void StepwiseEngine::check(std::uint64_t t, const double* g, bool decimal, const double* const rec[quantity_count],
                           std::size_t first, std::size_t n, StepwiseReport& report) {
    const lanes::Consts kc = lanes::make_consts(k_, decimal);
    const double* r[quantity_count];
    for (std::size_t q = 0; q < quantity_count; ++q) r[q] = present_[q] && rec[q] ? rec[q] : zeros_.data();
    const bool vb = present_[2] || present_[3];
    const bool warm = t <= k_.warmup;
    const std::size_t blocks = n - n % block;
    double* const I[fields] = {in_[0] + first, in_[1] + first, in_[2] + first, in_[3] + first, in_[4] + first,
                               in_[5] + first, in_[6] + first, in_[7] + first, in_[8] + first, in_[9] + first};
    double* const O[fields] = {out_[0] + first, out_[1] + first, out_[2] + first, out_[3] + first, out_[4] + first,
                               out_[5] + first, out_[6] + first, out_[7] + first, out_[8] + first, out_[9] + first};
    double* const general = general_.data() + first;
    Accumulators a;
    // The first step (every coordinate's rho just above 1) takes the kernel that covers any
    // rho; so does a warm-up step after one that had general coordinates. After the warm-up
    // (options without the X8 clamp) such coordinates stay on check_step.
    const bool any_rho = warm && (t == 1 || general_seen_);
    auto* kernel = warm ? (any_rho ? (vb ? run_kernel<true, true, true> : run_kernel<true, false, true>)
                                   : (vb ? run_kernel<true, true, false> : run_kernel<true, false, false>))
                        : (vb ? run_kernel<false, true, false> : run_kernel<false, false, false>);
    kernel(kc, blocks, full_ ? 1.0 : 0.0, g, r[0], r[1], r[2], r[3], r[4], r[5], I[0], I[1], I[2], I[3], I[4], I[5], I[6], I[7],
           I[8], I[9], O[0], O[1], O[2], O[3], O[4], O[5], O[6], O[7], O[8], O[9], general, a);

    // The lanes' tallies, then the general lanes and the tail by check_step itself.
    StepwiseReport::Tallies tallies{};
    double general_count = 0;
    for (std::size_t j = 0; j < block; ++j) general_count += a.general[j];
    general_seen_ = general_count > 0;
    const auto covered = static_cast<std::uint64_t>(static_cast<double>(blocks) - general_count);
    for (std::size_t q = 0; q < quantity_count; ++q) {
        if (!present_[q]) continue;
        StepwiseReport::Tally& y = tallies[q];
        y.values = covered;
        for (std::size_t j = 0; j < block; ++j) {
            StepwiseReport::Tally lane;
            lane.outside = static_cast<std::uint64_t>(a.outside[q][j]);
            lane.unbounded = static_cast<std::uint64_t>(a.unbounded[q][j]);
            lane.loose = static_cast<std::uint64_t>(a.loose[q][j]);
            lane.widest = a.widest[q][j];
            lane.worst = a.worst[q][j];
            lane.worst_coordinate = first + static_cast<std::size_t>(a.worst_index[q][j]);
            y.merge(lane);
        }
    }
    auto slow = [&](std::size_t j, auto&& use) {
        Carried<double> c = carried(first + j);
        const Recorded<double> rv = recorded(rec, j);
        const StepChecks<double> checks = check_step<double>(t, candidate_gradient<double>(g[j], decimal, k_), rv, full_,
                                                             k_, c, true);
        store(first + j, c);
        use(first + j, rv, checks);
    };
    StepwiseReport::Tallies recomputed{};  // merged after: the first coordinate of a tie wins
    auto add_tally = [&](std::size_t i, const Recorded<double>& rv, const StepChecks<double>& checks) {
        StepwiseReport::tally(recomputed, i, rv, checks);
    };
    if (general_count > 0)
        for (std::size_t j = 0; j < blocks; ++j)
            if (general[j] != 0) slow(j, add_tally);
    for (std::size_t j = blocks; j < n; ++j) slow(j, add_tally);
    for (std::size_t q = 0; q < quantity_count; ++q) tallies[q].merge(recomputed[q]);

    if (!report.needs_detail(tallies)) {
        report.add(t, tallies);
        return;
    }
    // The failing path (or a first unbounded or wide region): every coordinate offered one
    // by one, from the state before the step, as the reference does.
    for (std::size_t j = 0; j < n; ++j)
        slow(j, [&](std::size_t i, const Recorded<double>& rv, const StepChecks<double>& checks) {
            report.offer(t, i, rv, checks);
        });
}

}  // namespace quench::oracle::stepwise
