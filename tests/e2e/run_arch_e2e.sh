#!/usr/bin/env bash
# Second-architecture smoke test on models in this repository (registered by arch.cmake; the
# full check on the shared corpus is tests/arch/run_targets.sh, docs/targets.md):
#  1. tfaot-validate --reference on the small CNN fixture, generated code cross-compiled for
#     aarch64 and run under qemu-aarch64 (batch 1 and 3);
#  2. the package of tfaot-compile --target aarch64 (dynamic-batch entry included) linked with
#     tfaot::Model by the cross compiler, run under qemu-aarch64 (tests/e2e/dynamic_main.cc);
#  3. a dispatch object (x86-64-v2,x86-64-v3) under qemu-x86_64 -cpu Nehalem (v2 path) and
#     Haswell (v3 path), and the v3 variant forced under Nehalem must die of SIGILL;
#  4. x86-64-v4 (AVX-512; no CPU model of QEMU 7.2 TCG has it), only on a host whose
#     /proc/cpuinfo has avx512f/bw/cd/dq/vl, else skipped with a message: tfaot-validate
#     --reference --target x86-64-v4 run natively, and an x86-64-v3,x86-64-v4 dispatch object
#     run natively (selects v4); on any host the v4 variant forced under Haswell must die of
#     SIGILL (it does use AVX-512).
# Skips (77) without aarch64-linux-gnu-g++ or qemu-user (Debian: g++-aarch64-linux-gnu qemu-user).
# Environment: TFAOT_VALIDATE, TFAOT_COMPILE, TFAOT_SOURCE_DIR, WORK.
set -u -o pipefail
for tool in aarch64-linux-gnu-g++ qemu-aarch64 qemu-x86_64; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool not found: second-architecture test skipped (apt-get install g++-aarch64-linux-gnu qemu-user)"
    exit 77
  fi
done
SRC="$TFAOT_SOURCE_DIR"
rm -rf "$WORK" && mkdir -p "$WORK/tmp" && cd "$WORK" || exit 1
export TMPDIR="$WORK/tmp"  # programs of failed runs are kept there
die() { echo "FAIL: $*" >&2; exit 1; }

printf 'model:\n  name: small_cnn\n  graph: %s\n  inputs: [x]\n  outputs: [y]\ncompilation:\n  batch_sizes: [1, 3]\n  input_shapes: {x: [B, 6, 6, 2]}\n  dynamic_batch: true\n' \
  "$SRC/tests/e2e/fixtures/small_cnn.pbtxt" >cnn.yaml

# 1. Generated code on aarch64 vs the reference interpreter.
"$TFAOT_VALIDATE" -c cnn.yaml --reference --target aarch64 --runner qemu-aarch64 >validate_aarch64.log 2>&1 ||
  { cat validate_aarch64.log; die "aarch64 code differs from the reference interpreter"; }
grep -q '\[qemu-aarch64\].*PASS' validate_aarch64.log || die "no aarch64 result in: $(cat validate_aarch64.log)"

# 2. The compiled package for aarch64, through the runtime API.
"$TFAOT_COMPILE" -q -c cnn.yaml -o pkg --target aarch64 || die "tfaot-compile --target aarch64 failed"
readelf -h pkg/lib/small_cnn_bs1.o | grep -q 'AArch64' || die "small_cnn_bs1.o is not an aarch64 object"
aarch64-linux-gnu-g++ -std=c++17 -O1 -static -I "$SRC/runtime/include" -I pkg/include \
  '-DTFAOT_E2E_HEADER="tfaot-model-small-cnn/model.h"' -DTFAOT_E2E_MODEL=tfaot_model::small_cnn \
  "$SRC/tests/e2e/dynamic_main.cc" pkg/lib/*.o -o check_aarch64 || die "cross-building the runtime check failed"
qemu-aarch64 ./check_aarch64 || die "the aarch64 package differs (dynamic entry vs static code) under qemu-aarch64"

# 3. Run-time dispatch: every fallback computes the same, and the dispatcher is what keeps AVX
# code off a CPU without it.
"$TFAOT_VALIDATE" -c cnn.yaml --reference --target x86-64-v2,x86-64-v3 \
  --runner "qemu-x86_64 -cpu Nehalem" --runner "qemu-x86_64 -cpu Haswell" --batch-sizes 3 >validate_dispatch.log 2>&1 ||
  { cat validate_dispatch.log; die "a dispatch variant differs from the reference interpreter"; }
[[ $(grep -c 'PASS' validate_dispatch.log) -eq 2 ]] || die "expected two runs in: $(cat validate_dispatch.log)"
if TFAOT_FORCE_TARGET=x86-64-v3 "$TFAOT_VALIDATE" -c cnn.yaml --reference --target x86-64-v2,x86-64-v3 \
  --runner "qemu-x86_64 -cpu Nehalem" --batch-sizes 1 >forced.log 2>&1; then
  die "the x86-64-v3 variant ran under -cpu Nehalem (no AVX): the emulated CPU or the variant is wrong"
fi
grep -q 'signal 4' forced.log || die "forced x86-64-v3 under Nehalem failed, but not with SIGILL: $(cat forced.log)"

# 4. x86-64-v4: natively where the CPU has AVX-512.
if TFAOT_FORCE_TARGET=x86-64-v4 "$TFAOT_VALIDATE" -c cnn.yaml --reference --target x86-64-v3,x86-64-v4 \
  --runner "qemu-x86_64 -cpu Haswell" --batch-sizes 1 >forced_v4.log 2>&1; then
  die "the x86-64-v4 variant ran under -cpu Haswell (no AVX-512): the emulated CPU or the variant is wrong"
fi
grep -q 'signal 4' forced_v4.log || die "forced x86-64-v4 under Haswell failed, but not with SIGILL: $(cat forced_v4.log)"
avx512=1
for f in avx512f avx512bw avx512cd avx512dq avx512vl; do grep -qw "$f" /proc/cpuinfo || avx512=0; done
if [[ $avx512 -eq 1 ]]; then
  "$TFAOT_VALIDATE" -c cnn.yaml --reference --target x86-64-v4 >validate_v4.log 2>&1 ||
    { cat validate_v4.log; die "x86-64-v4 code differs from the reference interpreter"; }
  [[ $(grep -c 'PASS' validate_v4.log) -eq 2 ]] || die "expected two x86-64-v4 results in: $(cat validate_v4.log)"
  "$TFAOT_VALIDATE" -c cnn.yaml --reference --target x86-64-v3,x86-64-v4 --runner "" --batch-sizes 3 \
    >validate_dispatch_v4.log 2>&1 ||
    { cat validate_dispatch_v4.log; die "the natively run dispatch object (v4 variant) differs from the reference interpreter"; }
  grep -q 'PASS' validate_dispatch_v4.log || die "no native dispatch result in: $(cat validate_dispatch_v4.log)"
  v4_logs="validate_v4.log validate_dispatch_v4.log"
else
  echo "x86-64-v4 not run natively: this CPU lacks AVX-512 (not all of avx512f/bw/cd/dq/vl in /proc/cpuinfo)"
  v4_logs=""
fi
cat validate_aarch64.log validate_dispatch.log $v4_logs
echo "PASS"
