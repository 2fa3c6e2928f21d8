#!/usr/bin/env bash
# One command: install dependencies, build tfaot, and run the main job (compile the example
# model shipped in examples/models/mlp and run inference on it from C++).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TFAOT_BUILD_DIR:-$ROOT/build}"
bash "$ROOT/scripts/deps.sh"
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$(nproc)"
if [[ "${1:-}" != "--build-only" ]]; then
  bash "$ROOT/scripts/run_example.sh" "$BUILD"
fi
