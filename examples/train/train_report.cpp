#include "train_report.hpp"

#include "figure.hpp"
#include "output_folder.hpp"
#include "support/report_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace quench::train {

namespace {

[[gnu::format(printf, 1, 0)]] std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

void write_data(examples::OutputFolder& folder, const TrainingResult& result) {
    std::ostringstream csv;
    csv.precision(10);
    csv << "method,epoch,gradient_evaluations,train_loss,test_loss,train_accuracy,test_accuracy,mean_eta,median_bstar\n";
    for (const MethodHistory& m : result.methods)
        for (const Record& r : m.records)
            csv << '"' << m.name << "\"," << r.epoch << ',' << r.examples << ',' << r.train_loss << ',' << r.test_loss
                << ',' << r.train_accuracy << ',' << r.test_accuracy << ',' << r.mean_rate << ',' << r.median_batch_star
                << '\n';
    folder.write("train.csv", csv.str());
    const QuenchingTrace& q = result.quenching;
    std::ostringstream qcsv;
    qcsv.precision(10);
    qcsv << "gradient_evaluations,mean_eta,median_bstar\n";
    for (std::size_t i = 0; i < q.evaluations.size(); ++i)
        qcsv << q.evaluations[i] << ',' << q.mean_eta[i] << ',' << q.median_bstar[i] << '\n';
    folder.write("quenching.csv", qcsv.str());
}

void write_figures(examples::OutputFolder& folder, const TrainingResult& result, double L, double batch) {
    auto series_of = [](const MethodHistory& m, double Record::*field) {
        examples::Series s{m.name, {}, {}, false, false};
        for (const Record& r : m.records) {
            if (r.epoch == 0) continue;
            s.x.push_back(r.examples);
            s.y.push_back(r.*field);
        }
        return s;
    };
    examples::Figure loss{"Training loss (softmax cross-entropy), digits", "gradient evaluations", "training loss",
                          true, true, {}};
    examples::Figure acc{"Test accuracy, digits", "gradient evaluations", "test accuracy", true, false, {}};
    for (const MethodHistory& m : result.methods) {
        loss.series.push_back(series_of(m, &Record::train_loss));
        acc.series.push_back(series_of(m, &Record::test_accuracy));
    }
    examples::write_figure(folder, "train_loss", loss);
    examples::write_figure(folder, "test_accuracy", acc);
    const QuenchingTrace& q = result.quenching;
    const std::vector<double> ends{q.evaluations.front(), q.evaluations.back()};
    examples::Figure rate{"Quenching: mean eta of quenching SGD", "gradient evaluations", "mean eta over coordinates",
                          true, true, {}};
    rate.series.push_back({"quenching SGD, mean eta", q.evaluations, q.mean_eta, false, false});
    rate.series.push_back({"1/(2L) (cap, X9)", ends, {0.5 / L, 0.5 / L}, false, true});
    examples::write_figure(folder, "quench_eta", rate);
    examples::Figure bs{"Quenching: median B* of quenching SGD", "gradient evaluations", "median B* (examples)", true,
                        true, {}};
    bs.series.push_back({"median B*", q.evaluations, q.median_bstar, false, false});
    bs.series.push_back({"B", ends, {batch, batch}, false, true});
    examples::write_figure(folder, "quench_bstar", bs);
}

/// One method's final epoch, against its first and its best.
struct MethodSummary {
    const Record& first;
    const Record& last;
    double best_test_accuracy = -1;
    std::size_t best_epoch = 0;
    double gap_accuracy() const { return last.train_accuracy - last.test_accuracy; }
    double gap_loss() const { return last.test_loss - last.train_loss; }
    bool loss_fell() const { return last.train_loss < first.train_loss; }
};

MethodSummary summarise(const MethodHistory& m) {
    MethodSummary s{m.records.front(), m.records.back()};
    for (const Record& r : m.records)
        if (r.test_accuracy > s.best_test_accuracy) {
            s.best_test_accuracy = r.test_accuracy;
            s.best_epoch = r.epoch;
        }
    return s;
}

/// Eta falls and B* grows after warm-up (the first logged step after K + 1 against the last).
QuenchingChange quenching_change(const QuenchingTrace& q, std::uint64_t warmup, std::size_t B) {
    std::size_t after_warmup = 0;
    while (after_warmup < q.evaluations.size() && q.evaluations[after_warmup] <= static_cast<double>((warmup + 1) * B))
        ++after_warmup;
    const bool has_data = after_warmup + 1 < q.evaluations.size();
    QuenchingChange c{has_data ? q.mean_eta[after_warmup] : NAN, q.mean_eta.back(),
                      has_data ? q.median_bstar[after_warmup] : NAN, q.median_bstar.back(), false};
    c.quenched = has_data && c.eta_late < c.eta_early && c.bstar_late > c.bstar_early;
    return c;
}

/// The comparison sentence of the discussion (paper and report), from the measurements.
std::string verdict_sentence(const TrainingResult& result) {
    const Record& q = result.methods[0].records.back();
    const Record& sgd = result.methods[1].records.back();
    const Record& adam = result.methods[2].records.back();
    const double best_other = std::max(sgd.test_accuracy, adam.test_accuracy);
    const double q_gap = q.train_accuracy - q.test_accuracy;
    const double other_gap = std::min(sgd.train_accuracy - sgd.test_accuracy, adam.train_accuracy - adam.test_accuracy);
    std::string v = "Quenching SGD's final test accuracy is ";
    v += q.test_accuracy < best_other ? "below" : "not below";
    v += " the better of the other two, and its training loss is ";
    v += q.train_loss > std::max(sgd.train_loss, adam.train_loss) ? "the highest of the three"
                                                                  : "not the highest of the three";
    v += "; its accuracy gap is ";
    v += q_gap < other_gap ? "the smallest" : "not the smallest";
    return v + " of the three.";
}

std::string macro(const std::string& name, const std::string& value) {
    return "\\newcommand{\\qt" + name + "}{" + value + "}\n";
}

std::string method_macros(const std::string& tag, const MethodSummary& s) {
    return macro(tag + "TrainLoss", fmt("%.4f", s.last.train_loss)) + macro(tag + "TestLoss", fmt("%.4f", s.last.test_loss)) +
           macro(tag + "TrainAcc", fmt("%.4f", s.last.train_accuracy)) +
           macro(tag + "TestAcc", fmt("%.4f", s.last.test_accuracy)) + macro(tag + "GapAcc", fmt("%.4f", s.gap_accuracy())) +
           macro(tag + "GapLoss", fmt("%.4f", s.gap_loss())) +
           macro(tag + "BestTestAcc", fmt("%.4f", s.best_test_accuracy)) +
           macro(tag + "BestEpoch", std::to_string(s.best_epoch));
}

std::string run_macros(const RunFacts& f, const TrainingResult& result, const QuenchingChange& c) {
    const TrainOptions& o = f.options;
    return macro("L", fmt("%.6g", f.L)) + macro("TraceL", fmt("%.6g", f.trace_bound)) +
           macro("CwL", fmt("%.6g", f.collatz_wielandt_bound)) + macro("Epochs", std::to_string(o.epochs)) +
           macro("Batch", std::to_string(o.batch_size())) + macro("Warmup", std::to_string(o.warmup)) +
           macro("TrainSize", std::to_string(f.train_size)) + macro("TestSize", std::to_string(f.test_size)) +
           macro("Evaluations", fmt("%.0f", result.methods[0].records.back().examples)) +
           macro("AdamRate", fmt("%g", o.adam_rate)) + macro("EtaEarly", fmt("%.3g", c.eta_early)) +
           macro("EtaLate", fmt("%.3g", c.eta_late)) + macro("BstarEarly", fmt("%.3g", c.bstar_early)) +
           macro("BstarLate", fmt("%.3g", c.bstar_late)) + macro("EtaCap", fmt("%.3g", 0.5 / f.L)) +
           macro("Seconds", fmt("%.1f", f.seconds));
}

std::string markdown_report(const RunFacts& f, const TrainingResult& result, const tools::ReportTable& table,
                            const QuenchingChange& c, const std::string& verdict, const std::string& checks) {
    const TrainOptions& o = f.options;
    return "# quench-train: quenching SGD on the UCI handwritten digits\n\n"
           "Multinomial logistic regression (10 classes x 65 weights incl. bias, pixels / 16) on " +
           std::to_string(f.train_size) + " training and " + std::to_string(f.test_size) +
           " test images; batch size B = " + std::to_string(o.batch_size()) + ", " + std::to_string(o.epochs) +
           " epochs (" + fmt("%.0f", result.methods[0].records.back().examples) +
           " gradient evaluations per method, the same minibatches for all). " + "Run time " + fmt("%.1f", f.seconds) +
           " s.\n\n"
           "Smoothness: L = " + fmt("%.6g", f.L) +
           " (proven bound (1/2) lambda_max((1/n) sum x x^T) via Collatz-Wielandt: " +
           fmt("%.6g", f.collatz_wielandt_bound) + "; trace bound " + fmt("%.6g", f.trace_bound) +
           "). Quenching SGD: lambda_B = 16, lambda_eta = B/(32 L) = " + fmt("%.4g", o.batch / (32 * f.L)) +
           ", eta_max = 1/(2L), K = " + std::to_string(o.warmup) + ", default options. SGD: step 1/L = " +
           fmt("%.4g", 1 / f.L) + ". Adam: step " + fmt("%g", o.adam_rate) + ", betas 0.9/0.999.\n\n" +
           table.markdown() +
           "\nGaps: train minus test accuracy; test minus train loss (final epoch).\n\n"
           "![training loss](train_loss.svg)\n\n![test accuracy](test_accuracy.svg)\n\n"
           "![mean eta](quench_eta.svg)\n\n![median B*](quench_bstar.svg)\n\n"
           "Quenching: right after warm-up the mean eta is " + fmt("%.3g", c.eta_early) + " and the median B* " +
           fmt("%.3g", c.bstar_early) + "; at the end " + fmt("%.3g", c.eta_late) + " and " + fmt("%.3g", c.bstar_late) +
           ".\n\n## Is quenching desirable?\n\n" + verdict +
           " The rule maximises a worst-case one-step guarantee, so its rates never exceed 1/(2L) and shrink as the "
           "gradient signal falls below its noise; a small generalisation gap of a model that has not fitted the "
           "training set is under-fitting, not better generalisation.\n\n## Checks\n\n" + checks +
           "\nData: `train.csv` (per epoch), `quenching.csv` (per step, log-spaced).\n";
}

}  // namespace

