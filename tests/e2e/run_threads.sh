#!/usr/bin/env bash
# Compiles examples/models/mlp with -fsanitize=thread in its cxxflags, builds
# tests/e2e/threads_main.cc with ThreadSanitizer against it and runs it: any data race (or a
# result differing from the single-threaded one) fails the test.
# Environment: TFAOT_COMPILE, TFAOT_SOURCE_DIR, WORK, CXX.
set -euo pipefail
CXX="${CXX:-c++}"
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
MLP="$TFAOT_SOURCE_DIR/examples/models/mlp"
cat >aot_config.yaml <<CFG
model:
  name: example_mlp
  version: "1.0.0"
  saved_model: $MLP
compilation:
  batch_sizes: [1, 2, 4]
  cxxflags: [-fsanitize=thread]
CFG
"$TFAOT_COMPILE" -q -c aot_config.yaml -o pkg
"$CXX" -std=c++17 -O1 -g -fsanitize=thread -I "$TFAOT_SOURCE_DIR/runtime/include" -I pkg/include \
  "$TFAOT_SOURCE_DIR/tests/e2e/threads_main.cc" pkg/lib/*.o -pthread -o threads_main
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" ./threads_main
