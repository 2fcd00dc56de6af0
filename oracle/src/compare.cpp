#include "compare.hpp"

#include "oracle_support.hpp"
#include "support/atomic_file.hpp"
#include "candidate_reader.hpp"
#include "centred_run.hpp"
#include "enclosure_width.hpp"
#include "number_text.hpp"
#include "oracle_error.hpp"
#include "support/progress.hpp"
#include "trace_convert.hpp"
#include "trace_reader.hpp"

#include <mpfr.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

namespace quench::oracle {

namespace {

struct Location {
    std::uint64_t step = 0;
    std::size_t coordinate = 0;
};

struct Worst {
    double value = 0;
    Location at;
    void offer(double v, std::uint64_t step, std::size_t i) {
        if (v > value || (at.step == 0 && v >= value)) {
            value = v;
            at = {step, i};
        }
    }
};

struct QuantityReport {
    bool present = false;
    std::uint64_t values = 0, outside = 0;
    std::uint64_t loose = 0;  ///< exact enclosure wider than one ulp: too wide to judge
    std::optional<Location> first_loose;
    Worst abs, rel, ulps;
    Worst region;  ///< the widest allowed region, in ulps of its midpoint
    std::optional<Location> first_outside;
    std::string first_outside_detail;
};

/// Errors of one value against the exact enclosure, with preallocated MPFR temporaries.
class ErrorMeter {
public:
    ErrorMeter() = default;
    /// The error of candidate c against the exact enclosure [lo, hi]: abs = |c - p| with p
    /// the point of the enclosure nearest to c (0 when c lies inside it: the exact value is
    /// only known to lie in the enclosure), rel = abs/|p|, ulps = abs/ulp(p). With a tight
    /// enclosure (40 digits) this is the error against the exact value.
    void measure(const mp_interval& exact, double candidate, UlpType type, double& abs, double& rel, double& ulps) {
        mpfr_set_d(c_.backend().data(), candidate, MPFR_RNDN);  // exact
        mpfi_get_left(mid_.backend().data(), exact.backend().data());
        mpfi_get_right(tmp_.backend().data(), exact.backend().data());
        if (mpfr_cmp(c_.backend().data(), mid_.backend().data()) >= 0) {
            if (mpfr_cmp(c_.backend().data(), tmp_.backend().data()) <= 0) {
                abs = rel = ulps = 0;
                return;
            }
            mpfr_set(mid_.backend().data(), tmp_.backend().data(), MPFR_RNDN);
        }
        mpfr_sub(err_.backend().data(), c_.backend().data(), mid_.backend().data(), MPFR_RNDN);
        mpfr_abs(err_.backend().data(), err_.backend().data(), MPFR_RNDN);
        abs = mpfr_get_d(err_.backend().data(), MPFR_RNDU);
        if (mpfr_zero_p(mid_.backend().data())) {
            rel = std::numeric_limits<double>::infinity();
        } else {
            mpfr_div(tmp_.backend().data(), err_.backend().data(), mid_.backend().data(), MPFR_RNDN);
            rel = std::fabs(mpfr_get_d(tmp_.backend().data(), MPFR_RNDU));
        }
        ulp_of(mid_, type, u_);
        mpfr_div(tmp_.backend().data(), err_.backend().data(), u_.backend().data(), MPFR_RNDN);
        ulps = mpfr_get_d(tmp_.backend().data(), MPFR_RNDU);
    }

    /// The width of an allowed region in ulps of its midpoint: how much the verdict
    /// discriminates (a wide core-double enclosure accepts nearly anything).
    double width_in_ulps(const Region& r, UlpType type) {
        mpfr_sub(err_.backend().data(), r.hi.backend().data(), r.lo.backend().data(), MPFR_RNDU);
        mpfr_add(mid_.backend().data(), r.hi.backend().data(), r.lo.backend().data(), MPFR_RNDN);
        mpfr_div_2ui(mid_.backend().data(), mid_.backend().data(), 1, MPFR_RNDN);
        ulp_of(mid_, type, u_);
        mpfr_div(tmp_.backend().data(), err_.backend().data(), u_.backend().data(), MPFR_RNDU);
        return mpfr_get_d(tmp_.backend().data(), MPFR_RNDU);
    }

