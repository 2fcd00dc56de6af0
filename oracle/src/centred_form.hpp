// centred_form.hpp - the scalar type of the tight whole-trajectory enclosures (`run --enclose`
// and `compare --ulps` at N digits): a first-order centred (slope) form over MPFI, on which
// the core's own quench::step runs unchanged (no formula of the algorithm is written here).
//
// Why: plain interval arithmetic forgets that m, v, c and the weight w of one coordinate are
// correlated. The weight is formed from the averages (E17, E19 step 1) and feeds back into
// them, and each step adds absolute values where the exact errors partly cancel, so the
// enclosures of a noisy trace widen geometrically (50 digits are gone after a few hundred
// steps) although the exact trajectory is strongly contractive (|1 - w| < 1: the running
// averages forget their past). A centred form keeps the first-order correlation: every
// value u is carried as a function of the state x = (m, D, c) (centred_variables below) at
// the start of a window of steps, through
//     centre  an enclosure of u(xc), xc a point of the window's box X,
//     range   an enclosure of u(x) for every x in X,
//     slope   intervals S_j with u(x) - u(xc) = sum_j s_j (x_j - xc_j), s_j in S_j, for
//             every x in X (a slope, in the sense of Krawczyk and Neumaier).
// Then u(X) is contained in centre + sum_j S_j (X_j - xc_j): the width is first order in
// the box, with the slopes' own signs, so the contraction of the averages shows in it.
//
// Each operation keeps the three properties, by an identity that holds for all x in X (no
// derivative, so it holds at the kinks of min and max too):
//     a +- b  S = Sa +- Sb
//     a * b   ab - ac bc = a (b - bc) + bc (a - ac):          S = A Sb + Bc Sa
//     a / b   a/b - ac/bc = ((a - ac) - q (b - bc)) / b,     q = ac/bc: S = (Sa - Qc Sb) / B
//     a^2     a^2 - ac^2 = (a + ac)(a - ac):                 S = (A + Ac) Sa
//     min     min(a, b)(x) - min(a, b)(xc) lies between a(x) - a(xc) and b(x) - b(xc) (check
//             the four cases), so it is l (a - ac) + (1 - l)(b - bc) for some l in [0, 1]:
//             S = hull(Sa, Sb) where neither side is certainly the smaller, else that side
// (A, B: ranges; Ac, Bc, Qc: centres). A value that does not depend on x (a constant of the
// trace, a gradient) has no slope and may be an interval: the exact constant is one fixed
// number inside it, and u(x) - u(xc) = 0 for it.
//
// The core's decisions (the X11 clamp, the X9 cap, the weight limits, the zero-variance
// refusal) read lower() and upper(), which are the range's: sound, and as tight as the
// interval run's. centred_run.hpp chooses the windows and recentres the state.
#pragma once

#include "number_text.hpp"
#include "scalar_types.hpp"

#include "quench/mpfi.hpp"
#include "quench/scalar.hpp"

#include <mpfi.h>

#include <array>
#include <concepts>
#include <cstddef>
#include <ostream>
#include <type_traits>

namespace quench::oracle {

/// The slope variables: the state of one coordinate as (m, D, c), D = c v - m^2 = c^2 var
/// (E16), from which v = (D + m^2)/c and, after warm-up, the weight w (E17, E19 step 1)
/// follow. Not (m, v, c, w): a box in those coordinates forgets that D is a small
/// difference of c v and m^2 and that w is a function of them, and then loses at every
/// recentre more than a short window gains. phi is carried as a value without a slope of its
/// own: it never feeds back into the state (E20).
inline constexpr std::size_t centred_variables = 3;
inline constexpr std::size_t mean_variable = 0, scaled_variance_variable = 1, mass_variable = 2;

struct Centred {
    mp_interval centre, range;
    std::array<mp_interval, centred_variables> slope{};
    bool varies = false;  ///< false: a constant (every slope is 0); the operations skip them

    Centred() = default;
    /// A constant: the exact value lies in v (a decimal read by MPFI, a double exactly).
    template <class V>
        requires(std::constructible_from<mp_interval, const V&> && !std::same_as<std::decay_t<V>, Centred>)
    explicit Centred(const V& v) : centre(v), range(centre) {}

    /// The enclosure of u(x) for every x in the box xc + E: centre + sum_j S_j E_j,
    /// intersected with the range (both hold every value).
    mp_interval enclosure(const std::array<mp_interval, centred_variables>& e) const;

    Centred& operator+=(const Centred& b);
    Centred& operator-=(const Centred& b);
    Centred& operator*=(const Centred& b);
    Centred& operator/=(const Centred& b);
};

Centred operator+(const Centred& a, const Centred& b);
Centred operator-(const Centred& a, const Centred& b);
Centred operator*(const Centred& a, const Centred& b);
Centred operator/(const Centred& a, const Centred& b);
Centred operator-(const Centred& a);

/// {min(a, b)} and {max(a, b)} as centred forms (see the top of this file).
Centred centred_min(const Centred& a, const Centred& b);
Centred centred_max(const Centred& a, const Centred& b);
/// {a^2}: the tight square of each interval and the slope (A + Ac) Sa.
Centred centred_square(const Centred& a);

/// The range, as the core's messages print a value.
std::ostream& operator<<(std::ostream& out, const Centred& x);

/// A decimal of the trace is a constant: the exact value lies in MPFI's enclosure of it.
template <> Centred from_text<Centred>(const std::string& text);

}  // namespace quench::oracle

namespace quench {

template <>
struct scalar_ops<oracle::Centred> {
    using T = oracle::Centred;
    using endpoint = oracle::mp_real;
    static constexpr bool is_interval = true;

    // The range: every value the quantity takes over the window's box.
    static endpoint lower(const T& x) { return boost::multiprecision::lower(x.range); }
    static endpoint upper(const T& x) { return boost::multiprecision::upper(x.range); }
    static endpoint width(const T& x) { return boost::multiprecision::width(x.range); }
    static T min(const T& a, const T& b) { return oracle::centred_min(a, b); }
    static T max(const T& a, const T& b) { return oracle::centred_max(a, b); }
    static T square(const T& x) { return oracle::centred_square(x); }
    static bool is_finite(const T& x) {
        if (!scalar_ops<oracle::mp_interval>::is_finite(x.range) || !scalar_ops<oracle::mp_interval>::is_finite(x.centre))
            return false;
        for (const auto& s : x.slope)
            if (!scalar_ops<oracle::mp_interval>::is_finite(s)) return false;
        return true;
    }
    static bool possibly_less(const T& a, const T& b) {
        return scalar_ops<oracle::mp_interval>::possibly_less(a.range, b.range);
    }
    static bool possibly_zero(const T& x) { return scalar_ops<oracle::mp_interval>::possibly_zero(x.range); }
};

}  // namespace quench

static_assert(quench::Scalar<quench::oracle::Centred>);
static_assert(quench::is_interval_v<quench::oracle::Centred>);
