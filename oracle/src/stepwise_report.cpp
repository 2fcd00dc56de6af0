#include "stepwise_report.hpp"

#include "number_text.hpp"
#include "oracle_error.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace quench::oracle {

namespace {

using namespace stepwise;
using real = long double;
using LBox = stepwise::Box<real>;
using LCheck = stepwise::Check<real>;

/// The region's ends as doubles rounded outward, so the printed interval still holds it.
double lower(real x) {
    double d = static_cast<double>(x);
    if (static_cast<real>(d) > x) d = std::nextafter(d, -std::numeric_limits<double>::infinity());
    return d;
}
double upper(real x) {
    double d = static_cast<double>(x);
    if (static_cast<real>(d) < x) d = std::nextafter(d, std::numeric_limits<double>::infinity());
    return d;
}

std::string shortest(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::string s;
    append_json(s, v);
    return s;
}
std::string json_value(double v) { return std::isfinite(v) ? shortest(v) : "null"; }
std::string brief(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char b[32];
    std::snprintf(b, sizeof b, "%.3g", v);
    return b;
}

double reference_point(const LCheck& c) { return static_cast<double>((c.exact.lo + c.exact.hi) / 2); }

/// candidate / reference, and "p/q" when it is a simple fraction (q <= 64) to 1e-9: a wrong
/// constant shows as such a ratio (16/15 for lambda_B = 15 instead of 16).
std::string ratio_text(double candidate, const LCheck& c) {
    const double ref = reference_point(c);
    if (ref == 0 || !std::isfinite(ref)) return "";
    const double r = candidate / ref;
    char b[64];
    if (r != 1 && std::fabs(r - 1) < 1e-5)  // a rounding-sized difference: show it
        std::snprintf(b, sizeof b, "1 %c %.3g", r > 1 ? '+' : '-', std::fabs(r - 1));
    else
        std::snprintf(b, sizeof b, "%.6g", r);
    std::string s = b;
    for (int q = 1; q <= 64; ++q) {
        const double p = std::round(r * q);
        if (p != 0 && std::fabs(p / q - r) <= 1e-9 * std::fabs(r) && std::fabs(p) < 1e6) {
            if (q > 1) s += " = " + std::to_string(static_cast<long long>(p)) + "/" + std::to_string(q);
            break;
        }
    }
    return s;
}

std::string interval_text(const LBox& b) { return "[" + shortest(lower(b.lo)) + ", " + shortest(upper(b.hi)) + "]"; }
std::string interval_json(const LBox& b) { return "[" + json_value(lower(b.lo)) + "," + json_value(upper(b.hi)) + "]"; }

}  // namespace

StepwiseReport::StepwiseReport(CandidatePrecision precision, bool full, std::vector<Quantity> recorded)
    : precision_(precision), full_(full), recorded_(std::move(recorded)) {}

template <class R>
void StepwiseReport::offer(std::uint64_t t, std::size_t i, const Recorded<R>& rec, const StepChecks<R>& checks) {
    const std::optional<R>* values[quantity_count] = {&rec.gt, &rec.st, &rec.var, &rec.batch_star, &rec.eta, &rec.phi};
    std::optional<Quantity> outside_here;
    for (std::size_t k = 0; k < quantity_count; ++k) {
        if (!checks.of[k] || !*values[k]) continue;
        const stepwise::Check<R>& c = *checks.of[k];
        const R x = **values[k];
        PerQuantity& p = per_[k];
        ++p.values;
        if (!c.bounded()) {
            ++p.unbounded;
            if (!first_unbounded_) first_unbounded_ = {t, all_quantities[k]};
            continue;
        }
        const R mid = std::fabs(c.region.lo + c.region.hi) / 2;
        if (mid > 0) {
            const double width = static_cast<double>((c.region.hi - c.region.lo) / mid);
            p.widest = std::max(p.widest, width);
            if (width > 1e-3 && p.loose_step == 0) {
                p.loose_step = t;
                p.loose_coordinate = i;
            }
        }
        const double units = static_cast<double>(c.bound_units(x));
        if (units > p.worst || p.worst_step == 0) {
            p.worst = units;
            p.worst_step = t;
            p.worst_coordinate = i;
        }
        if (!contains(c.region, x)) {
            ++p.outside;
            if (!outside_here) outside_here = all_quantities[k];
        }
    }
    if (!outside_here || first_) return;
    // The first value outside: keep every quantity of its step for the report.
    FirstOutside f{t, i, *outside_here, {}};
    for (std::size_t k = 0; k < quantity_count; ++k) {
        if (!checks.of[k] || !*values[k]) continue;
        const stepwise::Check<R>& c = *checks.of[k];
        Entry& e = f.entries[k];
        e.checked = true;
        e.check = LCheck{LBox{c.exact.lo, c.exact.hi}, LBox{c.region.lo, c.region.hi}};
        e.candidate = static_cast<double>(**values[k]);
        e.bounded = c.bounded();
        e.inside = !e.bounded || contains(c.region, **values[k]);
    }
    first_ = f;
}
template void StepwiseReport::offer(std::uint64_t, std::size_t, const Recorded<double>&, const StepChecks<double>&);
template void StepwiseReport::offer(std::uint64_t, std::size_t, const Recorded<long double>&,
                                    const StepChecks<long double>&);

