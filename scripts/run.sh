#!/usr/bin/env bash
# The project's main job: installs what it needs, builds in the release preset and runs the
# demonstration (quenching SGD on a noisy quadratic). Arguments go to quench-demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target quench-demo
exec build-release/examples/quench-demo "$@"
