// quench-train: quenching SGD on a real data set. Multinomial logistic regression on the
// UCI handwritten digits (data/digits.csv.gz), with L a proven bound on the Hessian norm
// computed from the training data (smoothness_bound.hpp), the theory's lambda_eta =
// B/(32 L) (X10), against plain SGD with step 1/L and Adam, at equal numbers of gradient
// evaluations (same batch size, same number of steps, same minibatch sequence).
//
// Writes train.csv, SVG plots, report.md and LaTeX fragments into --out; prints a summary.
// Exit status: 0 when the run's checks hold (the training loss fell for every method, and
// with --epochs >= 20, quenching happened: eta fell and B* grew), 1 otherwise, 2 on bad
// input or an I/O error.
#include "digits_data.hpp"
#include "optimizers.hpp"
#include "smoothness_bound.hpp"
#include "softmax_regression.hpp"

#include "output_folder.hpp"
#include "plot.hpp"
#include "support/progress.hpp"
#include "support/report_table.hpp"
#include "random_deviates.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <sstream>
#include <vector>

#ifndef QUENCH_DIGITS_PATH
#define QUENCH_DIGITS_PATH "digits.csv.gz"
#endif

namespace {

using namespace quench::train;

struct Record {
    std::size_t epoch;
    double examples, train_loss, test_loss, train_accuracy, test_accuracy, mean_rate, median_batch_star;
};

[[gnu::format(printf, 1, 0)]] std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"quench-train: quenching SGD vs SGD and Adam on the UCI handwritten digits"};
    std::string data = QUENCH_DIGITS_PATH, out = "quench-train-report";
    std::size_t epochs = 200;
    double batch = 16, test_fraction = 0.25, adam_rate = 1e-3;
    std::uint64_t warmup = 20, seed = 1;
    app.add_option("--data", data, "digits.csv.gz (64 pixels 0..16 and a label per line)");
    app.add_option("--out", out, "output folder")->check([](const std::string& s) {
        return s.empty() ? std::string("must not be empty") : std::string();
    });
    app.add_option("--epochs", epochs, "passes over the training set")->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    app.add_option("--batch", batch, "batch size B (all methods)")->check(CLI::Range(1.0, 1024.0));
    app.add_option("--warmup", warmup, "quenching SGD warm-up steps K")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}));
    app.add_option("--test-fraction", test_fraction, "held-out fraction")->check(CLI::Range(0.05, 0.95));
    app.add_option("--adam-rate", adam_rate, "Adam's step size")->check(CLI::Range(1e-8, 10.0));
    app.add_option("--seed", seed, "seed of the split and of the minibatch order");
    CLI11_PARSE(app, argc, argv);
    if (batch != std::floor(batch)) {
        std::fprintf(stderr, "quench-train: --batch must be a whole number of examples\n");
        return 2;
    }

    try {
        const auto start = std::chrono::steady_clock::now();
        quench::examples::OutputFolder folder("quench-train", out);
        const Dataset all = load_digits(data);
        Dataset train, test;
        split(all, test_fraction, seed, train, test);
        const SmoothnessBound bound = smoothness_bound(train);
        const double L = bound.L();
        const std::size_t B = static_cast<std::size_t>(batch);
        if (B > train.size()) throw std::runtime_error("--batch exceeds the training set");
        const std::size_t steps_per_epoch = train.size() / B;

        std::vector<std::unique_ptr<Optimizer>> methods;
        methods.push_back(std::make_unique<QuenchingSgd>(parameters, batch, L, warmup));
        methods.push_back(std::make_unique<PlainSgd>(1 / L));
        methods.push_back(std::make_unique<Adam>(parameters, adam_rate));
        std::vector<std::vector<double>> weights(methods.size(), std::vector<double>(parameters, 0.0));
        std::vector<std::vector<Record>> history(methods.size());
        auto record = [&](std::size_t m, std::size_t epoch) {
            const Evaluation tr = evaluate(weights[m], train), te = evaluate(weights[m], test);
            history[m].push_back({epoch, static_cast<double>(epoch * steps_per_epoch * B), tr.loss, te.loss,
                                  tr.accuracy, te.accuracy, methods[m]->mean_rate(), methods[m]->median_batch_star()});
        };
        for (std::size_t m = 0; m < methods.size(); ++m) record(m, 0);

        // One minibatch order for all methods: a fresh shuffle per epoch.
        quench::examples::Random rng(seed + 1);
        std::vector<std::size_t> order(train.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::vector<double> grad(parameters);
        quench::tools::Progress bar("training (3 methods)", "epoch", epochs);
        // Quenching diagnostics per step (for the eta / B* plot).
        std::vector<double> step_axis, step_eta, step_bstar;
        std::uint64_t step_count = 0, next_log = 1;
        for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
            for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
            for (std::size_t s = 0; s < steps_per_epoch; ++s) {
                const std::span<const std::size_t> mb(order.data() + s * B, B);
                for (std::size_t m = 0; m < methods.size(); ++m) {
                    minibatch_gradient(weights[m], train, mb, grad);
                    methods[m]->step(grad, weights[m]);
                }
                ++step_count;
                if (step_count >= next_log) {
                    step_axis.push_back(static_cast<double>(step_count * B));
                    step_eta.push_back(methods[0]->mean_rate());
                    step_bstar.push_back(methods[0]->median_batch_star());
                    next_log = std::max<std::uint64_t>(next_log + 1, static_cast<std::uint64_t>(static_cast<double>(next_log) * 1.05));
                }
            }
            for (std::size_t m = 0; m < methods.size(); ++m) record(m, epoch);
            bar.advance();
        }
        bar.finish();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        // ---- CSV ------------------------------------------------------------------------
        std::ostringstream csv;
        csv.precision(10);
        csv << "method,epoch,gradient_evaluations,train_loss,test_loss,train_accuracy,test_accuracy,mean_eta,median_bstar\n";
        for (std::size_t m = 0; m < methods.size(); ++m)
            for (const Record& r : history[m])
                csv << '"' << methods[m]->name() << "\"," << r.epoch << ',' << r.examples << ',' << r.train_loss << ','
                    << r.test_loss << ',' << r.train_accuracy << ',' << r.test_accuracy << ',' << r.mean_rate << ','
                    << r.median_batch_star << '\n';
        folder.write("train.csv", csv.str());
        std::ostringstream qcsv;
        qcsv.precision(10);
        qcsv << "gradient_evaluations,mean_eta,median_bstar\n";
        for (std::size_t i = 0; i < step_axis.size(); ++i) qcsv << step_axis[i] << ',' << step_eta[i] << ',' << step_bstar[i] << '\n';
        folder.write("quenching.csv", qcsv.str());

        // ---- Plots ----------------------------------------------------------------------
        auto series_of = [&](std::size_t m, double Record::*field) {
            quench::examples::Series s{methods[m]->name(), {}, {}, false, false};
            for (const Record& r : history[m]) {
                if (r.epoch == 0) continue;
                s.x.push_back(r.examples);
                s.y.push_back(r.*field);
            }
            return s;
        };
        auto write_figure = [&](const std::string& name, const quench::examples::Figure& f) {
            folder.write(name + ".svg", quench::examples::to_svg(f));
            folder.write("tex/" + name + ".tex", quench::examples::to_tikz(f));
        };
        quench::examples::Figure loss{"Training loss (softmax cross-entropy), digits", "gradient evaluations",
                                      "training loss", true, true, {}};
        quench::examples::Figure acc{"Test accuracy, digits", "gradient evaluations", "test accuracy", true, false, {}};
        for (std::size_t m = 0; m < methods.size(); ++m) {
            loss.series.push_back(series_of(m, &Record::train_loss));
            acc.series.push_back(series_of(m, &Record::test_accuracy));
        }
        write_figure("train_loss", loss);
        write_figure("test_accuracy", acc);
        quench::examples::Figure rate{"Quenching: mean eta of quenching SGD", "gradient evaluations", "mean eta over coordinates",
                                      true, true, {}};
        rate.series.push_back({"quenching SGD, mean eta", step_axis, step_eta, false, false});
        rate.series.push_back({"1/(2L) (cap, X9)", {step_axis.front(), step_axis.back()}, {0.5 / L, 0.5 / L}, false, true});
        write_figure("quench_eta", rate);
        quench::examples::Figure bs{"Quenching: median B* of quenching SGD", "gradient evaluations", "median B* (examples)",
                                    true, true, {}};
        bs.series.push_back({"median B*", step_axis, step_bstar, false, false});
        bs.series.push_back({"B", {step_axis.front(), step_axis.back()}, {batch, batch}, false, true});
        write_figure("quench_bstar", bs);

        // ---- Checks and report ------------------------------------------------------------
        bool ok = true;
        std::string checks;
        // One table for the report and the paper; the last column holds the epoch in parentheses.
        quench::tools::ReportTable table(std::vector<quench::tools::ReportTable::Column>{
            {"method"}, {"train loss", "r"}, {"test loss", "r"}, {"train acc.", "r"}, {"test acc.", "r"},
            {"gap acc.", "r"}, {"gap loss", "r"}, {"best test acc.", "r"}});
        std::string macros = "% generated by quench-train; do not edit\n";
        const char* tags[] = {"Quench", "Sgd", "Adam"};
        for (std::size_t m = 0; m < methods.size(); ++m) {
            const Record& first = history[m].front();
            const Record& last = history[m].back();
            const bool fell = last.train_loss < first.train_loss;
            ok &= fell;
            checks += "- " + methods[m]->name() + ": training loss " + fmt("%.4f", first.train_loss) + " -> " +
                      fmt("%.4f", last.train_loss) + (fell ? " (fell)\n" : " (DID NOT FALL)\n");
            std::size_t best_epoch = 0;
            double best = -1;
            for (const Record& r : history[m])
                if (r.test_accuracy > best) { best = r.test_accuracy; best_epoch = r.epoch; }
            const double gap_acc = last.train_accuracy - last.test_accuracy, gap_loss = last.test_loss - last.train_loss;
            table.row({methods[m]->name(), fmt("%.4f", last.train_loss), fmt("%.4f", last.test_loss),
                       fmt("%.4f", last.train_accuracy), fmt("%.4f", last.test_accuracy), fmt("%.4f", gap_acc),
                       fmt("%.4f", gap_loss), fmt("%.4f", best) + " (" + std::to_string(best_epoch) + ")"});
            const std::string t = tags[m];
            macros += "\\newcommand{\\qt" + t + "TrainLoss}{" + fmt("%.4f", last.train_loss) + "}\n";
            macros += "\\newcommand{\\qt" + t + "TestLoss}{" + fmt("%.4f", last.test_loss) + "}\n";
            macros += "\\newcommand{\\qt" + t + "TrainAcc}{" + fmt("%.4f", last.train_accuracy) + "}\n";
            macros += "\\newcommand{\\qt" + t + "TestAcc}{" + fmt("%.4f", last.test_accuracy) + "}\n";
            macros += "\\newcommand{\\qt" + t + "GapAcc}{" + fmt("%.4f", gap_acc) + "}\n";
            macros += "\\newcommand{\\qt" + t + "GapLoss}{" + fmt("%.4f", gap_loss) + "}\n";
            macros += "\\newcommand{\\qt" + t + "BestTestAcc}{" + fmt("%.4f", best) + "}\n";
            macros += "\\newcommand{\\qt" + t + "BestEpoch}{" + std::to_string(best_epoch) + "}\n";
        }
        // Quenching: eta falls and B* grows after warm-up (checked only for runs long enough).
        std::size_t after_warmup = 0;
        while (after_warmup < step_axis.size() && step_axis[after_warmup] <= static_cast<double>((warmup + 1) * B)) ++after_warmup;
        const bool has_quench_data = after_warmup + 1 < step_axis.size();
        const double eta_early = has_quench_data ? step_eta[after_warmup] : NAN;
        const double eta_late = step_eta.back();
        const double bstar_early = has_quench_data ? step_bstar[after_warmup] : NAN;
        const double bstar_late = step_bstar.back();
        const bool quenched = has_quench_data && eta_late < eta_early && bstar_late > bstar_early;
        if (epochs >= 20) {
            ok &= quenched;
            checks += std::string("- quenching (mean eta falls, median B* grows after warm-up): ") +
                      (quenched ? "yes\n" : "NO\n");
        }
        // The comparison sentence of the discussion (paper and report), generated from the measurements.
        std::string verdict;
        {
            const Record& q = history[0].back();
            const Record& sgd = history[1].back();
            const Record& adam = history[2].back();
            const double best_other = std::max(sgd.test_accuracy, adam.test_accuracy);
            const double q_gap = q.train_accuracy - q.test_accuracy;
            const double other_gap = std::min(sgd.train_accuracy - sgd.test_accuracy, adam.train_accuracy - adam.test_accuracy);
            verdict = "Quenching SGD's final test accuracy is ";
            verdict += q.test_accuracy < best_other ? "below" : "not below";
            verdict += " the better of the other two, and its training loss is ";
            verdict += q.train_loss > std::max(sgd.train_loss, adam.train_loss) ? "the highest of the three"
                                                                                 : "not the highest of the three";
            verdict += "; its accuracy gap is ";
            verdict += q_gap < other_gap ? "the smallest" : "not the smallest";
            verdict += " of the three.";
            macros += "\\newcommand{\\qtVerdict}{" + verdict + "}\n";
        }
        macros += "\\newcommand{\\qtL}{" + fmt("%.6g", L) + "}\n";
        macros += "\\newcommand{\\qtTraceL}{" + fmt("%.6g", bound.trace_bound) + "}\n";
        macros += "\\newcommand{\\qtCwL}{" + fmt("%.6g", bound.collatz_wielandt_bound) + "}\n";
        macros += "\\newcommand{\\qtEpochs}{" + std::to_string(epochs) + "}\n";
        macros += "\\newcommand{\\qtBatch}{" + std::to_string(B) + "}\n";
        macros += "\\newcommand{\\qtWarmup}{" + std::to_string(warmup) + "}\n";
        macros += "\\newcommand{\\qtTrainSize}{" + std::to_string(train.size()) + "}\n";
        macros += "\\newcommand{\\qtTestSize}{" + std::to_string(test.size()) + "}\n";
        macros += "\\newcommand{\\qtEvaluations}{" + fmt("%.0f", history[0].back().examples) + "}\n";
        macros += "\\newcommand{\\qtAdamRate}{" + fmt("%g", adam_rate) + "}\n";
        macros += "\\newcommand{\\qtEtaEarly}{" + fmt("%.3g", eta_early) + "}\n";
        macros += "\\newcommand{\\qtEtaLate}{" + fmt("%.3g", eta_late) + "}\n";
        macros += "\\newcommand{\\qtBstarEarly}{" + fmt("%.3g", bstar_early) + "}\n";
        macros += "\\newcommand{\\qtBstarLate}{" + fmt("%.3g", bstar_late) + "}\n";
        macros += "\\newcommand{\\qtEtaCap}{" + fmt("%.3g", 0.5 / L) + "}\n";
        macros += "\\newcommand{\\qtSeconds}{" + fmt("%.1f", seconds) + "}\n";
        folder.write("tex/train-macros.tex", macros);
        folder.write("tex/train-table.tex", table.tex("quench-train"));

        const std::string report =
            "# quench-train: quenching SGD on the UCI handwritten digits\n\n"
            "Multinomial logistic regression (10 classes x 65 weights incl. bias, pixels / 16) on " +
            std::to_string(train.size()) + " training and " + std::to_string(test.size()) +
            " test images; batch size B = " + std::to_string(B) + ", " + std::to_string(epochs) + " epochs (" +
            fmt("%.0f", history[0].back().examples) + " gradient evaluations per method, the same minibatches for all). " +
            "Run time " + fmt("%.1f", seconds) + " s.\n\n"
            "Smoothness: L = " + fmt("%.6g", L) + " (proven bound (1/2) lambda_max((1/n) sum x x^T) via Collatz-Wielandt: " +
            fmt("%.6g", bound.collatz_wielandt_bound) + "; trace bound " + fmt("%.6g", bound.trace_bound) +
            "). Quenching SGD: lambda_B = 16, lambda_eta = B/(32 L) = " + fmt("%.4g", batch / (32 * L)) +
            ", eta_max = 1/(2L), K = " + std::to_string(warmup) + ", default options. SGD: step 1/L = " +
            fmt("%.4g", 1 / L) + ". Adam: step " + fmt("%g", adam_rate) + ", betas 0.9/0.999.\n\n" + table.markdown() +
            "\nGaps: train minus test accuracy; test minus train loss (final epoch).\n\n"
            "![training loss](train_loss.svg)\n\n![test accuracy](test_accuracy.svg)\n\n"
            "![mean eta](quench_eta.svg)\n\n![median B*](quench_bstar.svg)\n\n"
            "Quenching: right after warm-up the mean eta is " + fmt("%.3g", eta_early) + " and the median B* " +
            fmt("%.3g", bstar_early) + "; at the end " + fmt("%.3g", eta_late) + " and " + fmt("%.3g", bstar_late) +
            ".\n\n## Is quenching desirable?\n\n" + verdict +
            " The rule maximises a worst-case one-step guarantee, so its rates never exceed 1/(2L) and shrink as the "
            "gradient signal falls below its noise; a small generalisation gap of a model that has not fitted the "
            "training set is under-fitting, not better generalisation.\n\n## Checks\n\n" + checks + "\nData: `train.csv` (per epoch), `quenching.csv` (per step, log-spaced).\n";
        folder.write("report.md", report);
        folder.commit();  // all of the report, or (on an error above) none of it

        std::printf("quench-train: %zu epochs, B = %zu, L = %.6g, %.1f s, report in %s/report.md\n", epochs, B, L, seconds,
                    folder.root().c_str());
        for (std::size_t m = 0; m < methods.size(); ++m) {
            const Record& last = history[m].back();
            std::printf("  %-16s train loss %.4f  test loss %.4f  train acc %.4f  test acc %.4f\n", methods[m]->name().c_str(),
                        last.train_loss, last.test_loss, last.train_accuracy, last.test_accuracy);
        }
        std::printf("  quenching: mean eta %.3g -> %.3g, median B* %.3g -> %.3g\n", eta_early, eta_late, bstar_early,
                    bstar_late);
        std::printf("%s\n", ok ? "ok: checks hold" : "FAILED: a check does not hold");
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quench-train: %s\n", e.what());
        return 2;
    }
}
