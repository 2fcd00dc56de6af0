#include "centred_form.hpp"

#include <mpfi.h>

#include <stdexcept>

namespace quench::oracle {

namespace {

mpfi_ptr raw(mp_interval& x) { return x.backend().data(); }
mpfi_srcptr raw(const mp_interval& x) { return x.backend().data(); }

/// a <= b for every value of both ranges.
bool certainly_not_greater(const Centred& a, const Centred& b) {
    return mpfr_lessequal_p(&raw(a.range)->right, &raw(b.range)->left) != 0;
}

/// {min} or {max} of two intervals, end point by end point (exact).
void select_ends(mp_interval& r, const mp_interval& a, const mp_interval& b, bool smaller) {
    r = a;
    if (smaller) quench::assign_min(r, b);
    else quench::assign_max(r, b);
}

Centred min_or_max(const Centred& a, const Centred& b, bool smaller) {
    // Where one side is certainly the result over the whole box, the result is that side.
    if (certainly_not_greater(a, b)) return smaller ? a : b;
    if (certainly_not_greater(b, a)) return smaller ? b : a;
    Centred r;
    select_ends(r.centre, a.centre, b.centre, smaller);
    select_ends(r.range, a.range, b.range, smaller);
    r.varies = a.varies || b.varies;
    if (r.varies)
        for (std::size_t j = 0; j < centred_variables; ++j)
            mpfi_union(raw(r.slope[j]), raw(a.slope[j]), raw(b.slope[j]));  // a constant's slope is 0
    return r;
}

}  // namespace

mp_interval Centred::enclosure(const std::array<mp_interval, centred_variables>& e) const {
    if (!varies) return range;
    mp_interval sum = centre, term;
    for (std::size_t j = 0; j < centred_variables; ++j) {
        mpfi_mul(raw(term), raw(slope[j]), raw(e[j]));
        mpfi_add(raw(sum), raw(sum), raw(term));
    }
    mp_interval both;
    mpfi_intersect(raw(both), raw(sum), raw(range));
    // Both hold the exact value, so they meet; an empty intersection is a broken invariant.
    if (mpfi_is_empty(raw(both))) throw std::logic_error("centred form: the slope form and the range do not meet");
    return both;
}

Centred operator+(const Centred& a, const Centred& b) {
    Centred r;
    mpfi_add(raw(r.centre), raw(a.centre), raw(b.centre));
    mpfi_add(raw(r.range), raw(a.range), raw(b.range));
    r.varies = a.varies || b.varies;
    if (r.varies)
        for (std::size_t j = 0; j < centred_variables; ++j) mpfi_add(raw(r.slope[j]), raw(a.slope[j]), raw(b.slope[j]));
    return r;
}

Centred operator-(const Centred& a, const Centred& b) {
    Centred r;
    mpfi_sub(raw(r.centre), raw(a.centre), raw(b.centre));
    mpfi_sub(raw(r.range), raw(a.range), raw(b.range));
    r.varies = a.varies || b.varies;
    if (r.varies)
        for (std::size_t j = 0; j < centred_variables; ++j) mpfi_sub(raw(r.slope[j]), raw(a.slope[j]), raw(b.slope[j]));
    return r;
}

Centred operator-(const Centred& a) {
    Centred r;
    mpfi_neg(raw(r.centre), raw(a.centre));
    mpfi_neg(raw(r.range), raw(a.range));
    r.varies = a.varies;
    if (r.varies)
        for (std::size_t j = 0; j < centred_variables; ++j) mpfi_neg(raw(r.slope[j]), raw(a.slope[j]));
    return r;
}

Centred operator*(const Centred& a, const Centred& b) {
    Centred r;
    mpfi_mul(raw(r.centre), raw(a.centre), raw(b.centre));
    mpfi_mul(raw(r.range), raw(a.range), raw(b.range));
    r.varies = a.varies || b.varies;
    if (!r.varies) return r;
    // S = A Sb + Bc Sa (a constant contributes no term: its slope is 0).
    mp_interval t;
    for (std::size_t j = 0; j < centred_variables; ++j) {
        if (a.varies) mpfi_mul(raw(r.slope[j]), raw(b.centre), raw(a.slope[j]));
        if (b.varies) {
            mpfi_mul(raw(t), raw(a.range), raw(b.slope[j]));
            if (a.varies) mpfi_add(raw(r.slope[j]), raw(r.slope[j]), raw(t));
            else mpfi_set(raw(r.slope[j]), raw(t));
        }
    }
    return r;
}

Centred operator/(const Centred& a, const Centred& b) {
    Centred r;
    mpfi_div(raw(r.centre), raw(a.centre), raw(b.centre));
    mpfi_div(raw(r.range), raw(a.range), raw(b.range));
    r.varies = a.varies || b.varies;
    if (!r.varies) return r;
    // S = (Sa - Qc Sb) / B with Qc = the centre's quotient (a constant contributes no term).
    mp_interval t;
    for (std::size_t j = 0; j < centred_variables; ++j) {
        if (b.varies) {
            mpfi_mul(raw(t), raw(r.centre), raw(b.slope[j]));
            if (a.varies) mpfi_sub(raw(t), raw(a.slope[j]), raw(t));
            else mpfi_neg(raw(t), raw(t));
        } else {
            mpfi_set(raw(t), raw(a.slope[j]));
        }
        mpfi_div(raw(r.slope[j]), raw(t), raw(b.range));
    }
    return r;
}

Centred centred_square(const Centred& a) {
    Centred r;
    quench::assign_square(r.centre, a.centre);
    quench::assign_square(r.range, a.range);
    r.varies = a.varies;
    if (!r.varies) return r;
    mp_interval sum;
    mpfi_add(raw(sum), raw(a.range), raw(a.centre));  // S = (A + Ac) Sa
    for (std::size_t j = 0; j < centred_variables; ++j) mpfi_mul(raw(r.slope[j]), raw(sum), raw(a.slope[j]));
    return r;
}

Centred centred_min(const Centred& a, const Centred& b) { return min_or_max(a, b, true); }
Centred centred_max(const Centred& a, const Centred& b) { return min_or_max(a, b, false); }

Centred& Centred::operator+=(const Centred& b) { return *this = *this + b; }
Centred& Centred::operator-=(const Centred& b) { return *this = *this - b; }
Centred& Centred::operator*=(const Centred& b) { return *this = *this * b; }
Centred& Centred::operator/=(const Centred& b) { return *this = *this / b; }

std::ostream& operator<<(std::ostream& out, const Centred& x) { return out << x.range; }

template <>
Centred from_text<Centred>(const std::string& text) {
    return Centred(from_text<mp_interval>(text));
}

}  // namespace quench::oracle
