#!/usr/bin/env bash
# Runs every test: a normal build and an AddressSanitizer+UndefinedBehaviorSanitizer build.
# Tests that need ../shared/models skip with a message when it is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="$(nproc)"
bash "$ROOT/scripts/deps.sh"

run_tree() {
  local dir="$1"; shift
  cmake -G Ninja -S "$ROOT" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
  ctest --test-dir "$dir" --output-on-failure -j "$JOBS" --timeout 900
}

echo "== tfaot tests: sanitizer build (ASan+UBSan) =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_tree "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug -DTFAOT_SANITIZE=ON -DTFAOT_BENCHMARKS=OFF
echo "== tfaot tests: release build =="
run_tree "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
