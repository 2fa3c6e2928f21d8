#!/usr/bin/env bash
# GFLOP/s of the packed GEMM's tiles per ISA: runs every gemm_bench binary of the build that
# this CPU can execute (gemm_bench = native, gemm_bench_<march>), pinned to one core, and
# prints one Markdown table, a column per binary: the median of the repetitions, or with
# GEMM_BENCH_STAT=max the best one (steadier on a shared host: noise only slows a run down).
# Usage: bench/gemm_isa.sh [BINARY...]   (default: $TFAOT_BUILD_DIR/bench/gemm_bench*)
# Environment: TFAOT_BUILD_DIR (default build), GEMM_BENCH_CPU (core to pin, default 1),
# GEMM_BENCH_REPS (default 5), GEMM_BENCH_FILTER (a --benchmark_filter regex).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TFAOT_BUILD_DIR:-$ROOT/build}"
CPU="${GEMM_BENCH_CPU:-1}"
REPS="${GEMM_BENCH_REPS:-5}"
FILTER="${GEMM_BENCH_FILTER:-.}"
STAT="${GEMM_BENCH_STAT:-median}"
[[ "$STAT" == median || "$STAT" == max ]] || { echo "gemm_isa.sh: GEMM_BENCH_STAT is median or max" >&2; exit 2; }
if (($# == 0)); then
  set -- "$BUILD"/bench/gemm_bench "$BUILD"/bench/gemm_bench_*
fi
PIN=()
command -v taskset >/dev/null && taskset -c "$CPU" true 2>/dev/null && PIN=(taskset -c "$CPU")
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cols=()
for bin in "$@"; do
  [[ -x "$bin" ]] || { echo "gemm_isa.sh: $bin is not an executable" >&2; exit 2; }
  name="$(basename "$bin")"
  while [[ -e "$OUT/$name.csv" ]]; do name="$name'"; done  # the same binary twice: A/B/A runs
  if ! "${PIN[@]}" "$bin" --benchmark_filter="$FILTER" --benchmark_repetitions="$REPS" \
      --benchmark_format=csv >"$OUT/$name.csv" 2>"$OUT/$name.err"; then
    echo "gemm_isa.sh: $bin failed:" >&2; cat "$OUT/$name.err" >&2; exit 1
  fi
  if grep -q '^gemm_bench: skipped' "$OUT/$name.csv"; then
    echo "$name: $(cat "$OUT/$name.csv")" >&2
    continue
  fi
  cols+=("$name")
done
echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'),"\
  "AVX-512: $(grep -o 'avx512[a-z]*' /proc/cpuinfo | sort -u | tr '\n' ' ' | sed 's/ $//;s/^$/none/')"
python3 - "$OUT" "$STAT" "${cols[@]}" <<'PY'
import csv, sys, os, statistics
out, stat, cols = sys.argv[1], sys.argv[2], sys.argv[3:]
table, order = {}, []
for c in cols:
    with open(os.path.join(out, c + ".csv")) as f:
        lines = f.read().splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("name,"))
    runs = {}
    for row in csv.DictReader(lines[start:]):
        if row["name"].endswith(("_mean", "_median", "_stddev", "_cv")):
            continue
        if row["name"] not in table:
            table[row["name"]] = {}
            order.append(row["name"])
        runs.setdefault(row["name"], []).append(float(row["GFLOP/s"]) / 1e9)
    for name, v in runs.items():
        table[name][c] = max(v) if stat == "max" else statistics.median(v)
print(f"| benchmark (GFLOP/s, {stat} of the repetitions) | " + " | ".join(cols) + " |")
print("|---" + "|---:" * len(cols) + "|")
for n in order:
    print(f"| {n} | " + " | ".join(f"{table[n][c]:.1f}" if c in table[n] else "" for c in cols) + " |")
PY
