#!/usr/bin/env bash
# Creates the Python environment of the `quench` package (python/) at a fixed path outside
# the checkout, so that repeated runs (and CI on the same machine) reuse it: pinned torch,
# JAX, NumPy, pytest, the build back-end and matplotlib (the Fashion-MNIST study's plots: one
# environment runs the package, its tests and examples/fashion_mnist), then
# `pip install ./python` into it.
# QUENCH_VENV overrides the path. Idempotent: the pinned packages are installed only when
# the environment lacks them; the package itself is rebuilt every time (it is the code
# under test). Needs the Debian packages of scripts/setup.sh (compiler, Boost, MPFR/MPFI,
# nlohmann-json, CLI11: the extension embeds the core and the oracle).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${QUENCH_VENV:-/opt/quench-venv}"
# torch must stay pinned: an open range fetches a multi-gigabyte CUDA build.
pins=(torch==2.13.0 jax==0.10.2 jaxlib==0.10.2 numpy==2.4.6 pytest==9.0.3
      pybind11==3.1.0 scikit-build-core==1.1.2 matplotlib==3.11.2)

python="${QUENCH_PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  echo "setup_python: creating $venv"
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" - "${pins[@]}" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    try:
        have = version(name)
    except PackageNotFoundError:
        sys.exit(1)
    if have.split("+")[0] != want:
        sys.exit(1)
PY
then
  echo "setup_python: installing ${pins[*]}"
  "$venv/bin/python" -m pip install -q "${pins[@]}"
fi
echo "setup_python: building and installing ./python into $venv"
"$venv/bin/python" -m pip install -q --no-build-isolation --no-deps ./python
