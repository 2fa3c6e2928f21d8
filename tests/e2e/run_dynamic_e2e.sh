#!/usr/bin/env bash
# End-to-end tests of the dynamic-batch entry and of multi-target objects on models in this
# repository (registered by dynamic.cmake; no shared corpus needed).
# Usage: run_dynamic_e2e.sh MODE   with environment TFAOT_COMPILE, TFAOT_SOURCE_DIR, WORK, CXX.
# Modes: mlp | cnn | blocked | refused | targets
set -u -o pipefail
CXX="${CXX:-c++}"
SRC="$TFAOT_SOURCE_DIR"
FX="$SRC/tests/e2e/fixtures"
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

die() { echo "FAIL: $*" >&2; exit 1; }

# build_check PKG MODEL -> ./check_PKG (tests/e2e/dynamic_main.cc against the package)
build_check() {
  local pkg=$1 model=$2 tool="tfaot-model-${2//_/-}"
  "$CXX" -std=c++17 -O1 -Wall -Wextra -Werror -I "$SRC/runtime/include" -I "$pkg/include" \
    "-DTFAOT_E2E_HEADER=\"$tool/model.h\"" "-DTFAOT_E2E_MODEL=tfaot_model::$model" \
    "$SRC/tests/e2e/dynamic_main.cc" "$pkg"/lib/*.o -o "check_$pkg" || die "building check_$pkg failed"
}

# frozen_config FILE NAME GRAPH INPUT_SHAPE [extra compilation lines]
frozen_config() {
  printf 'model:\n  name: %s\n  graph: %s\n  inputs: [x]\n  outputs: [y]\ncompilation:\n  batch_sizes: [1, 3, 16]\n  input_shapes: {x: %s}\n%s\n' \
    "$2" "$3" "$4" "${5:-}" >"$1"
}

case "$1" in
  mlp)
    "$TFAOT_COMPILE" -q -c "$SRC/examples/models/mlp/aot_config.yaml" -o mlp --batch-sizes 1,3,16 ||
      die "tfaot-compile failed"
    [[ -f mlp/lib/example_mlp_dyn.o && -f mlp/include/tfaot-model-example-mlp/example_mlp_dyn.h ]] ||
      die "no dynamic-batch entry in the package"
    grep -q example_mlp_dyn.o mlp/lib/pkgconfig/tfaot-model-example-mlp.pc || die "pkg-config lacks example_mlp_dyn.o"
    build_check mlp example_mlp
    ./check_mlp || die "dynamic entry differs"
    ;;
  cnn)
    frozen_config cnn.yaml small_cnn "$FX/small_cnn.pbtxt" "[B, 6, 6, 2]" "  dynamic_batch: true"
    "$TFAOT_COMPILE" -q -c cnn.yaml -o cnn || die "tfaot-compile failed"
    build_check cnn small_cnn
    ./check_cnn || die "dynamic entry differs"
    ;;
  blocked)
    # compilation.block_rows: 4 runs the configured size 16 as four blocks of 4 rows (block code
    # shared with the dynamic entry); it must give the unblocked code's results bit for bit
    # (same kernels per row), and scratch of one block.
    frozen_config blk.yaml small_cnn "$FX/small_cnn.pbtxt" "[B, 6, 6, 2]" "  dynamic_batch: true
  block_rows: 4"
    frozen_config plain.yaml small_cnn "$FX/small_cnn.pbtxt" "[B, 6, 6, 2]" "  dynamic_batch: true
  block_rows: 0"
    log=$("$TFAOT_COMPILE" -c blk.yaml -o blk 2>&1) || die "tfaot-compile (blocks) failed: $log"
    [[ $log == *"[batch size 16] runs as blocks of 4 rows"* ]] || die "batch size 16 not run as blocks: $log"
    [[ $log != *"[batch size 3] runs as blocks"* ]] || die "batch size 3 run as blocks"
    "$TFAOT_COMPILE" -q -c plain.yaml -o plain || die "tfaot-compile (no blocks) failed"
    grep -q "scratch_bytes = $(grep -o 'scratch_bytes = [0-9]*' blk/include/tfaot-model-small-cnn/small_cnn_dyn.h | grep -o '[0-9]*');" \
      blk/include/tfaot-model-small-cnn/small_cnn_bs16.h || die "blocked batch size 16 does not declare one block's scratch"
    build_check blk small_cnn
    build_check plain small_cnn
    ./check_blk --dump blk.bin || die "blocked package"
    ./check_plain --dump plain.bin || die "plain package"
    cmp blk.bin plain.bin || die "blocks differ from the unblocked code"
    ;;
  refused)
    frozen_config auto.yaml batch_mean "$FX/batch_mean.pbtxt" "[B, 4]"
    err=$("$TFAOT_COMPILE" -q -c auto.yaml -o auto 2>&1 >/dev/null) || die "auto: tfaot-compile failed: $err"
    [[ $err == *"note: no dynamic-batch entry"*"node 'mean' (Mean)"* ]] || die "auto: no clear note: $err"
    [[ -f auto/lib/batch_mean_bs3.o && ! -e auto/lib/batch_mean_dyn.o ]] || die "auto: wrong package contents"
    grep -q "has_dynamic_batch = false" auto/include/tfaot-model-batch-mean/model.h || die "auto: model.h"
    frozen_config on.yaml batch_mean "$FX/batch_mean.pbtxt" "[B, 4]" "  dynamic_batch: true"
    err=$("$TFAOT_COMPILE" -q -c on.yaml -o on 2>&1 >/dev/null) && die "dynamic_batch: true accepted"
    [[ $err == *"not batch-separable"*"mean"* && ! -e on ]] || die "dynamic_batch: true: bad error: $err"
    echo "ok: $err"
    ;;
  targets)
    # The same model for x86-64-v2, x86-64-v3 and both (dispatch): forcing a variant must give
    # the single-target package's results bit for bit; without forcing, the best one runs.
    for t in x86-64-v2 x86-64-v3 x86-64-v2,x86-64-v3; do
      d=t_${t//[-,]/_}
      "$TFAOT_COMPILE" -q -c "$SRC/examples/models/mlp/aot_config.yaml" -o "$d" --batch-sizes 1,3 --target "$t" ||
        die "tfaot-compile --target $t failed"
      build_check "$d" example_mlp
    done
    both=t_x86_64_v2_x86_64_v3
    nm "$both/lib/example_mlp_bs1.o" | grep -q "example_mlp_bs1__x86_64_v3" || die "no v3 variant in the object"
    nm "$both/lib/example_mlp_bs1.o" | grep -q "example_mlp_bs1__x86_64_v2" || die "no v2 variant in the object"
    "./check_t_x86_64_v2" --dump v2.bin >/dev/null || die "v2 package"
    "./check_t_x86_64_v3" --dump v3.bin >/dev/null || die "v3 package"
    TFAOT_FORCE_TARGET=x86-64-v2 "./check_$both" --dump forced_v2.bin || die "dispatch forced to v2"
    TFAOT_FORCE_TARGET=x86-64-v3 "./check_$both" --dump forced_v3.bin || die "dispatch forced to v3"
    cmp v2.bin forced_v2.bin || die "forced v2 differs from the v2 package"
    cmp v3.bin forced_v3.bin || die "forced v3 differs from the v3 package"
    if grep -q avx2 /proc/cpuinfo && grep -q fma /proc/cpuinfo; then
      "./check_$both" --dump auto.bin >/dev/null && cmp v3.bin auto.bin || die "dispatch did not pick v3 on an AVX2 CPU"
    fi
    ;;
  *)
    die "unknown mode $1"
    ;;
esac
echo "PASS: $1"
