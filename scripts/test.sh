#!/usr/bin/env bash
# The project's test command: installs what it needs, builds every target in the default
# preset, runs every test (unit, property, proofs, examples, benchmark smoke tests), then
# runs the Python package's tests and the Fashion-MNIST study's (pytest; the study's smoke
# run trains on 2000 images for one epoch), then
# builds and runs the C++ tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup_python.sh
jobs=$(nproc)

cmake --preset default
cmake --build --preset default -j "$jobs"
ctest --preset default -j "$jobs"

# The Python package's tests (python/tests) and the Fashion-MNIST study's
# (examples/fashion_mnist/tests), in the environment setup_python.sh made.
# pytest exits 5 when it collected nothing, which fails here like any other failure.
"${QUENCH_VENV:-/opt/quench-venv}/bin/python" -m pytest -q -p no:cacheprovider python/tests
"${QUENCH_VENV:-/opt/quench-venv}/bin/python" -m pytest -q -p no:cacheprovider examples/fashion_mnist/tests

cmake --preset asan
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"
