// baselines.cpp - see baselines.hpp. Plain loops, as a user would write them.
#include "baselines.hpp"

#include <bit>
#include <cmath>
#include <type_traits>

namespace quench_bench {

template <class T>
void triad(T* __restrict a, const T* __restrict b, const T* __restrict c, T s, std::size_t begin,
           std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) a[i] = b[i] + s * c[i];
}

template <class T>
void triad_in_place(T* __restrict a, const T* __restrict b, T s, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) a[i] = a[i] + s * b[i];
}

template <class T>
std::uint64_t same_shape_read(const T* __restrict g, std::size_t begin, std::size_t end) {
    using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
    Bits acc = 0;
    for (std::size_t i = begin; i < end; ++i) acc |= std::bit_cast<Bits>(g[i]);
    return acc;
}

template <class T>
void same_shape_update(const T* __restrict g, T* __restrict p, T* __restrict m, T* __restrict v,
                       T* __restrict c, T* __restrict w, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        const T x = g[i];
        p[i] += x;
        m[i] += x;
        v[i] += x;
        c[i] += x;
        w[i] += x;
    }
}

template <class T>
void sgd_step(T* __restrict p, const T* __restrict g, T lr, std::size_t d) {
    for (std::size_t i = 0; i < d; ++i) p[i] -= lr * g[i];
}

template <class T>
void adam_step(T* __restrict p, T* __restrict m, T* __restrict v, const T* __restrict g, T lr,
               std::uint64_t t, std::size_t d) {
    const T beta1 = T(0.9), beta2 = T(0.999), eps = T(1e-8);
    const T correction1 = T(1) - std::pow(beta1, T(t));
    const T correction2 = T(1) - std::pow(beta2, T(t));
    for (std::size_t i = 0; i < d; ++i) {
        m[i] = beta1 * m[i] + (T(1) - beta1) * g[i];
        v[i] = beta2 * v[i] + (T(1) - beta2) * g[i] * g[i];
        const T mhat = m[i] / correction1;
        const T vhat = v[i] / correction2;
        p[i] -= lr * mhat / (std::sqrt(vhat) + eps);
    }
}

template void triad<double>(double*, const double*, const double*, double, std::size_t, std::size_t);
template void triad<float>(float*, const float*, const float*, float, std::size_t, std::size_t);
template void triad_in_place<double>(double*, const double*, double, std::size_t, std::size_t);
template void triad_in_place<float>(float*, const float*, float, std::size_t, std::size_t);
template std::uint64_t same_shape_read<double>(const double*, std::size_t, std::size_t);
template std::uint64_t same_shape_read<float>(const float*, std::size_t, std::size_t);
template void same_shape_update<double>(const double*, double*, double*, double*, double*, double*,
                                        std::size_t, std::size_t);
template void same_shape_update<float>(const float*, float*, float*, float*, float*, float*,
                                       std::size_t, std::size_t);
template void sgd_step<double>(double*, const double*, double, std::size_t);
template void sgd_step<float>(float*, const float*, float, std::size_t);
template void adam_step<double>(double*, double*, double*, const double*, double, std::uint64_t, std::size_t);
template void adam_step<float>(float*, float*, float*, const float*, float, std::uint64_t, std::size_t);

}  // namespace quench_bench
