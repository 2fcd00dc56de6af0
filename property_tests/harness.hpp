// property_tests/harness.hpp - how a property is run: its seed (fixed per property, so the
// test command is reproducible), its case count (10000 in the test command, more in long
// mode, fewer under sanitizers), the tally of decided and undecided verdicts it reports,
// and the expectation that RapidCheck *falsifies* a false claim (X4, X5, X8, X14).
//
// Verdicts: a claim is evaluated in interval arithmetic on the exactly representable
// generated inputs; it fails only when it is certainly violated. When the enclosure cannot
// decide, the case counts as undecided and is reported (see README.md, "Verdicts").
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>

namespace quench::props {

/// The outcome of one rigorous check.
enum class Verdict { holds, violated, undecided };

inline const char* to_string(Verdict v) {
    return v == Verdict::holds ? "holds" : v == Verdict::violated ? "VIOLATED" : "undecided";
}

/// Cases run by one property: how many, how many were undecided, how many did not meet
/// the claim's hypothesis (those are not counted as evidence either way).
struct Tally {
    long cases = 0;
    long undecided = 0;
    long hypothesis_unmet = 0;
    /// Identities (a == b) whose interval enclosures overlap but are not one point: not
    /// refuted, not proved (interval arithmetic cannot prove an identity that rounds).
    long consistent = 0;
    /// Cases where the high-precision reference itself threw, so nothing could be compared.
    long reference_threw = 0;
};

inline Tally*& current_tally() {
    static Tally* t = nullptr;
    return t;
}

/// Record one verdict in the running property's tally.
inline void record(Verdict v) {
    if (Tally* t = current_tally(); t != nullptr && v == Verdict::undecided) ++t->undecided;
}
inline void record_consistent() {
    if (Tally* t = current_tally(); t != nullptr) ++t->consistent;
}
inline void record_reference_exception() {
    if (Tally* t = current_tally(); t != nullptr) ++t->reference_threw;
}
inline void record_hypothesis_unmet() {
    if (Tally* t = current_tally(); t != nullptr) ++t->hypothesis_unmet;
}

/// Cases per property in the test command: 10000 by default (ten times the first suite's
/// 1000, which took about 3 s for the whole label); QUENCH_PROPERTY_LONG=1 multiplies by
/// 10 (=N, N > 1: by N); under sanitizers a tenth, at least 100 (ASan+UBSan run about 20
/// times slower).
inline int case_count(int base = 10000) {
    int n = base;
#if defined(QUENCH_PROPERTY_SANITIZE)
    n = base / 10 < 100 ? 100 : base / 10;
#endif
    if (const char* s = std::getenv("QUENCH_PROPERTY_LONG"); s != nullptr && *s != '\0') {
        const long m = std::strtol(s, nullptr, 10);
        n *= m > 1 ? static_cast<int>(m) : (m == 1 ? 10 : 1);
    }
    return n;
}

/// Does RC_PARAMS set `key` explicitly (a whitespace-separated `key=value` token)? Then it
/// wins over the per-property setting.
inline bool rc_params_has(const std::string& key) {
    const char* s = std::getenv("RC_PARAMS");
    if (s == nullptr) return false;
    std::istringstream tokens{std::string(s)};
    for (std::string token; tokens >> token;)
        if (token.rfind(key + "=", 0) == 0) return true;
    return false;
}

/// The seed of property `id` when RC_PARAMS names none: a fixed function of the id (64-bit
/// FNV-1a), so the test command runs the same cases every time (a red run is a regression,
/// not an unlucky draw) and a property's cases do not depend on which other tests run.
/// Random seeds are for the long campaign (scripts/property_campaign.sh, RC_PARAMS="seed=N").
inline std::uint64_t default_seed(const std::string& id) {
    std::uint64_t h = 14695981039346656037ull;
    for (const unsigned char c : id) h = (h ^ c) * 1099511628211ull;
    return h;
}

/// RapidCheck's parameters for property `id`: the global configuration (RC_PARAMS), with
/// `cases` successful cases and the property's seed unless RC_PARAMS sets them.
inline rc::detail::TestParams params_for(const std::string& id, int cases,
                                         std::optional<std::uint64_t> fixed_seed = std::nullopt) {
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    if (!rc_params_has("max_success")) params.maxSuccess = cases;
    if (!rc_params_has("seed")) params.seed = fixed_seed ? *fixed_seed : default_seed(id);
    return params;
}

/// The RC_PARAMS value that replays `failure` of property `id` run with `params`, built by
/// RapidCheck's own configToMinimalString (the format RC_PARAMS is parsed in).
inline std::string reproduce_line(const std::string& id, const rc::detail::TestParams& params,
                                  const rc::detail::FailureResult& failure) {
    rc::detail::Configuration replay;
    replay.testParams = params;
    replay.reproduce = {{id, failure.reproduce}};
    return rc::detail::configToMinimalString(replay);
}

/// Run `property` as RapidCheck property `id` ("Suite/Name", the key RC_PARAMS="reproduce=..."
/// uses) with `cases` successful cases. A failure prints the counterexample and the
/// RC_PARAMS line that replays it; a pass prints and records the tally.
template <class... Args>
void run_property(const std::string& id, void (*property)(Args...), int cases,
                  std::optional<std::uint64_t> fixed_seed = std::nullopt) {
    using namespace rc::detail;
    const TestParams params = params_for(id, cases, fixed_seed);
    TestMetadata metadata;
    metadata.id = id;
    metadata.description = id;
    Tally tally;
    current_tally() = &tally;
    auto counted = [property, &tally](Args... args) {
        ++tally.cases;
        property(std::forward<Args>(args)...);
    };
    const TestResult result = checkTestable(std::move(counted), metadata, params);
    current_tally() = nullptr;
    if (result.template is<SuccessResult>()) {
        const auto& success = result.template get<SuccessResult>();
        std::cout << "[property] " << id << ": " << success.numSuccess << " cases passed (seed "
                  << params.seed << "), "
                  << tally.undecided << " undecided, " << tally.consistent
                  << " identities consistent but not proved exactly, " << tally.hypothesis_unmet
                  << " outside the hypothesis, " << tally.reference_threw << " reference exceptions ("
                  << tally.cases << " evaluations)" << std::endl;
        ::testing::Test::RecordProperty("cases", success.numSuccess);
        ::testing::Test::RecordProperty("undecided", static_cast<int>(tally.undecided));
        ::testing::Test::RecordProperty("consistent", static_cast<int>(tally.consistent));
        ::testing::Test::RecordProperty("hypothesis_unmet", static_cast<int>(tally.hypothesis_unmet));
        ::testing::Test::RecordProperty("reference_exceptions", static_cast<int>(tally.reference_threw));
        if (!success.distribution.empty()) printResultMessage(result, std::cout);
        EXPECT_GE(success.numSuccess, params.maxSuccess);
    } else {
        std::ostringstream message;
        printResultMessage(result, message);
        if (result.template is<FailureResult>()) {
            message << "\nRe-run this counterexample with:\n  RC_PARAMS=\""
                    << reproduce_line(id, params, result.template get<FailureResult>())
                    << "\" <test binary> --gtest_filter=" << id.substr(0, id.find('/')) << '.'
                    << id.substr(id.find('/') + 1);
        }
        FAIL() << message.str();
    }
}

/// A listener that prints nothing: falsification searches are expected to fail.
class SilentListener : public rc::detail::TestListener {
public:
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

/// Run a property that states a FALSE claim and return RapidCheck's (shrunk) failure, or
/// nothing if no counterexample was found in `cases` cases. The caller asserts that one
/// was found and inspects it.
template <class Property>
std::optional<rc::detail::FailureResult> falsify(const std::string& id, Property&& property,
                                                 int cases) {
    using namespace rc::detail;
    TestParams params = params_for(id, cases);
    params.maxSuccess = cases;  // a search, not a replay: RC_PARAMS cannot shorten it
    TestMetadata metadata;
    metadata.id = id;
    metadata.description = id;
    SilentListener silent;
    const TestResult result =
        checkProperty(toProperty(std::forward<Property>(property)), metadata, params, silent);
    if (!result.template is<FailureResult>()) return std::nullopt;
    const auto& failure = result.template get<FailureResult>();
    std::cout << "[falsified] " << id << " (seed " << params.seed << ") after " << failure.numSuccess
              << " passing cases; shrunk counterexample:\n";
    for (const auto& [type, value] : failure.counterExample) std::cout << "  " << type << ": " << value << '\n';
    std::cout << "  reason: " << failure.description << std::endl;
    return failure;
}

}  // namespace quench::props

/// A RapidCheck property as a GoogleTest test, run with `cases` cases (see case_count).
#define QUENCH_PROPERTY(Suite, Name, Cases, ArgList)                                    \
    static void quench_property_##Suite##_##Name ArgList;                              \
    TEST(Suite, Name) {                                                                \
        ::quench::props::run_property(#Suite "/" #Name, &quench_property_##Suite##_##Name, \
                                      (Cases));                                        \
    }                                                                                  \
    static void quench_property_##Suite##_##Name ArgList

/// The same with a seed of its own instead of default_seed (statistical properties, E26:
/// the Monte Carlo seed is drawn from it).
#define QUENCH_PROPERTY_SEEDED(Suite, Name, Cases, Seed, ArgList)                       \
    static void quench_property_##Suite##_##Name ArgList;                              \
    TEST(Suite, Name) {                                                                \
        ::quench::props::run_property(#Suite "/" #Name, &quench_property_##Suite##_##Name, \
                                      (Cases), std::uint64_t{Seed});                   \
    }                                                                                  \
    static void quench_property_##Suite##_##Name ArgList
