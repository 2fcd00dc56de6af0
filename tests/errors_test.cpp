// The core's exceptions: every one is a quench::error (one catch block for all of them) and
// still the standard exception of its kind; and a check that passes builds no message (a
// closed form evaluated inside its domain allocates nothing).
#include "quench/quench.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
std::size_t heap_allocations = 0;
}  // namespace

// g++ 12 pairs the replaced operator delete with the built-in operator new where it inlines
// std::allocator (seen at -O1 under the sanitizers), and warns that free() meets a pointer
// from new: a false positive for replaced global allocation functions, which this counting
// needs.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Counting replacements of the global allocation functions (this test binary only).
void* operator new(std::size_t n) {
    ++heap_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

/// Throws each of the core's exceptions from the place that throws it.
void throw_invalid_hyperparameter() { quench::Hyperparameters<double>::from_smoothness(8.0, -1.0, 1); }
void throw_invalid_input() { quench::theory::optimal_batch(1.0, 0.0); }
void throw_overflow_error() { quench::theory::optimal_batch(1e200, 1e-200); }
void throw_zero_variance_error() {
    auto h = quench::Hyperparameters<double>::from_smoothness(8.0, 1.0, 1);
    h.options.eta_max.reset();  // a zero variance after warm-up is then an error (X9)
    quench::State<double> s(1, h);
    std::vector<double> g{1.0}, phi{0.0};
    quench::step<double>(s, h, g, phi);  // warm-up
    quench::step<double>(s, h, g, phi);  // the same gradient again: var = 0
}

template <class Standard, class Quench>
void expect_kinds(void (*thrower)(), const char* name) {
    std::string as_error, as_standard;
    try {
        thrower();
        ADD_FAILURE() << name << " was not thrown";
    } catch (const quench::error& e) {
        as_error = e.what();
        EXPECT_NE(dynamic_cast<const Quench*>(&e), nullptr) << name;
    }
    try {
        thrower();
    } catch (const Standard& e) {
        as_standard = e.what();
    }
    EXPECT_FALSE(as_error.empty()) << name;
    EXPECT_EQ(as_error, as_standard) << name;
}

TEST(Errors, EveryExceptionIsAQuenchErrorAndItsStandardKind) {
    expect_kinds<std::invalid_argument, quench::invalid_hyperparameter>(throw_invalid_hyperparameter,
                                                                         "invalid_hyperparameter");
    expect_kinds<std::domain_error, quench::invalid_input>(throw_invalid_input, "invalid_input");
    expect_kinds<std::overflow_error, quench::overflow_error>(throw_overflow_error, "overflow_error");
    expect_kinds<std::domain_error, quench::zero_variance_error>(throw_zero_variance_error,
                                                                  "zero_variance_error");
    // catch (const std::exception&) stays unambiguous (quench::error is not a second one).
    try {
        throw_invalid_input();
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("optimal_batch"), std::string::npos) << e.what();
    }
}

TEST(Errors, PassingChecksBuildNoMessage) {
    namespace qt = quench::theory;
    double sink = 0;
    const std::size_t before = heap_allocations;
    for (int i = 1; i <= 100; ++i) {
        const double x = i;
        sink += qt::optimal_batch(x, 2.0) + qt::rate_at_batch(64.0, 1.0, 0.5, x) +
                qt::concentration_bound(x, 0.05, 16.0) + qt::linear_scaled_rate(8.0, 1.0, x, 2.0) +
                qt::vector_progress_bound(x, 1.0, 4.0, 2.0, 0.1) + qt::descent_bound(1.0, x, 3.0);
    }
    EXPECT_EQ(heap_allocations - before, 0u) << "a closed form allocated inside its domain";
    EXPECT_GT(sink, 0);
    // The counter is live: a failing check does allocate its message.
    const std::size_t failing = heap_allocations;
    EXPECT_THROW(qt::optimal_batch(1.0, 0.0), quench::invalid_input);
    EXPECT_GT(heap_allocations, failing);
}

}  // namespace
