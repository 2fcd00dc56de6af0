// quench/pass_threads.hpp - the worker threads that split a large pass (d >= 2^18) over the
// cores, kept for the life of the process.
//
// Why not a std::thread per range and step: each start allocates (the thread's state) and
// costs tens of microseconds, twice per step (the input check and the pass); the issue asks
// for no allocation per step. The workers are started once, at the first threaded pass, and
// wait on a condition variable between passes; a pass hands them a type-erased range
// function and waits until every one has finished. Nothing is allocated per pass.
//
// One pass at a time: a second thread calling step() while the workers are busy runs its
// whole pass itself (no waiting, no deadlock). In a child process after fork() the workers
// do not exist, so the child runs every pass on its calling thread. The workers are never
// stopped: the pool is deliberately leaked, so that a step() from a static destructor still
// finds it (the process's exit ends the waiting threads).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>

#if defined(__unix__)
#include <pthread.h>
#endif

#include "quench/no_contract.hpp"

QUENCH_NO_CONTRACT_BEGIN  // every definition below: see quench/no_contract.hpp
namespace quench::detail {

class PassThreads {
public:
    /// The most threads a pass uses (the caller and up to max_threads - 1 workers).
    static constexpr unsigned max_threads = 64;

    /// The threads a pass may use: the hardware's count, at most max_threads; QUENCH_THREADS
    /// in the environment sets the most (1: never use a worker).
    static unsigned wanted_threads() {
        static const unsigned n = [] {
            unsigned hw = std::thread::hardware_concurrency();
            if (hw == 0) hw = 1;
            if (const char* env = std::getenv("QUENCH_THREADS")) {
                const long v = std::strtol(env, nullptr, 10);
                if (v >= 1) hw = std::min<unsigned>(hw, static_cast<unsigned>(v));
            }
            return std::min(hw, max_threads);
        }();
        return n;
    }

    /// The process's pool, started at the first call with wanted_threads() - 1 workers.
    static PassThreads& instance() {
        static PassThreads* const pool = new PassThreads(wanted_threads() - 1);  // never deleted
        return *pool;
    }

    /// body(begin, end) -> bool on [0, d) in `threads` contiguous ranges starting on
    /// 64-coordinate boundaries (no two threads write one cache line): the caller takes the
    /// first, the workers the others. Returns the OR of the results. With fewer workers than
    /// asked, or while another pass holds them, or after fork(), the caller runs every
    /// range itself, in order (the results do not depend on who runs a range).
    template <class Body>
    bool run(std::size_t d, unsigned threads, const Body& body) {
        threads = std::min(threads, max_threads);
        const std::size_t chunk = ((d + threads - 1) / threads + 63) / 64 * 64;
        std::unique_lock<std::mutex> pass(pass_, std::try_to_lock);
        if (!pass || threads - 1 > started_ || forked().load(std::memory_order_relaxed)) {
            bool any = false;
            for (unsigned t = 0; t < threads; ++t)
                any |= body(std::min(d, t * chunk), std::min(d, t * chunk + chunk));
            return any;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            task_ = &body;
            invoke_ = [](const void* f, std::size_t b, std::size_t e) {
                return (*static_cast<const Body*>(f))(b, e);
            };
            d_ = d;
            chunk_ = chunk;
            active_ = threads - 1;
            pending_ = threads - 1;
            ++generation_;
        }
        start_.notify_all();
        bool any;
        try {
            any = body(0, std::min(d, chunk));
        } catch (...) {  // the workers still use body: let them finish before it goes
            wait_for_workers();
            throw;
        }
        wait_for_workers();
        std::lock_guard<std::mutex> lock(mutex_);
        for (unsigned t = 1; t < threads; ++t) any |= result_[t] != 0;
        return any;
    }

    /// Workers started (may be fewer than asked if the system refused a thread).
    unsigned workers() const { return started_; }

private:
    explicit PassThreads(unsigned workers) {
#if defined(__unix__)
        pthread_atfork(nullptr, nullptr, [] { forked().store(true, std::memory_order_relaxed); });
#endif
        for (unsigned t = 1; t <= workers; ++t) {
            try {
                std::thread(&PassThreads::work, this, t).detach();
                ++started_;
            } catch (...) {  // no thread to be had: passes use the ones that started
                break;
            }
        }
    }

    void wait_for_workers() {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return pending_ == 0; });
    }

    /// Worker t (1-based) runs range t of every pass that has more than t threads.
    void work(unsigned t) {
        std::uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            start_.wait(lock, [&] { return generation_ != seen; });
            seen = generation_;
            if (t > active_) continue;
            const void* task = task_;
            bool (*invoke)(const void*, std::size_t, std::size_t) = invoke_;
            const std::size_t b = std::min(d_, t * chunk_), e = std::min(d_, t * chunk_ + chunk_);
            lock.unlock();
            const bool r = invoke(task, b, e);
            lock.lock();
            result_[t] = r ? 1 : 0;
            if (--pending_ == 0) done_.notify_one();
        }
    }

    static std::atomic<bool>& forked() {
        static std::atomic<bool> flag{false};
        return flag;
    }

    std::mutex pass_;   // held by the caller for a whole pass: one pass at a time
    std::mutex mutex_;  // guards everything below
    std::condition_variable start_, done_;
    std::uint64_t generation_ = 0;
    const void* task_ = nullptr;
    bool (*invoke_)(const void*, std::size_t, std::size_t) = nullptr;
    std::size_t d_ = 0, chunk_ = 0;
    unsigned active_ = 0, pending_ = 0, started_ = 0;
    std::array<char, max_threads> result_{};
};

}  // namespace quench::detail

QUENCH_NO_CONTRACT_END