    bool loose(const mp_interval& exact, UlpType type) { return width_.loose(exact, type); }

private:
    mp_real mid_, c_, err_, tmp_, u_;
    EnclosureWidth width_;
};

bool inside(const Region& r, double c) {
    return mpfr_cmp_d(r.lo.backend().data(), c) <= 0 && mpfr_cmp_d(r.hi.backend().data(), c) >= 0;
}

std::string region_text(const Region& r) {
    std::string s = "[";
    append_decimal(s, r.lo, MPFR_RNDD);
    s += ", ";
    append_decimal(s, r.hi, MPFR_RNDU);
    return s + "]";
}

std::string number(double v) {
    if (std::isinf(v)) return "inf";
    char b[32];
    std::snprintf(b, sizeof b, "%.3g", v);
    return b;
}

std::string json_number(double v) {
    if (std::isinf(v)) return "null";
    std::string s;
    append_json(s, v);
    return s;
}

std::string location_text(const Location& l) {
    return "(" + std::to_string(l.step) + ", " + std::to_string(l.coordinate) + ")";
}

}  // namespace

int compare_command(const CompareOptions& o) {
    if (o.precision.is_double())
        throw bad_input("compare: --precision must be a number of digits (the exact enclosure is computed with MPFI)");
    if (!o.candidate_jsonl && o.candidate_npy.empty())
        throw bad_input("compare: give the candidate: --candidate FILE.jsonl or --candidate-npy QUANTITY=FILE.npy");
    if (o.candidate_jsonl && !o.candidate_npy.empty())
        throw bad_input("compare: give --candidate or --candidate-npy, not both");
    set_working_precision(o.precision);

    TraceReader trace(o.trace, o.gradients);
    const TraceHeader& h = trace.header();
    ExactEnclosure exact(h, o.enclosure);
    std::unique_ptr<ReferenceRun<rigorous_interval>> core_double;
    if (o.tolerance.core_double)
        core_double = std::make_unique<ReferenceRun<rigorous_interval>>(make_hyperparameters<rigorous_interval>(h),
                                                                        make_phi0<rigorous_interval>(h));
    std::unique_ptr<CandidateReader> cand = o.candidate_jsonl ? std::make_unique<CandidateReader>(*o.candidate_jsonl)
                                                              : std::make_unique<CandidateReader>(o.candidate_npy);
    if (cand->dimension() != h.dimension)
        throw bad_input(cand->where() + ": the candidate has dimension " + std::to_string(cand->dimension()) +
                        " but the trace (" + h.where + ") has " + std::to_string(h.dimension));
    // The report's path is checked (and its temporary created) before the work.
    std::unique_ptr<tools::AtomicFile> report_file;
    if (o.report_json) report_file = std::make_unique<tools::AtomicFile>(oracle_outputs, *o.report_json, "--report");
    const auto cand_total = cand->total_steps(), trace_total = trace.total_steps();
    if (cand_total && trace_total && *cand_total != *trace_total)
        throw bad_input(cand->where() + ": the candidate has " + std::to_string(*cand_total) + " steps, the trace " +
                        std::to_string(*trace_total));

    std::array<QuantityReport, quantity_count> report;
    GradientRow row;
    CandidateRow crow;
    std::vector<mp_interval> g;
    std::vector<rigorous_interval> gd;
    ErrorMeter meter;
    Region region;
    tools::Progress progress = step_progress(trace_total);
    for (;;) {
        const bool more_trace = trace.next(row);
        const bool more_cand = cand->next(crow);
        if (more_trace != more_cand)
            throw bad_input(more_trace ? cand->where() + ": the candidate ends after " + std::to_string(exact.steps()) +
                                             " steps, the trace has more (truncated candidate?)"
                                       : cand->where() + ": the candidate has more steps than the trace (" +
                                             std::to_string(exact.steps()) + ")");
        if (!more_trace) break;
        convert_row(row, g);
        exact.step(std::span<const mp_interval>(g), trace.where());
        if (core_double) {
            convert_row(row, gd);
            try {
                core_double->step(std::span<const rigorous_interval>(gd), trace.where());
            } catch (const bad_input& e) {
                throw bad_input(std::string("--bound core-double: ") + e.what());
            }
        }
        const std::uint64_t t = exact.steps();
        for (Quantity q : cand->quantities()) {
            const std::size_t k = ReferenceRun<mp_interval>::index(q);
            QuantityReport& r = report[k];
            r.present = true;
            const auto& ref = exact.values(q);
            const auto& c = crow.values[k];
            for (std::size_t i = 0; i < ref.size(); ++i) {
                double a, rel, u;
                meter.measure(ref[i], c[i], o.tolerance.ulp_type, a, rel, u);
                ++r.values;
                r.abs.offer(a, t, i);
                r.rel.offer(rel, t, i);
                r.ulps.offer(u, t, i);
                if (meter.loose(ref[i], o.tolerance.ulp_type)) {
                    ++r.loose;
                    if (!r.first_loose) r.first_loose = Location{t, i};
                }
                if (!o.tolerance.has_verdict()) continue;
                allowed_region(q, ref[i], core_double ? &core_double->values(q)[i] : nullptr, o.tolerance, region);
                r.region.offer(meter.width_in_ulps(region, o.tolerance.ulp_type), t, i);
                if (!inside(region, c[i])) {
                    ++r.outside;
                    if (!r.first_outside) {
                        r.first_outside = Location{t, i};
                        std::string cv;
                        append_json(cv, c[i]);
                        r.first_outside_detail = "candidate " + cv + ", allowed " + region_text(region);
                    }
                }
            }
        }
        progress.update(t);
    }
    progress.finish();

    // The verdict.
    std::uint64_t outside = 0, loose = 0;
    std::optional<std::pair<Quantity, Location>> first, first_loose;
    for (Quantity q : all_quantities) {
        const QuantityReport& r = report[ReferenceRun<mp_interval>::index(q)];
        outside += r.outside;
        loose += r.loose;
        if (r.first_outside && (!first || r.first_outside->step < first->second.step)) first = {q, *r.first_outside};
        if (r.first_loose && (!first_loose || r.first_loose->step < first_loose->second.step))
            first_loose = {q, *r.first_loose};
    }
    // A value outside its region is a sound disagreement (the region holds the exact value).
    // Agreement needs every enclosure to be tighter than one ulp, else it proves little.
    const int status = outside ? (o.tolerance.has_verdict() ? exit_disagree : exit_no_verdict)
                       : (!o.tolerance.has_verdict() || loose) ? exit_no_verdict
                                                               : exit_ok;
    std::string verdict;
    if (status == exit_ok) verdict = "AGREE";
    else if (status == exit_disagree) verdict = "DISAGREE";
    else if (!o.tolerance.has_verdict()) verdict = "NO VERDICT: pass --ulps N or --bound core-double";
    else
        verdict = "NO VERDICT: the exact enclosure is wider than one ulp at " + std::to_string(loose) +
                  " values (first: " + quantity_name(first_loose->first) + " at step " +
                  std::to_string(first_loose->second.step) + ", coordinate " +
                  std::to_string(first_loose->second.coordinate) +
                  "): interval enclosures widen with the number of steps; rerun with a higher --precision";

    std::ostringstream text;
    text << "quench-oracle compare: " << exact.steps() << " steps, dimension " << h.dimension << "\n"
         << "reference: MPFI enclosure at " << o.precision.digits10 << " digits ("
         << enclosure_method_name(o.enclosure) << "); errors = distance to it, in "
         << (o.tolerance.ulp_type == UlpType::float32 ? "float" : "double") << " ulps; (step, coordinate), steps from 1\n"
         << "tolerance: " << o.tolerance.describe() << "\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-6s %10s  %-24s  %-24s  %-24s  %s\n", "qty", "values", "worst abs error",
                  "worst rel error", "worst ulps", "outside/loose");
    text << line;
    for (Quantity q : all_quantities) {
        const QuantityReport& r = report[ReferenceRun<mp_interval>::index(q)];
        if (!r.present) continue;
        std::snprintf(line, sizeof line, "%-6s %10llu  %-24s  %-24s  %-24s  %s\n", quantity_name(q),
                      static_cast<unsigned long long>(r.values), (number(r.abs.value) + " " + location_text(r.abs.at)).c_str(),
                      (number(r.rel.value) + " " + location_text(r.rel.at)).c_str(),
                      (number(r.ulps.value) + " " + location_text(r.ulps.at)).c_str(),
                      ((o.tolerance.has_verdict() ? std::to_string(r.outside) : std::string("-")) + "/" +
                       std::to_string(r.loose)).c_str());
        text << line;
    }
    if (o.tolerance.has_verdict()) {
        // How much the verdict discriminates: the widest allowed region.
        std::optional<std::pair<Quantity, Worst>> widest;
        for (Quantity q : all_quantities) {
            const QuantityReport& r = report[ReferenceRun<mp_interval>::index(q)];
            if (r.present && (!widest || r.region.value > widest->second.value)) widest = {q, r.region};
        }
        if (widest)
            text << "widest allowed region: " << number(widest->second.value) << " ulps ("
                 << quantity_name(widest->first) << " at step " << widest->second.at.step << ", coordinate "
                 << widest->second.at.coordinate << ")\n";
    }
    text << "verdict: " << verdict;
    if (first) {
        const QuantityReport& r = report[ReferenceRun<mp_interval>::index(first->first)];
        text << " (first outside: " << quantity_name(first->first) << " at step " << first->second.step
             << ", coordinate " << first->second.coordinate << ": " << r.first_outside_detail << ")";
    }
    text << "\n";

