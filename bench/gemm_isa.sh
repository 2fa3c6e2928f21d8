#!/usr/bin/env bash
# GFLOP/s of the packed GEMM's tiles per ISA: runs every gemm_bench binary of the build that
# this CPU can execute (gemm_bench = native, gemm_bench_<march>), pinned to one core, and
# prints one Markdown table, a column per binary (median of the repetitions).
# Usage: bench/gemm_isa.sh [BINARY...]   (default: $TFAOT_BUILD_DIR/bench/gemm_bench*)
# Environment: TFAOT_BUILD_DIR (default build), GEMM_BENCH_CPU (core to pin, default 1),
# GEMM_BENCH_REPS (default 5), GEMM_BENCH_FILTER (a --benchmark_filter regex).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TFAOT_BUILD_DIR:-$ROOT/build}"
CPU="${GEMM_BENCH_CPU:-1}"
REPS="${GEMM_BENCH_REPS:-5}"
FILTER="${GEMM_BENCH_FILTER:-.}"
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
      --benchmark_report_aggregates_only=true --benchmark_format=csv >"$OUT/$name.csv" 2>"$OUT/$name.err"; then
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
python3 - "$OUT" "${cols[@]}" <<'PY'
import csv, sys, os
out, cols = sys.argv[1], sys.argv[2:]
table, order = {}, []
for c in cols:
    with open(os.path.join(out, c + ".csv")) as f:
        lines = f.read().splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("name,"))
    for row in csv.DictReader(lines[start:]):
        if not row["name"].endswith("_median"):
            continue
        name = row["name"][: -len("_median")]
        if name not in table:
            table[name] = {}
            order.append(name)
        table[name][c] = float(row["GFLOP/s"]) / 1e9
print("| benchmark (GFLOP/s, median) | " + " | ".join(cols) + " |")
print("|---" + "|---:" * len(cols) + "|")
for n in order:
    print(f"| {n} | " + " | ".join(f"{table[n][c]:.1f}" if c in table[n] else "" for c in cols) + " |")
PY