void StepwiseReport::Tally::merge(const Tally& b) {
    values += b.values;
    outside += b.outside;
    unbounded += b.unbounded;
    loose += b.loose;
    widest = std::max(widest, b.widest);
    if (b.worst > worst || (b.worst == worst && b.worst >= 0 && b.worst_coordinate < worst_coordinate)) {
        worst = b.worst;
        worst_coordinate = b.worst_coordinate;
    }
}

template <class R>
void StepwiseReport::tally(Tallies& tallies, std::size_t i, const Recorded<R>& rec, const StepChecks<R>& checks) {
    const std::optional<R>* values[quantity_count] = {&rec.gt, &rec.st, &rec.var, &rec.batch_star, &rec.eta, &rec.phi};
    for (std::size_t k = 0; k < quantity_count; ++k) {
        if (!checks.of[k] || !*values[k]) continue;
        const stepwise::Check<R>& c = *checks.of[k];
        const R x = **values[k];
        Tally& p = tallies[k];
        ++p.values;
        if (!c.bounded()) {
            ++p.unbounded;
            continue;
        }
        const R mid = std::fabs(c.region.lo + c.region.hi) / 2;
        if (mid > 0) {
            const double width = static_cast<double>((c.region.hi - c.region.lo) / mid);
            p.widest = std::max(p.widest, width);
            if (width > 1e-3) ++p.loose;
        }
        const double units = static_cast<double>(c.bound_units(x));
        if (units > p.worst) {
            p.worst = units;
            p.worst_coordinate = i;
        }
        if (!contains(c.region, x)) ++p.outside;
    }
}
template void StepwiseReport::tally(Tallies&, std::size_t, const Recorded<double>&, const StepChecks<double>&);

bool StepwiseReport::needs_detail(const Tallies& t) const {
    for (std::size_t k = 0; k < quantity_count; ++k) {
        if ((t[k].outside && !first_) || (t[k].unbounded && !first_unbounded_) || (t[k].loose && per_[k].loose_step == 0))
            return true;
    }
    return false;
}

void StepwiseReport::add(std::uint64_t t, const Tallies& tallies) {
    for (std::size_t k = 0; k < quantity_count; ++k) {
        const Tally& a = tallies[k];
        PerQuantity& p = per_[k];
        p.values += a.values;
        p.outside += a.outside;
        p.unbounded += a.unbounded;
        p.widest = std::max(p.widest, a.widest);
        // offer(): the first value sets the worst, later ones only when larger.
        if (a.worst >= 0 && (a.worst > p.worst || p.worst_step == 0)) {
            p.worst = a.worst;
            p.worst_step = t;
            p.worst_coordinate = a.worst_coordinate;
        }
    }
}

int StepwiseReport::status() const {
    if (first_) return exit_disagree;
    if (first_unbounded_) return exit_no_verdict;
    return exit_ok;
}

