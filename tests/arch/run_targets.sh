#!/usr/bin/env bash
# Checks generated code on other targets against the models' golden.json, through
# tfaot-validate (same comparison and tolerances as the corpus test), and prints a markdown
# table: model, target, runner, batch sizes, max abs error vs golden, result.
#   aarch64             cross-compiled (aarch64-linux-gnu-g++), static, run under qemu-aarch64
#   x86-64-v2           no AVX, run natively
#   dispatch            one object with x86-64-v2/v3/v4 variants and run-time selection, run
#                       under qemu-x86_64 -cpu Nehalem (SSE4.2 only: v2), SandyBridge (AVX
#                       without AVX2: v2), Haswell (AVX2+FMA: v3) and natively (v4 on a host
#                       with AVX-512, else v3 or v2); no CPU model QEMU 7.2 TCG emulates has
#                       AVX-512, so the v4 variant runs only natively
#   x86-64-v4           on a host with AVX-512 (avx512f, avx512bw, avx512cd, avx512dq and
#                       avx512vl in /proc/cpuinfo): run natively like x86-64-v2; elsewhere
#                       compiled only (tfaot-compile, CMS models; the objects must use zmm)
# and once: the v3 variant forced (TFAOT_FORCE_TARGET) under -cpu Nehalem must die of SIGILL,
# which shows that the dispatcher, not luck, keeps AVX code off CPUs without it, and so must
# the v4 variant forced under -cpu Haswell (it does use AVX-512).
# Usage: tests/arch/run_targets.sh BUILD_DIR [MODEL...]   (default: the six models below)
# ROWS="dispatch x86-64-v4" in the environment runs only those checks (any of aarch64,
# x86-64-v2, dispatch, x86-64-v4, forced; default: all).
# Needs aarch64-linux-gnu-g++ and qemu-user (Debian: g++-aarch64-linux-gnu qemu-user).
set -uo pipefail
BUILD="${1:?usage: run_targets.sh BUILD_DIR [MODEL...]}"
shift
MODELS_DIR="${TFAOT_SHARED_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}/models"
MODELS=("$@")
[[ ${#MODELS[@]} -eq 0 ]] && MODELS=(cms_tfaot_simple cms_tfaot_multi mlp_bank_churn cnn_mnist_tfnet lstm_music_genre
                                      transformer_hidro_mha)
ROWS="${ROWS:-aarch64 x86-64-v2 dispatch x86-64-v4 forced}"
want() { [[ " $ROWS " == *" $1 "* ]]; }
VALIDATE="$BUILD/tfaot-validate"
COMPILE="$BUILD/tfaot-compile"
for tool in aarch64-linux-gnu-g++ qemu-aarch64 qemu-x86_64; do
  command -v "$tool" >/dev/null || { echo "run_targets.sh: $tool not found (apt-get install g++-aarch64-linux-gnu qemu-user)"; exit 2; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TMPDIR="$WORK"  # programs of failed runs are kept there
failed=0
# x86-64-v4 (GCC's -march=x86-64-v4) is AVX-512 F, BW, CD, DQ and VL; the dispatcher selects
# the v4 variant when cpuid reports all of them.
avx512=1
for f in avx512f avx512bw avx512cd avx512dq avx512vl; do
  grep -qw "$f" /proc/cpuinfo 2>/dev/null || avx512=0
done
native_dispatch="native"
[[ $avx512 -eq 1 ]] && native_dispatch="native (AVX-512: v4)"

# Runs tfaot-validate; prints one table row per runner from its log.
check() {
  local model="$1" label="$2" log="$WORK/$1.${2//[^A-Za-z0-9.-]/_}.log"
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
  awk -v m="$model" -v t="$label" -v b="$batches" -v s="$secs" -v native="${NATIVE:-native}" '
    / max_abs / {
      r = native
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
  want aarch64 && check "$m" aarch64 --target aarch64 --runner qemu-aarch64
  want x86-64-v2 && check "$m" x86-64-v2 --target x86-64-v2
  want dispatch && NATIVE="$native_dispatch" check "$m" "x86-64-v2,v3,v4 dispatch" \
    --target x86-64-v2,x86-64-v3,x86-64-v4 \
    --runner "qemu-x86_64 -cpu Nehalem" --runner "qemu-x86_64 -cpu SandyBridge" --runner "qemu-x86_64 -cpu Haswell" \
    --runner ""
  want x86-64-v4 && [[ $avx512 -eq 1 ]] && check "$m" x86-64-v4 --target x86-64-v4
done

# x86-64-v4 without AVX-512: compiled only; the objects must use AVX-512 (zmm registers).
if want x86-64-v4 && [[ $avx512 -eq 0 ]]; then
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
fi
if [[ $avx512 -eq 0 ]] && { want x86-64-v4 || want dispatch; }; then
  echo
  echo "This CPU lacks AVX-512 (not all of avx512f/bw/cd/dq/vl in /proc/cpuinfo): x86-64-v4 is compiled only,"
  echo "and the dispatch object's v4 variant is built but not run (no CPU model of QEMU 7.2 TCG has AVX-512)."
fi

# A forced variant under a CPU without its instructions must die of SIGILL: v3 under Nehalem
# (no AVX), v4 under Haswell (no AVX-512). The first shows that the dispatcher, not luck, keeps
# AVX code off CPUs without it; the second that the v4 variant does use AVX-512.
forced() {
  local variant="$1" targets="$2" cpu="$3" log="$WORK/forced-$1.log"
  if TFAOT_FORCE_TARGET="$variant" "$VALIDATE" "$MODELS_DIR/cms_tfaot_simple" --target "$targets" \
    --runner "qemu-x86_64 -cpu $cpu" >"$log" 2>&1 || ! grep -q 'signal 4' "$log"; then
    echo "FAIL: the forced $variant variant did not die of SIGILL under -cpu $cpu:"
    tail -n 2 "$log"
    failed=$((failed + 1))
  else
    echo "forced $variant variant under qemu-x86_64 -cpu $cpu: killed by SIGILL, as expected"
  fi
}
if want forced; then
  echo
  forced x86-64-v3 x86-64-v2,x86-64-v3 Nehalem
  forced x86-64-v4 x86-64-v3,x86-64-v4 Haswell
fi
echo "$failed failed"
[[ $failed -eq 0 ]]
