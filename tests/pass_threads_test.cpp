// The threaded step (d >= 2^18, quench/pass_threads.hpp): no allocation per step,
// the same results whoever runs a range (concurrent callers fall back to running their whole
// pass), and a child process after fork() steps without the parent's workers.
#include "quench/quench.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <thread>
#include <vector>

namespace {

std::atomic<long> allocations{0};

}  // namespace

// g++ 12 pairs the replaced operator delete with the built-in operator new where it inlines
// std::allocator, and warns that free() meets a pointer from new: a false positive for
// replaced global allocation functions, which are this file's whole point.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Every allocation of this test binary is counted (the test reads the count around steps).
void* operator new(std::size_t n) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

constexpr std::size_t large_d = std::size_t(1) << 19;  // above parallel_threshold

struct Trajectory {
    quench::Hyperparameters<double> h = quench::Hyperparameters<double>::from_smoothness(32.0, 1.0, 1);
    quench::State<double> state;
    std::vector<double> phi;
    std::vector<std::vector<double>> gradients;
    explicit Trajectory(std::uint64_t seed) : state(large_d, h), phi(large_d, 0.0) {
        std::mt19937_64 engine(seed);
        std::uniform_real_distribution<double> u(-1, 1);
        for (int k = 0; k < 4; ++k) {
            gradients.emplace_back(large_d);
            for (double& g : gradients.back()) g = u(engine);
        }
    }
    void steps(int n) {
        for (int k = 0; k < n; ++k) quench::step<double>(state, h, gradients[k % 4], phi);
    }
};

TEST(PassThreads, ALargeStepAllocatesNothing) {
    Trajectory run(1);
    run.steps(2);  // warm-up, and the workers start
    const long before = allocations.load();
    run.steps(3);
    EXPECT_EQ(allocations.load() - before, 0) << "threads: " << quench::detail::max_step_threads()
                                              << ", workers: " << quench::detail::PassThreads::instance().workers();
}

TEST(PassThreads, ConcurrentCallersGetTheSequentialResults) {
    constexpr int callers = 4, steps = 5;
    std::vector<Trajectory> reference, concurrent;
    for (int c = 0; c < callers; ++c) {
        reference.emplace_back(10 + c);
        concurrent.emplace_back(10 + c);
    }
    for (auto& r : reference) r.steps(steps);  // one after the other
    std::vector<std::thread> threads;
    for (auto& r : concurrent) threads.emplace_back([&r] { r.steps(steps); });
    for (auto& t : threads) t.join();
    for (int c = 0; c < callers; ++c) {
        EXPECT_EQ(concurrent[c].phi, reference[c].phi) << "caller " << c;
        EXPECT_EQ(concurrent[c].state.weight, reference[c].state.weight) << "caller " << c;
        EXPECT_EQ(concurrent[c].state.mean, reference[c].state.mean) << "caller " << c;
    }
}

TEST(PassThreads, AChildProcessStepsWithoutTheParentsWorkers) {
    Trajectory parent(3), child_reference(4);
    parent.steps(2);            // the pool exists in this process
    child_reference.steps(3);   // what the child must compute
    const pid_t pid = fork();
    ASSERT_NE(pid, -1);
    if (pid == 0) {
        alarm(30);  // a deadlock (waiting for workers that fork did not copy) fails, not hangs
        Trajectory child(4);
        child.steps(3);
        _exit(child.phi == child_reference.phi ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "the child was killed (signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << ")";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "the child's results differ";
}

}  // namespace
