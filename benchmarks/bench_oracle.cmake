# bench_oracle: steps per second of `quench-oracle run` at double and 50 digits,
# without and with --enclose, timed in process through the oracle's library. Included by
# benchmarks/CMakeLists.txt; joins quench_benchmarks (so it gets its smoke test) only when
# the oracle is part of the build.
if(TARGET quench_oracle_lib)
  add_executable(bench_oracle bench_oracle.cpp)
  target_link_libraries(bench_oracle PRIVATE quench_oracle_lib benchmark::benchmark quench_warnings)
  list(APPEND quench_benchmarks bench_oracle)
endif()

# bench_stepwise: the stepwise verdict's cost per coordinate-step against the core's double
# step, in the same run.
if(TARGET quench_oracle_lib)
  add_executable(bench_stepwise bench_stepwise.cpp)
  target_link_libraries(bench_stepwise PRIVATE quench_oracle_lib benchmark::benchmark quench_warnings)
  list(APPEND quench_benchmarks bench_stepwise)
endif()
