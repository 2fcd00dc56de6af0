// cli.cpp - the command line of quench-oracle (README.md: usage, formats, exit statuses).
//   quench-oracle run TRACE [-o OUT.jsonl] [--npy-dir DIR] [--precision double|N] [--enclose]
//                     [--enclosure centred|interval] [--widths]
//   quench-oracle compare TRACE (--candidate C.jsonl | --candidate-npy Q=FILE...)
//                         [--candidate-precision float64|float32] [--report R.json]  (stepwise)
//                         [--ulps N] [--bound core-double] [--precision N]      (whole trajectory)
//                         [--enclosure centred|interval]
//   quench-oracle derive [--precision double|N] [--sigma S --g G --L L --B B ...]
#include "compare.hpp"
#include "derive.hpp"
#include "oracle_error.hpp"
#include "support/output_files.hpp"
#include "reference_run.hpp"
#include "run_command.hpp"
#include "stepwise_compare.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>

namespace {

using namespace quench::oracle;

/// --ulps N: a finite decimal number >= 0 (the text is quoted back, never a 309-digit bound).
double parse_ulps(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v) || v < 0)
        throw bad_input("--ulps: must be a finite number >= 0 (got " + text + ")");
    return v;
}

int main_checked(int argc, char** argv) {
    CLI::App app{"quench-oracle: the reference implementation of quenching SGD (docs/spec.md E15-E20) as an oracle "
                 "for other implementations.\nExit status: 0 success/agreement, 1 disagreement, 2 bad input, "
                 "3 no verdict (an unbounded admissible region, or --ulps enclosures too wide)."};
    app.require_subcommand(1);

    // run
    RunOptions run;
    std::string run_precision = "double";
    CLI::App* run_cmd = app.add_subcommand("run", "Write the reference trajectory (gt, st, var, Bstar, eta, phi per step "
                                                  "and coordinate) of a trace");
    run_cmd->add_option("trace", run.trace, "trace file (JSON Lines: header, then {\"g\": [...]} per step)")->required();
    run_cmd->add_option("--gradients", run.gradients, "(steps, d) .npy of gradients (overrides the header's)");
    run_cmd->add_option("-o,--output", run.jsonl, "JSON Lines trajectory ('-': standard output)");
    run_cmd->add_option("--npy-dir", run.npy_dir, "directory for one float64 .npy per quantity");
    run_cmd->add_option("--precision", run_precision, "'double' or decimal digits (MPFR), default double");
    run_cmd->add_flag("--enclose", run.enclose,
                      "rigorous enclosures [lower, upper] of the exact trajectory (MPFI; with double: "
                      "an interval that also holds the core's double computation)");
    std::string run_enclosure = "centred";
    run_cmd->add_option("--enclosure", run_enclosure,
                        "with --enclose --precision N: 'centred' (default: centred forms, tight on long traces) or "
                        "'interval' (plain MPFI intervals, which widen with the steps)")
        ->check(CLI::IsMember({"centred", "interval"}));
    run_cmd->add_flag("--widths", run.widths,
                      "with --enclose --precision N: print, per quantity, the first step whose enclosure is wider "
                      "than one double ulp of its midpoint, and the widest enclosures");

    // compare
    CompareOptions cmp;
    std::string cmp_precision = "40";
    std::vector<std::string> cand_npy;
    std::optional<std::string> ulps_text;
    std::string bound, ulp_type = "double";
    CLI::App* cmp_cmd = app.add_subcommand("compare", "Judge a candidate trajectory against the reference");
    cmp_cmd->add_option("trace", cmp.trace, "trace file")->required();
    cmp_cmd->add_option("--gradients", cmp.gradients, "(steps, d) .npy of gradients (overrides the header's)");
    cmp_cmd->add_option("--candidate", cmp.candidate_jsonl, "candidate trajectory, JSON Lines");
    cmp_cmd->add_option("--candidate-npy", cand_npy, "candidate quantity as QUANTITY=FILE.npy, shape (steps, d); repeatable")
        ->delimiter(',');
    cmp_cmd->add_option("--precision", cmp_precision, "decimal digits of the MPFI reference (default 40)");
    cmp_cmd->add_option("--ulps", ulps_text, "accept values within the exact enclosure widened by N ulps");
    cmp_cmd->add_option("--bound", bound, "core-double: accept the core's rigorous double-interval enclosure")
        ->check(CLI::IsMember({"core-double"}));
    cmp_cmd->add_option("--ulp-type", ulp_type, "unit of the ulp errors and of --ulps: double (default) or float")
        ->check(CLI::IsMember({"double", "float"}));
    std::string cmp_enclosure = "centred";
    cmp_cmd->add_option("--enclosure", cmp_enclosure,
                        "whole-trajectory reference: 'centred' (default) or 'interval' (plain MPFI intervals)")
        ->check(CLI::IsMember({"centred", "interval"}));
    cmp_cmd->add_option("--report", cmp.report_json, "also write the report as JSON to this file");
    std::string candidate_precision;
    cmp_cmd->add_option("--candidate-precision", candidate_precision,
                        "stepwise verdict (the default without --ulps/--bound): the candidate's precision, "
                        "float64 or float32 (default: float32 when a recorded .npy is float32)")
        ->check(CLI::IsMember({"float64", "float32"}));

    // derive
    DeriveOptions der;
    std::string der_precision = "40";
    CLI::App* der_cmd = app.add_subcommand("derive", "Evaluate the closed forms of docs/spec.md (E3-E29) with rigorous enclosures");
    der_cmd->add_option("--precision", der_precision, "'double' or decimal digits (default 40)");
    der_cmd->add_flag("--json", der.json, "one JSON object per line");
    std::map<std::string, std::string> der_inputs;
    for (const auto& [name, help] : derive_input_names())
        der_cmd->add_option("--" + name, der_inputs[name], help);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "quench-oracle: error: " << e.what() << "\n(run 'quench-oracle --help' or 'quench-oracle "
                  << "<command> --help')\n";
        return exit_bad_input;
    }

    if (run_cmd->parsed()) {
        run.precision = parse_precision(run_precision);
        run.enclosure = parse_enclosure_method(run_enclosure);
        if (run_cmd->count("--enclosure") && (!run.enclose || run.precision.is_double()))
            throw bad_input("--enclosure chooses how --enclose encloses the exact trajectory at --precision N "
                            "(digits); give --enclose and --precision N, or leave it out");
        return run_command(run);
    }
    if (cmp_cmd->parsed()) {
        cmp.precision = parse_precision(cmp_precision);
        cmp.enclosure = parse_enclosure_method(cmp_enclosure);
        if (ulps_text) cmp.tolerance.ulps = parse_ulps(*ulps_text);
        cmp.tolerance.core_double = bound == "core-double";
        cmp.tolerance.ulp_type = ulp_type == "float" ? UlpType::float32 : UlpType::float64;
        for (const std::string& spec : cand_npy) {
            const auto eq = spec.find('=');
            Quantity q;
            if (eq == std::string::npos || !parse_quantity(spec.substr(0, eq), q))
                throw bad_input("--candidate-npy: expected QUANTITY=FILE.npy with QUANTITY one of gt, st, var, Bstar, "
                                "eta, phi; got '" + spec + "'");
            cmp.candidate_npy.emplace_back(q, spec.substr(eq + 1));
        }
        if (!ulps_text && bound.empty()) {
            for (const char* flag : {"--precision", "--ulp-type", "--enclosure"})
                if (cmp_cmd->count(flag))
                    throw bad_input(std::string(flag) + " belongs to the whole-trajectory comparison (--ulps N or "
                                    "--bound core-double); the stepwise verdict, the default, does not use it");
            // The default: the stepwise verdict under the precision model (stepwise_model.hpp).
            StepwiseOptions sw{cmp.trace, cmp.gradients, cmp.candidate_jsonl, cmp.candidate_npy, std::nullopt,
                               cmp.report_json};
            if (!candidate_precision.empty())
                sw.precision = candidate_precision == "float32" ? stepwise::CandidatePrecision::float32
                                                                : stepwise::CandidatePrecision::float64;
            return stepwise_compare_command(sw);
        }
        if (!candidate_precision.empty())
            throw bad_input("--candidate-precision selects the stepwise verdict; it does not combine with --ulps or --bound");
        return compare_command(cmp);
    }
    der.precision = parse_precision(der_precision);
    for (const auto& [name, text] : der_inputs)
        if (der_cmd->count("--" + name)) der.inputs[name] = text;
    return derive_command(der);
}

}  // namespace

int main(int argc, char** argv) {
    quench::tools::reopen_closed_standard_descriptors();
    // A closed pipe is a write error like any other (exit 2, temporaries removed), not a
    // silent death by SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        const int status = main_checked(argc, argv);
        quench::tools::check_standard_output();  // the verdict and "-o -" must have been written
        return status;
    } catch (const bad_input& e) {
        std::cerr << "quench-oracle: error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "quench-oracle: error: " << e.what() << "\n";
    }
    return exit_bad_input;
}
