#!/usr/bin/env bash
# Installs every Debian package quench needs. Idempotent: packages already present are
# skipped without touching the network. Runs as root, or through sudo otherwise.
set -euo pipefail

packages=(
  # build
  g++ clang cmake ninja-build pkg-config
  # core and tests
  libboost-dev libgmp-dev libmpfr-dev libmpfi-dev
  libgtest-dev librapidcheck-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev
  # the oracle's tests: golden generator and the numpy example (Debian's /usr/bin/python3)
  python3-numpy
  # the Python package (python/): a virtual environment and the headers its extension needs
  # (scripts/setup_python.sh installs the pinned PyPI packages into it)
  python3-venv python3-dev
  # proofs
  coq libcoq-coquelicot libcoq-interval libcoq-flocq gappa libcoq-gappa
  # examples (the digits data is gzip) and the paper
  zlib1g-dev latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra
  texlive-fonts-recommended texlive-pictures
  # the Fashion-MNIST study (examples/fashion_mnist): 60000 + 10000 images, IDX, gzip
  dataset-fashion-mnist
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "setup: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}"
