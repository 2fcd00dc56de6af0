// cli.cpp - the command line of quench-oracle (README.md: usage, formats, exit statuses).
//   quench-oracle run TRACE [-o OUT.jsonl] [--npy-dir DIR] [--precision double|N] [--enclose]
//   quench-oracle compare TRACE (--candidate C.jsonl | --candidate-npy Q=FILE...) [--ulps N]
//                         [--bound core-double] [--precision N] [--report R.json]
//   quench-oracle derive [--precision double|N] [--sigma S --g G --L L --B B ...]
#include "compare.hpp"
#include "derive.hpp"
#include "oracle_error.hpp"
#include "reference_run.hpp"
#include "run_command.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

using namespace quench::oracle;

int main_checked(int argc, char** argv) {
    CLI::App app{"quench-oracle: the reference implementation of quenching SGD (docs/spec.md E15-E20) as an oracle "
                 "for other implementations.\nExit status: 0 success/agreement, 1 disagreement, 2 bad input, "
                 "3 compare without a tolerance (no verdict)."};
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

    // compare
    CompareOptions cmp;
    std::string cmp_precision = "40";
    std::vector<std::string> cand_npy;
    std::optional<double> ulps;
    std::string bound, ulp_type = "double";
    CLI::App* cmp_cmd = app.add_subcommand("compare", "Judge a candidate trajectory against the reference");
    cmp_cmd->add_option("trace", cmp.trace, "trace file")->required();
    cmp_cmd->add_option("--gradients", cmp.gradients, "(steps, d) .npy of gradients (overrides the header's)");
    cmp_cmd->add_option("--candidate", cmp.candidate_jsonl, "candidate trajectory, JSON Lines");
    cmp_cmd->add_option("--candidate-npy", cand_npy, "candidate quantity as QUANTITY=FILE.npy, shape (steps, d); repeatable")
        ->delimiter(',');
    cmp_cmd->add_option("--precision", cmp_precision, "decimal digits of the MPFI reference (default 40)");
    cmp_cmd->add_option("--ulps", ulps, "accept values within the exact enclosure widened by N ulps")
        ->check(CLI::NonNegativeNumber);
    cmp_cmd->add_option("--bound", bound, "core-double: accept the core's rigorous double-interval enclosure")
        ->check(CLI::IsMember({"core-double"}));
    cmp_cmd->add_option("--ulp-type", ulp_type, "unit of the ulp errors and of --ulps: double (default) or float")
        ->check(CLI::IsMember({"double", "float"}));
    cmp_cmd->add_option("--report", cmp.report_json, "also write the report as JSON to this file");

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
        return run_command(run);
    }
    if (cmp_cmd->parsed()) {
        cmp.precision = parse_precision(cmp_precision);
        cmp.tolerance.ulps = ulps;
        if (ulps && !std::isfinite(*ulps)) throw bad_input("--ulps must be finite");
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
        return compare_command(cmp);
    }
    der.precision = parse_precision(der_precision);
    for (const auto& [name, text] : der_inputs)
        if (der_cmd->count("--" + name)) der.inputs[name] = text;
    return derive_command(der);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return main_checked(argc, argv);
    } catch (const bad_input& e) {
        std::cerr << "quench-oracle: error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "quench-oracle: error: " << e.what() << "\n";
    }
    return exit_bad_input;
}
