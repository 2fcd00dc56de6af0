#include "centred_run.hpp"

#include "oracle_error.hpp"
#include "trace_convert.hpp"

#include <mpfi.h>

namespace quench::oracle {

CentredRun::CentredRun(const TraceHeader& h, std::uint64_t window)
    : run_(make_hyperparameters<Centred>(h), make_phi0<Centred>(h)),
      constants_(make_hyperparameters<Centred>(h)),
      warmup_(h.warmup),
      window_(window),
      box_(h.dimension) {
    for (auto& v : values_) v.resize(h.dimension);
}

void CentredRun::step(std::span<const mp_interval> g, const std::string& where) {
    gradient_.resize(g.size());
    for (std::size_t i = 0; i < g.size(); ++i) gradient_[i] = Centred(g[i]);
    run_.step(std::span<const Centred>(gradient_), where);
    for (Quantity q : all_quantities) {
        const auto k = ReferenceRun<Centred>::index(q);
        const auto& v = run_.values(q);
        for (std::size_t i = 0; i < v.size(); ++i) values_[k][i] = v[i].enclosure(box_[i]);
    }
    if (run_.steps() % window_ == 0) recentre();
}

namespace {
/// The slope variable j of a new window with box X: centre the midpoint xc of X (a point of
/// X), range X, slope e_j; e = X - xc.
Centred window_variable(const mp_interval& x, std::size_t j, mp_interval& e) {
    Centred r;
    mp_real mid;
    mpfi_mid(mid.backend().data(), x.backend().data());
    mpfi_set_fr(r.centre.backend().data(), mid.backend().data());  // exact: the same precision
    mpfi_sub_fr(e.backend().data(), x.backend().data(), mid.backend().data());
    r.range = x;
    r.slope[j] = 1;
    r.varies = true;
    return r;
}
}  // namespace

void CentredRun::recentre() {
    quench::State<Centred>& s = run_.state();
    std::vector<Centred>& phi = run_.parameters();
    const bool bias = !s.mass.empty();
    const bool warm = s.t <= warmup_;  // the weight is then the constant B/K (E17)
    const auto& phi_now = values_[ReferenceRun<Centred>::index(Quantity::phi)];
    const Centred zero(0);
    for (std::size_t i = 0; i < s.dimension(); ++i) {
        auto& e = box_[i];
        Centred& m = s.mean[i];
        Centred& v = s.second[i];
        // D = c v - m^2 (E16), the core's own expression, and the enclosures of the box.
        Centred d;
        const Centred m2 = quench::square(m);
        if (bias) quench::detail::assign_scaled_variance<Centred, true>(d, s.mass[i], v, m2);
        else quench::detail::assign_scaled_variance<Centred, false>(d, zero, v, m2);
        const mp_interval xm = m.enclosure(e), xd = d.enclosure(e);
        const mp_interval xc = bias ? s.mass[i].enclosure(e) : mp_interval(0);
        m = window_variable(xm, mean_variable, e[mean_variable]);
        d = window_variable(xd, scaled_variance_variable, e[scaled_variance_variable]);
        if (bias) {
            s.mass[i] = window_variable(xc, mass_variable, e[mass_variable]);
            v = (d + quench::square(m)) / s.mass[i];  // E16's D = c v - m^2, solved for v
        } else {
            e[mass_variable] = 0;  // c = 1: a constant (X15 off)
            v = d + quench::square(m);
        }
        phi[i] = Centred(phi_now[i]);
        if (warm) continue;
        // After warm-up the weight is the core's function of the new averages (E17, E19 step 1,
        // X8, X14): a step with weight 0 leaves m, v and c as they are and forms it.
        const Centred& c = bias ? s.mass[i] : constants_.one;
        s.weight[i] = bias ? quench::detail::update_coordinate<Centred, false, true>(constants_, zero, m, v, c, zero).weight
                           : quench::detail::update_coordinate<Centred, false, false>(constants_, zero, m, v, c, zero).weight;
    }
}

ExactEnclosure::ExactEnclosure(const TraceHeader& h, EnclosureMethod method)
    : run_(method == EnclosureMethod::centred
               ? decltype(run_)(std::in_place_type<CentredRun>, h)
               : decltype(run_)(std::in_place_type<ReferenceRun<mp_interval>>, make_hyperparameters<mp_interval>(h),
                                make_phi0<mp_interval>(h))) {}

void ExactEnclosure::step(std::span<const mp_interval> g, const std::string& where) {
    std::visit([&](auto& r) { r.step(g, where); }, run_);
}
std::uint64_t ExactEnclosure::steps() const {
    return std::visit([](const auto& r) { return r.steps(); }, run_);
}
std::size_t ExactEnclosure::dimension() const {
    return std::visit([](const auto& r) { return r.dimension(); }, run_);
}
const std::vector<mp_interval>& ExactEnclosure::values(Quantity q) const {
    return std::visit([&](const auto& r) -> const std::vector<mp_interval>& { return r.values(q); }, run_);
}

}  // namespace quench::oracle
