#!/usr/bin/env bash
# Installs tfaot's build and test dependencies from Debian 12 packages (idempotent).
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config bc
  libprotobuf-dev protobuf-compiler
  libleveldb-dev libsnappy-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  graphviz
  python3 python3-yaml
  g++-aarch64-linux-gnu qemu-user
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "tfaot: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
