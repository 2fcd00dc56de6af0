#!/usr/bin/env bash
# The project's main job: installs what it needs, builds in the release preset and
# reproduces the slides' derivations numerically (examples/reproduce): a Markdown report,
# CSV data and SVG plots in ./quench-report, a summary on the terminal. Arguments go to
# quench-reproduce (--quick, --out DIR, --seed N, --trials N).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup_python.sh  # `import quench` in /opt/quench-venv (README: Python)
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target quench-reproduce
exec build-release/examples/reproduce/quench-reproduce "$@"