std::string StepwiseReport::text(std::uint64_t steps, std::size_t dimension) const {
    std::ostringstream s;
    const bool f32 = precision_ == CandidatePrecision::float32;
    s << "quench-oracle compare: " << steps << " steps, dimension " << dimension << "\n"
      << "stepwise check: each step recomputed from the candidate's own recorded step before and the trace's "
         "gradient; (step, coordinate), steps from 1\n"
      << "precision model: " << (f32 ? "float32 (u = 2^-24)" : "float64 (u = 2^-53)")
      << ", admissible regions for any reasonable expression order (oracle/README.md, Stepwise verdict)\n";
    if (!full_)
        s << "gt and st are not recorded: eta is checked against the oracle's own enclosure of the candidate's "
             "hidden gt and st, which widens with the steps (see below); phi from the recorded eta\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-6s %10s %8s  %s\n", "qty", "values", "outside",
                  "worst position (1 = edge of the admissible region) at (step, coordinate)");
    s << line;
    for (Quantity q : all_quantities) {
        const PerQuantity& p = per_[ReferenceRun<double>::index(q)];
        if (p.values == 0) continue;
        std::snprintf(line, sizeof line, "%-6s %10llu %8llu  %s (%llu, %zu)%s\n", quantity_name(q),
                      static_cast<unsigned long long>(p.values), static_cast<unsigned long long>(p.outside),
                      brief(p.worst).c_str(), static_cast<unsigned long long>(p.worst_step), p.worst_coordinate,
                      p.unbounded ? (", " + std::to_string(p.unbounded) + " unbounded").c_str() : "");
        s << line;
    }
    const PerQuantity& eta = per_[ReferenceRun<double>::index(Quantity::eta)];
    if (!full_ && eta.loose_step)
        s << "hidden state: eta's admissible region is wider than 1e-3 (relative) from step " << eta.loose_step
          << " on (coordinate " << eta.loose_coordinate << "; widest " << brief(eta.widest)
          << "): a rate wrong by less than that may go unseen from there on; record gt and st for the full check\n";
    else if (!full_)
        s << "hidden state: eta's admissible region stayed within " << brief(eta.widest) << " (relative)\n";
    if (first_) {
        const Entry& e = first_->entries[ReferenceRun<double>::index(first_->quantity)];
        s << "first outside: " << quantity_name(first_->quantity) << " at step " << first_->step << ", coordinate "
          << first_->coordinate << ": candidate " << shortest(e.candidate) << ", admissible "
          << interval_text(e.check.region) << ", reference " << interval_text(e.check.exact) << ", "
          << brief(static_cast<double>(e.check.bound_units(e.candidate))) << " model bounds from the reference";
        const std::string r = ratio_text(e.candidate, e.check);
        if (!r.empty()) s << ", candidate/reference = " << r;
        s << "\nthat step, coordinate " << first_->coordinate << ":";
        bool comma = false;
        for (Quantity q : all_quantities) {
            const Entry& x = first_->entries[ReferenceRun<double>::index(q)];
            if (!x.checked) continue;
            s << (comma ? "," : "") << " " << quantity_name(q) << (x.inside ? " agrees" : " OUTSIDE");
            const std::string rq = ratio_text(x.candidate, x.check);
            if (!x.inside && !rq.empty()) s << " (" << rq << " of the reference)";
            comma = true;
        }
        s << "\n";
    }
    s << "verdict: ";
    if (first_)
        s << "DISAGREE (first outside: " << quantity_name(first_->quantity) << " at step " << first_->step
          << ", coordinate " << first_->coordinate << ")\n";
    else if (first_unbounded_)
        s << "NO VERDICT: the admissible region of " << quantity_name(first_unbounded_->second) << " is unbounded from step "
          << first_unbounded_->first << " on (a zero variance the options leave without eta_max or weight limit)\n";
    else
        s << "AGREE\n";
    return s.str();
}

std::string StepwiseReport::json(std::uint64_t steps, std::size_t dimension) const {
    auto entry_json = [](const Entry& e) {
        return "{\"candidate\":" + json_value(e.candidate) + ",\"admissible\":" + interval_json(e.check.region) +
               ",\"reference\":" + interval_json(e.check.exact) + ",\"inside\":" + (e.inside ? "true" : "false") +
               ",\"bound_units\":" + json_value(static_cast<double>(e.check.bound_units(e.candidate))) +
               ",\"ratio_to_reference\":" +
               json_value(reference_point(e.check) != 0 ? e.candidate / reference_point(e.check)
                                                        : std::numeric_limits<double>::infinity()) +
               "}";
    };
    const int st = status();
    std::string j = "{\"mode\":\"stepwise\",\"candidate_precision\":\"";
    j += precision_ == CandidatePrecision::float32 ? "float32" : "float64";
    j += "\",\"steps\":" + std::to_string(steps) + ",\"dimension\":" + std::to_string(dimension) + ",\"verdict\":\"" +
         (st == exit_ok ? "agree" : st == exit_disagree ? "disagree" : "none") + "\",\"hidden_state\":" +
         (full_ ? "false" : "true") + ",\"quantities\":{";
    bool comma = false;
    for (Quantity q : all_quantities) {
        const PerQuantity& p = per_[ReferenceRun<double>::index(q)];
        if (p.values == 0) continue;
        j += std::string(comma ? "," : "") + "\"" + quantity_name(q) + "\":{\"values\":" + std::to_string(p.values) +
             ",\"outside\":" + std::to_string(p.outside) + ",\"unbounded\":" + std::to_string(p.unbounded) +
             ",\"widest_region_relative\":" + json_value(p.widest) + ",\"first_step_wider_than_1e-3\":" +
             (p.loose_step ? std::to_string(p.loose_step) : std::string("null")) + ",\"worst_position\":{\"value\":" + json_value(p.worst) + ",\"step\":" + std::to_string(p.worst_step) +
             ",\"coordinate\":" + std::to_string(p.worst_coordinate) + "}}";
        comma = true;
    }
    j += "}";
    if (first_) {
        j += ",\"first_outside\":{\"quantity\":\"" + std::string(quantity_name(first_->quantity)) +
             "\",\"step\":" + std::to_string(first_->step) + ",\"coordinate\":" + std::to_string(first_->coordinate) +
             ",\"step_detail\":{";
        bool c2 = false;
        for (Quantity q : all_quantities) {
            const Entry& x = first_->entries[ReferenceRun<double>::index(q)];
            if (!x.checked) continue;
            j += std::string(c2 ? "," : "") + "\"" + quantity_name(q) + "\":" + entry_json(x);
            c2 = true;
        }
        j += "}}";
    }
    return j + "}\n";
}

}  // namespace quench::oracle