RunVerdict write_report(examples::OutputFolder& folder, const RunFacts& f, const TrainingResult& result) {
    write_data(folder, result);
    write_figures(folder, result, f.L, f.options.batch);

    // One table for the report and the paper; the last column holds the epoch in parentheses.
    tools::ReportTable table(std::vector<tools::ReportTable::Column>{
        {"method"}, {"train loss", "r"}, {"test loss", "r"}, {"train acc.", "r"}, {"test acc.", "r"},
        {"gap acc.", "r"}, {"gap loss", "r"}, {"best test acc.", "r"}});
    RunVerdict verdict{true, quenching_change(result.quenching, f.options.warmup, f.options.batch_size())};
    std::string checks, macros = "% generated by quench-train; do not edit\n";
    const char* tags[] = {"Quench", "Sgd", "Adam"};
    for (std::size_t m = 0; m < result.methods.size(); ++m) {
        const MethodSummary s = summarise(result.methods[m]);
        verdict.checks_hold &= s.loss_fell();
        checks += "- " + result.methods[m].name + ": training loss " + fmt("%.4f", s.first.train_loss) + " -> " +
                  fmt("%.4f", s.last.train_loss) + (s.loss_fell() ? " (fell)\n" : " (DID NOT FALL)\n");
        table.row({result.methods[m].name, fmt("%.4f", s.last.train_loss), fmt("%.4f", s.last.test_loss),
                   fmt("%.4f", s.last.train_accuracy), fmt("%.4f", s.last.test_accuracy), fmt("%.4f", s.gap_accuracy()),
                   fmt("%.4f", s.gap_loss()),
                   fmt("%.4f", s.best_test_accuracy) + " (" + std::to_string(s.best_epoch) + ")"});
        macros += method_macros(tags[m], s);
    }
    // Quenching is checked only for runs long enough to show it.
    if (f.options.epochs >= 20) {
        verdict.checks_hold &= verdict.quenching.quenched;
        checks += std::string("- quenching (mean eta falls, median B* grows after warm-up): ") +
                  (verdict.quenching.quenched ? "yes\n" : "NO\n");
    }
    const std::string sentence = verdict_sentence(result);
    macros += macro("Verdict", sentence) + run_macros(f, result, verdict.quenching);
    folder.write("tex/train-macros.tex", macros);
    folder.write("tex/train-table.tex", table.tex("quench-train"));
    folder.write("report.md", markdown_report(f, result, table, verdict.quenching, sentence, checks));
    return verdict;
}

}  // namespace quench::train
