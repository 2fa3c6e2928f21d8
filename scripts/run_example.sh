#!/usr/bin/env bash
# Compiles the example model with tfaot-compile and runs examples/run_example.cc on it.
# Usage: scripts/run_example.sh [BUILD_DIR] [MODEL_DIR] [BATCH_SIZE]
#   BUILD_DIR   where tfaot-compile was built (default: build)
#   MODEL_DIR   a directory with aot_config.yaml, or a SavedModel (default: examples/models/mlp)
#   BATCH_SIZE  entries to run (default: 3, which is stitched from compiled sizes and padded)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
model_dir=$(cd "${2:-$root/examples/models/mlp}" && pwd)
batch=${3:-3}
compile="$build/tfaot-compile"
[[ -x $compile ]] || { echo "run_example.sh: $compile not found; build tfaot first" >&2; exit 1; }

work="$build/example"
mkdir -p "$work"
config="$model_dir/aot_config.yaml"
if [[ ! -f $config ]]; then
  # A SavedModel without a config: compile it as model 'mlp' for batch sizes 1, 2, 4.
  config="$work/aot_config.yaml"
  printf 'model:\n  name: mlp\n  version: "1.0.0"\n  saved_model: %s\ncompilation:\n  batch_sizes: [1, 2, 4]\n' \
    "$model_dir" >"$config"
fi
name=$(sed -n 's/^  name: *"\{0,1\}\([A-Za-z0-9_]*\).*/\1/p' "$config" | head -1)
tool="tfaot-model-${name//_/-}"
ns=$(sed -n 's/^  namespace: *"\{0,1\}\([A-Za-z0-9_:]*\).*/\1/p' "$config" | head -1)
ns=${ns:-tfaot_model}

echo "== tfaot-compile -c $config -o $work/$name"
"$compile" -c "$config" -o "$work/$name"

echo "== building run_example against $work/$name"
"${CXX:-c++}" -std=c++17 -O2 -I "$root/runtime/include" -I "$work/$name/include" \
  "-DTFAOT_EXAMPLE_HEADER=\"$tool/model.h\"" "-DTFAOT_EXAMPLE_MODEL=$ns::$name" \
  "$root/examples/run_example.cc" "$work/$name"/lib/*.o -o "$work/run_example"

echo "== $work/run_example $batch"
"$work/run_example" "$batch"
