#!/usr/bin/env bash
# Creates the Fashion-MNIST study's Python environment (requirements.txt, pinned) at a fixed
# path outside the checkout, so that repeated runs reuse it. FMNIST_VENV overrides the path
# (default /opt/fmnist-venv). Idempotent: nothing is installed when the pins are already met.
# The quenching SGD methods also need the project's `quench` package in the same environment.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${FMNIST_VENV:-/opt/fmnist-venv}"
if [ ! -x "$venv/bin/python" ]; then
  echo "setup_venv: creating $venv"
  python3 -m venv "$venv"
fi
if "$venv/bin/python" - "$here/requirements.txt" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        if version(name).split("+")[0] != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
then
  echo "setup_venv: $venv has every pinned package"
else
  echo "setup_venv: installing $(grep -v '^#' "$here/requirements.txt" | tr '\n' ' ')into $venv"
  "$venv/bin/python" -m pip install -q -r "$here/requirements.txt"
fi
