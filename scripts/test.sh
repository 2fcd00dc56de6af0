#!/usr/bin/env bash
# The project's test command: installs what it needs, builds every target in the default
# preset, runs every test (unit, property, proofs, examples, benchmark smoke tests), then
# builds and runs the C++ tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

cmake --preset default
cmake --build --preset default -j "$jobs"
ctest --preset default -j "$jobs"

cmake --preset asan
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"
