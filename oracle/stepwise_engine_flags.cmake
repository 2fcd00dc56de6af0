# The compile options of the stepwise engine's block loop (src/stepwise_engine.cpp), for
# every build that compiles it (the oracle here, the Python extension in python/): it
# vectorises only with them (checked with -fopt-info-vec). -fno-trapping-math lets g++ turn
# the model's selects into vector blends (else it will not evaluate a product the source
# evaluates under a condition); without jump threading, store sinking and partial
# redundancy elimination the block loop keeps its stores unconditional and its conditions
# lane-wise (those passes turn them into conditional stores and boolean selects that g++ 12
# cannot vectorise). None changes a value: only floating-point exception flags, which
# nothing reads, may differ, and -ffp-contract=off (quench::core) still keeps every product
# rounded (oracle.unit.StepwiseEngine.* checks the results bit for bit against check_step).
set(QUENCH_STEPWISE_ENGINE_OPTIONS -fno-trapping-math -fno-thread-jumps -fno-tree-sink -fno-tree-pre)
