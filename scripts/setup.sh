#!/usr/bin/env bash
# One command: install dependencies, build tfaot, install it (the tools on PATH, CMS's command
# names cms_tfaot_compile and cmsml_check_aot_compatibility, the runtime headers, the Python
# module cms_tfaot), and run the main job (compile the example model shipped in
# examples/models/mlp and run inference on it from C++).
#   TFAOT_BUILD_DIR  build tree (default: build)
#   TFAOT_PREFIX     install prefix (default: /usr/local if writable, else ~/.local)
#   --build-only     build, but neither install nor run the example
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TFAOT_BUILD_DIR:-$ROOT/build}"
bash "$ROOT/scripts/deps.sh"
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$(nproc)"
[[ "${1:-}" == "--build-only" ]] && exit 0

PREFIX="${TFAOT_PREFIX:-}"
if [[ -z $PREFIX ]]; then
  if [[ -w /usr/local ]]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
fi
cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
bash "$ROOT/scripts/install_python_path.sh" "$PREFIX"
echo "tfaot: installed into $PREFIX (tools in $PREFIX/bin)"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "tfaot: add $PREFIX/bin to PATH" ;; esac
bash "$ROOT/scripts/run_example.sh" "$BUILD"