    if (o.report_json) {
        std::string j = "{\"steps\":" + std::to_string(exact.steps()) + ",\"dimension\":" + std::to_string(h.dimension) +
                        ",\"precision\":" + std::to_string(o.precision.digits10) + ",\"tolerance\":\"" +
                        o.tolerance.describe() + "\",\"verdict\":\"" +
                        (status == exit_ok ? "agree" : status == exit_disagree ? "disagree" : "none") +
                        "\",\"quantities\":{";
        bool firstq = true;
        for (Quantity q : all_quantities) {
            const QuantityReport& r = report[ReferenceRun<mp_interval>::index(q)];
            if (!r.present) continue;
            auto worst = [](const Worst& w) {
                return "{\"value\":" + json_number(w.value) + ",\"step\":" + std::to_string(w.at.step) +
                       ",\"coordinate\":" + std::to_string(w.at.coordinate) + "}";
            };
            j += std::string(firstq ? "" : ",") + "\"" + quantity_name(q) + "\":{\"values\":" + std::to_string(r.values) +
                 ",\"outside\":" + std::to_string(r.outside) + ",\"loose\":" + std::to_string(r.loose) + ",\"abs\":" + worst(r.abs) + ",\"rel\":" + worst(r.rel) +
                 ",\"ulps\":" + worst(r.ulps) + ",\"widest_region_ulps\":" + worst(r.region) + "}";
            firstq = false;
        }
        j += "}}\n";
        report_file->stream() << j;
        report_file->commit();
    }
    std::cout << text.str();
    return status;
}

}  // namespace quench::oracle
