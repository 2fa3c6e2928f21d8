#!/usr/bin/env bash
# Checks generated code on other targets against the models' golden.json, through
# tfaot-validate (same comparison and tolerances as the corpus test), and prints a markdown
# table: model, target, runner, batch sizes, max abs error vs golden, result.
#   aarch64             cross-compiled (aarch64-linux-gnu-g++), static, run under qemu-aarch64
#   x86-64-v2           no AVX, run natively
#   dispatch            one object with x86-64-v2/v3/v4 variants and run-time selection, run
#                       under qemu-x86_64 -cpu Nehalem (SSE4.2 only: v2), SandyBridge (AVX
#                       without AVX2: v2), Haswell (AVX2+FMA: v3) and natively; no CPU model
#                       QEMU 7.2 TCG emulates has AVX-512, so the v4 variant is built, never run
#   x86-64-v4           compiled only (tfaot-compile, CMS models; needs an AVX-512 machine to run)
# and once: the v3 variant forced (TFAOT_FORCE_TARGET) under -cpu Nehalem must die of SIGILL,
# which shows that the dispatcher, not luck, keeps AVX code off CPUs without it.
# Usage: tests/arch/run_targets.sh BUILD_DIR [MODEL...]   (default: the six models below)
# Needs aarch64-linux-gnu-g++ and qemu-user (Debian: g++-aarch64-linux-gnu qemu-user).
set -uo pipefail
BUILD="${1:?usage: run_targets.sh BUILD_DIR [MODEL...]}"
shift
MODELS_DIR="${TFAOT_SHARED_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}/models"
MODELS=("$@")
[[ ${#MODELS[@]} -eq 0 ]] && MODELS=(cms_tfaot_simple cms_tfaot_multi mlp_bank_churn cnn_mnist_tfnet lstm_music_genre
                                      transformer_hidro_mha)
VALIDATE="$BUILD/tfaot-validate"
COMPILE="$BUILD/tfaot-compile"
for tool in aarch64-linux-gnu-g++ qemu-aarch64 qemu-x86_64; do
  command -v "$tool" >/dev/null || { echo "run_targets.sh: $tool not found (apt-get install g++-aarch64-linux-gnu qemu-user)"; exit 2; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TMPDIR="$WORK"  # programs of failed runs are kept there
failed=0

# Runs tfaot-validate; prints one table row per runner from its log.
check() {
  local model="$1" label="$2" log="$WORK/$1.$2.log"
  shift 2
  local start=$SECONDS
  "$VALIDATE" "$MODELS_DIR/$model" "$@" >"$log" 2>&1
  local rc=$? secs=$((SECONDS - start))
  local batches
  batches=$(grep -o 'batch *[0-9]* *compiled' "$log" | awk '{ printf "%s%s", sep, $2; sep = "," }')
  if ! grep -q 'max_abs' "$log"; then
    echo "| $model | $label | | | | FAIL: $(tail -n 1 "$log") |"
    failed=$((failed + 1))
    return
  fi
  # Rows are "batch N KEY [RUNNER]  max_abs X ..." (no brackets without a runner).
  awk -v m="$model" -v t="$label" -v b="$batches" -v s="$secs" '
    / max_abs / {
      r = "native"
      if (match($0, /\[[^]]*\]/)) r = substr($0, RSTART + 1, RLENGTH - 2)
      for (i = 1; i <= NF; ++i) if ($i == "max_abs") v = $(i + 1) + 0
      if (!(r in max) || v > max[r]) max[r] = v
      if ($0 ~ / FAIL/) bad[r] = 1
      if (!(r in seen)) { seen[r] = 1; order[n++] = r }
    }
    END {
      for (i = 0; i < n; ++i) {
        r = order[i]
        printf "| %s | %s | %s | %s | %.2e | %s |\n", m, t, r, b, max[r], (r in bad) ? "FAIL" : "PASS (" s " s)"
      }
    }' "$log"
  [[ $rc -eq 0 ]] || failed=$((failed + 1))
}

echo "| model | target | runner | batch sizes | max abs error vs golden | result |"
echo "|---|---|---|---|---|---|"
for m in "${MODELS[@]}"; do
  check "$m" aarch64 --target aarch64 --runner qemu-aarch64
  check "$m" x86-64-v2 --target x86-64-v2
  check "$m" "x86-64-v2,v3,v4 dispatch" --target x86-64-v2,x86-64-v3,x86-64-v4 \
    --runner "qemu-x86_64 -cpu Nehalem" --runner "qemu-x86_64 -cpu SandyBridge" --runner "qemu-x86_64 -cpu Haswell" \
    --runner ""
done

# x86-64-v4: compiled only; the objects must use AVX-512 (zmm registers).
for m in cms_tfaot_simple cms_tfaot_multi; do
  if "$COMPILE" -c "$MODELS_DIR/$m/aot_config.yaml" -o "$WORK/$m-v4" --target x86-64-v4 >"$WORK/$m-v4.log" 2>&1; then
    zmm=$(objdump -d "$WORK/$m-v4"/lib/*_bs*.o | grep -c zmm)
    sizes=$(grep -o 'batch_sizes: *\[[^]]*\]' "$MODELS_DIR/$m/aot_config.yaml" | tr -d '[] ' | cut -d: -f2)
    echo "| $m | x86-64-v4 | (compiled only) | $sizes | - | $([[ $zmm -gt 0 ]] && echo "compiled, $zmm zmm instructions" || echo "FAIL: no zmm") |"
    [[ $zmm -gt 0 ]] || failed=$((failed + 1))
  else
    echo "| $m | x86-64-v4 | (compiled only) | | | FAIL: $(tail -n 1 "$WORK/$m-v4.log") |"
    failed=$((failed + 1))
  fi
done

# The v3 variant forced under a CPU without AVX must die of SIGILL.
if TFAOT_FORCE_TARGET=x86-64-v3 "$VALIDATE" "$MODELS_DIR/cms_tfaot_simple" --target x86-64-v2,x86-64-v3 \
  --runner "qemu-x86_64 -cpu Nehalem" >"$WORK/forced.log" 2>&1 || ! grep -q 'signal 4' "$WORK/forced.log"; then
  echo "FAIL: the forced x86-64-v3 variant did not die of SIGILL under -cpu Nehalem:"
  tail -n 2 "$WORK/forced.log"
  failed=$((failed + 1))
else
  echo
  echo "forced x86-64-v3 variant under qemu-x86_64 -cpu Nehalem: killed by SIGILL, as expected"
fi
echo "$failed failed"
[[ $failed -eq 0 ]]
