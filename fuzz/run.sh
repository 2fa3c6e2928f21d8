#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 600) and prints one line per target:
# executions, coverage, crashes. Usage: fuzz/run.sh [SECONDS] [TARGET...]
# Builds build-fuzz/ with clang (-DTFAOT_FUZZ=ON: ASan+UBSan+libFuzzer). Seeds: the checked-in
# fuzz/corpus/<target>/ plus, when ../shared/models exists, real models packed into the
# target's input format. Crashes/timeouts (>1 s per input) go to fuzz/out/<target>/; turn each
# into a regression input under fuzz/regressions/<target>/ once fixed (CI replays them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(saved_model inliner graphdef checkpoint config batch_rule)
BUILD="$ROOT/build-fuzz"
CC=clang CXX=clang++ cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTFAOT_FUZZ=ON -DTFAOT_TESTS=OFF -DTFAOT_BENCHMARKS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target tfaot_fuzz_pack "${TARGETS[@]/#/fuzz_}"
PACK="$BUILD/fuzz/tfaot_fuzz_pack"
MODELS="$ROOT/../shared/models"
OUT="$ROOT/fuzz/out"

shared_seeds() {  # shared_seeds TARGET DIR: real models, packed; skipped when ../shared is absent
  local t="$1" dir="$2" m v
  [[ -d "$MODELS" ]] || return 0
  for m in "$MODELS"/*/ "$MODELS"/bad/*/; do
    v="$m/variables/variables"
    case "$t" in
      saved_model)
        [[ -f "$m/saved_model.pb" ]] || continue
        # Large checkpoints slow every execution down; the small models seed the variables.
        if [[ -f "$v.index" && $(stat -c %s "$v.data-00000-of-00001" 2>/dev/null || echo 0) -lt 2000000 ]]; then
          "$PACK" "$dir/$(basename "$m")" -0 "$m/saved_model.pb" "$v.index" "$v.data-00000-of-00001"
        else
          "$PACK" "$dir/$(basename "$m")" -0 "$m/saved_model.pb"
        fi ;;
      inliner)  # the graph only: the target brings its own checkpoint
        [[ -f "$m/saved_model.pb" ]] && "$PACK" "$dir/$(basename "$m")" -0 "$m/saved_model.pb" ;;
      graphdef)
        for g in "$m"/*.pb; do
          [[ -f "$g" && $(basename "$g") != saved_model.pb && $(basename "$g") != fingerprint.pb &&
             $(basename "$g") != keras_metadata.pb && $(stat -c %s "$g") -lt 4000000 ]] || continue
          "$PACK" "$dir/$(basename "$m")_$(basename "$g" .pb)" -0 "$g"
        done ;;
      checkpoint)
        [[ -f "$v.index" && $(stat -c %s "$v.data-00000-of-00001") -lt 2000000 ]] &&
          "$PACK" "$dir/$(basename "$m")" "$v.index" "$v.data-00000-of-00001" ;;
      config)
        [[ -f "$m/aot_config.yaml" ]] && { printf '\0'; cat "$m/aot_config.yaml"; } >"$dir/$(basename "$m")" ;;
    esac
  done
  return 0
}

# Seeds that alone take more than half the per-input timeout (real RNN models run their whole
# compile under ASan for seconds: work, not a hang) would be reported as timeouts before
# fuzzing starts; they move to slow_seeds/ and are listed. The small fixtures keep those paths.
drop_slow_seeds() {  # drop_slow_seeds TARGET WORKDIR
  local t="$1" work="$2" f ms
  mkdir -p "$work/slow_seeds"
  for f in "$work/corpus"/*; do
    [[ -f "$f" ]] || continue
    ms=$("$BUILD/fuzz/fuzz_$t" "$f" 2>&1 | grep -o 'in [0-9]* ms' | grep -o '[0-9]*' || echo 0)
    if ((ms > 500)); then
      mv "$f" "$work/slow_seeds/" && echo "  $t: seed $(basename "$f") takes ${ms} ms: not used"
    fi
  done
}

printf '%-12s %12s %8s %8s %s\n' target executions cov ft crashes
for t in "${TARGETS[@]}"; do
  work="$OUT/$t"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -n "$ROOT/fuzz/corpus/$t"/* "$work/corpus/" 2>/dev/null || true
  shared_seeds "$t" "$work/corpus"
  drop_slow_seeds "$t" "$work" >&2
  log="$work/fuzz.log"
  : >"$log"
  # -timeout=1: an input taking longer than 1 s is a hang; -rss_limit_mb: memory blow-ups.
  # libFuzzer stops at the first report. A timeout whose input replays in under half the
  # timeout three times was the machine's load, not a hang: it goes to slow/ and fuzzing
  # resumes for the rest of the time; any other report ends the target's run.
  start=$SECONDS execs=0 slow=0
  while ((SECONDS - start < SECONDS_PER_TARGET)); do
    (cd "$work" && "$BUILD/fuzz/fuzz_$t" corpus -max_total_time=$((SECONDS_PER_TARGET - (SECONDS - start))) \
       -timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix=artifacts/ -close_fd_mask=1 >>"$log" 2>&1) || true
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
    execs=$((execs + n))
    hang=$(find "$work/artifacts" -name 'timeout-*' | head -1)
    others=$(find "$work/artifacts" -type f ! -name 'timeout-*' | wc -l)
    [[ -n $hang && $others -eq 0 ]] || break
    worst=0
    for _ in 1 2 3; do
      ms=$("$BUILD/fuzz/fuzz_$t" "$hang" 2>&1 | grep -o 'in [0-9]* ms' | grep -o '[0-9]*' || echo 99999)
      ((ms > worst)) && worst=$ms
    done
    ((worst < 500)) || break  # a real hang: keep the artifact
    mkdir -p "$work/slow" && mv "$hang" "$work/slow/" && slow=$((slow + 1))
    echo "  $t: timeout under load, replays in ${worst} ms: $(basename "$hang") moved to slow/" >&2
  done
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  crashes=$(find "$work/artifacts" -type f | wc -l)
  printf '%-12s %12s %8s %8s %s (slow under load: %s)\n' "$t" "$execs" "$cov" "$ft" "$crashes" "$slow"
done
