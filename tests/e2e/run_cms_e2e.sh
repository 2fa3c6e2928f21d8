#!/usr/bin/env bash
# End-to-end tests of tfaot-compile / tfaot-check on the CMS models (registered by cms.cmake).
# Usage: run_cms_e2e.sh MODE [ARGS]   with environment:
#   TFAOT_COMPILE, TFAOT_CHECK  the CLIs;  TFAOT_SOURCE_DIR  the source tree;
#   TFAOT_SHARED_DIR  ../shared (models);  WORK  a scratch directory for this test;  CXX.
# Modes: golden ID | interface | two_models | negative | check | reproducible
# Exit 77 (skipped) when the shared model corpus is absent.
set -u -o pipefail

MODELS="$TFAOT_SHARED_DIR/models"
if [[ ! -d "$MODELS/cms_tfaot_simple" ]]; then
  echo "SKIP: $MODELS not found (shared model corpus absent)"
  exit 77
fi
CXX="${CXX:-c++}"
RUNTIME_INC="$TFAOT_SOURCE_DIR/runtime/include"
E2E_SRC="$TFAOT_SOURCE_DIR/tests/e2e"
source "$E2E_SRC/cmssw_flags.sh"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

die() { echo "FAIL: $*" >&2; exit 1; }

# compile ID OUT [extra tfaot-compile args...]
compile() {
  local id=$1 out=$2
  shift 2
  "$TFAOT_COMPILE" -q -c "$MODELS/$id/aot_config.yaml" -o "$out" "$@" || die "tfaot-compile failed for $id"
}

# build PROGRAM SOURCE PACKAGE_DIR... [-- extra flags]  (with CMSSW's release flags)
build() {
  local prog=$1 src=$2
  shift 2
  local incs=() objs=() extra=()
  while [[ $# -gt 0 && $1 != -- ]]; do incs+=(-I "$1/include"); objs+=("$1"/lib/*.o); shift; done
  [[ $# -gt 0 ]] && shift && extra=("$@")
  # CMSSW's release flags (tests/e2e/cmssw_flags.sh), warnings as errors; -O1 where the test
  # only runs the program (OPT), -O3 as CMSSW for the interface test.
  "$CXX" -std=c++20 "${CMSSW_CXXFLAGS[@]}" ${OPT:-} -Werror -I "$RUNTIME_INC" "${incs[@]}" "$src" "${objs[@]}" \
    "${extra[@]}" -o "$prog" || die "building $prog failed"
}

mode=$1
case "$mode" in
  golden)
    id=$2
    compile "$id" pkg --batch-sizes 1,2,4
    name=$(sed -n 's/^  name: *\([A-Za-z0-9_]*\).*/\1/p' "$MODELS/$id/aot_config.yaml" | head -1)
    tool="tfaot-model-${name//_/-}"
    [[ -f pkg/include/$tool/model.h ]] || die "pkg/include/$tool/model.h missing"
    OPT=-O1 build golden_main "$E2E_SRC/golden_main.cc" pkg -- \
      "-DTFAOT_E2E_HEADER=\"$tool/model.h\"" "-DTFAOT_E2E_MODEL=tfaot_model::$name"
    ./golden_main "$MODELS/$id/golden.json" || die "$id does not match its golden outputs"
    ;;
  interface)
    compile cms_tfaot_simple simple
    compile cms_tfaot_multi multi
    build interface_test "$E2E_SRC/interface_test.cc" simple multi -- -lgtest -lgtest_main -pthread
    ./interface_test || die "interface test failed"
    ;;
  two_models)
    compile cms_tfaot_simple simple --batch-sizes 1,2
    compile cms_tfaot_simple_perturbed perturbed --batch-sizes 1,2
    OPT=-O1 build two_models "$E2E_SRC/two_models_main.cc" simple perturbed
    ./two_models "$MODELS/cms_tfaot_simple/golden.json" "$MODELS/cms_tfaot_simple_perturbed/golden.json" ||
      die "two models in one binary failed"
    # The CMake package and pkg-config file must work too (relocated: the package is moved).
    mv simple moved_simple
    pc=$(PKG_CONFIG_PATH="$WORK/moved_simple/lib/pkgconfig" pkg-config --cflags --libs tfaot-model-simple) ||
      die "pkg-config failed"
    [[ $pc == *"simple_weights.o"* ]] || die "pkg-config lacks the weights object: $pc"
    for w in $pc; do
      [[ $w == -I* ]] && w=${w#-I}
      [[ -e $w ]] || die "pkg-config path $w does not exist after moving the package"
    done
    # CMake: find_package + the imported target in a tiny project.
    if command -v cmake >/dev/null; then
      mkdir -p cm && cat >cm/CMakeLists.txt <<CM
cmake_minimum_required(VERSION 3.16)
project(uses_tfaot_model CXX)
find_package(tfaot-model-simple 1.0 REQUIRED CONFIG PATHS "$WORK/moved_simple" NO_DEFAULT_PATH)
add_executable(app main.cc)
target_link_libraries(app PRIVATE tfaot::model-simple)
CM
      cat >cm/main.cc <<'SRC'
#include "tfaot-model-simple/model.h"
#include <cstdio>
int main() {
  alignas(64) float x[4] = {0.5f, -1.f, 0.25f, 2.f}, y[2] = {0, 0};
  alignas(64) static unsigned char scratch[tfaot_model::simple::max_scratch_bytes + 64];
  const void* in[] = {x};
  void* out[] = {y};
  if (!tfaot_model::simple::run(1, in, out, scratch)) return 1;
  std::printf("%g %g\n", y[0], y[1]);
  return y[0] + y[1] > 0.999f && y[0] + y[1] < 1.001f ? 0 : 1;
}
SRC
      { cmake -S cm -B cm/build && cmake --build cm/build; } >cm/log 2>&1 ||
        die "CMake package use failed: $(tail -5 cm/log)"
      cm/build/app || die "CMake-built program gives wrong results"
    fi
    ;;
  check)
    out=$("$TFAOT_CHECK" "$MODELS/cms_tfaot_multi") || die "tfaot-check failed on cms_tfaot_multi: $out"
    grep -q "cpu: all ops compatible" <<<"$out" || die "unexpected tfaot-check output: $out"
    grep -q "| MatMul" <<<"$out" || die "tfaot-check does not list MatMul: $out"
    out=$("$TFAOT_CHECK" --table) || die "tfaot-check --table failed"
    grep -q "| Identity " <<<"$out" || die "--table does not list Identity"
    out=$("$TFAOT_CHECK" "$E2E_SRC/fixtures/unsupported_op.pbtxt" --input x --output det)
    [[ $? -eq 1 ]] || die "tfaot-check should exit 1 on an unsupported op: $out"
    grep -q "MatrixDeterminant.*NO" <<<"$out" || die "tfaot-check output lacks 'MatrixDeterminant NO': $out"
    grep -q "used by: det" <<<"$out" || die "tfaot-check does not name node det: $out"
    ;;
  reproducible)
    # Different output directories, working directories, temporary directories and times; with
    # batch rules compiled in (each run names its own copy of the file).
    printf '# tuned\n5:2,2,1\n3:2,1\n' >rules.txt
    compile cms_tfaot_multi a --batch-sizes 1,2 --batch-rules rules.txt
    sleep 1
    mkdir -p elsewhere/tmp && cp rules.txt elsewhere/ &&
      (cd elsewhere && TMPDIR="$WORK/elsewhere/tmp" compile cms_tfaot_multi ../b --batch-sizes 1,2 --batch-rules rules.txt)
    diff -r a b >/dev/null || die "two compilations differ"
    grep -q '^      "5:2,2,1",$' a/include/tfaot-model-multi/model.h || die "model.h lacks the compiled-in batch rules"
    grep -rq "$WORK" a && die "output contains the absolute build path"
    # Recompiling into an existing output replaces it.
    compile cms_tfaot_multi a --batch-sizes 4
    [[ -f a/lib/multi_bs4.o && ! -e a/lib/multi_bs1.o ]] || die "existing output was not replaced"
    # A directory tfaot did not write is never replaced (issue 18).
    mkdir -p mine && echo data >mine/thesis.tex
    if "$TFAOT_COMPILE" -q -c "$MODELS/cms_tfaot_multi/aot_config.yaml" -o mine --batch-sizes 4 2>mine.err; then
      die "compiled over a directory of the user's files"
    fi
    grep -q "is not a package tfaot wrote" mine.err || die "no clear error for a foreign output directory: $(cat mine.err)"
    [[ "$(cat mine/thesis.tex)" == data && $(ls -A mine | wc -l) -eq 1 ]] || die "the user's directory was changed"
    ;;
  negative)
    fx="$E2E_SRC/fixtures"
    # expect_error NAME EXPECTED_SUBSTRING tfaot-compile-args...
    expect_error() {
      local name=$1 want=$2
      shift 2
      local out="$WORK/out_$name"
      local err
      err=$("$TFAOT_COMPILE" -q "$@" -o "$out" 2>&1 >/dev/null)
      local rc=$?
      [[ $rc -ne 0 ]] || die "$name: tfaot-compile succeeded"
      [[ $(grep -c . <<<"$err") -eq 1 ]] || die "$name: expected one line on stderr, got: $err"
      [[ $err == "tfaot-compile: error: "* ]] || die "$name: bad error prefix: $err"
      [[ $err == *"$want"* ]] || die "$name: error does not mention '$want': $err"
      [[ ! -e $out ]] || die "$name: output directory left behind"
      compgen -G "$WORK/.out_$name.tfaot-*" >/dev/null && die "$name: temporary directory left behind"
      echo "ok: $name: $err"
    }
    mkcfg() {  # mkcfg FILE MODEL_LINES COMPILATION_LINES
      printf 'model:\n  name: neg\n%s\ncompilation:\n%s\n' "$2" "$3" >"$1"
    }
    expect_error missing_config "nope.yaml" -c "$WORK/nope.yaml"
    mkcfg missing_sm.yaml "  saved_model: ./does_not_exist" "  batch_sizes: [1]"
    expect_error missing_saved_model "model.saved_model" -c missing_sm.yaml
    mkcfg bad_type.yaml "  saved_model: $MODELS/cms_tfaot_simple" "  batch_sizes: one"
    expect_error bad_key_type "compilation.batch_sizes must be a list of positive integers" -c bad_type.yaml
    mkcfg bad_key.yaml "  saved_model: $MODELS/cms_tfaot_simple
  serving_key: no_such_signature" "  batch_sizes: [1]"
    expect_error unknown_serving_key "no_such_signature" -c bad_key.yaml
    mkcfg unsupported.yaml "  graph: $fx/unsupported_op.pbtxt
  inputs: [x]
  outputs: [det]" "  batch_sizes: [1]"
    expect_error unsupported_op "MatrixDeterminant" -c unsupported.yaml
    mkcfg dynamic.yaml "  graph: $fx/dynamic_inner_dim.pbtxt
  inputs: [x]
  outputs: [y]" "  batch_sizes: [1]"
    expect_error dynamic_inner_dim "input_shapes" -c dynamic.yaml
    # ... and with input_shapes given, the same graph compiles.
    mkcfg dynamic_ok.yaml "  graph: $fx/dynamic_inner_dim.pbtxt
  inputs: [x]
  outputs: [y]" "  batch_sizes: [1]
  input_shapes: {x: [B, 3]}"
    "$TFAOT_COMPILE" -q -c dynamic_ok.yaml -o dyn_ok || die "dynamic_ok: compile with input_shapes failed"
    grep -q "input_shape_0\[\] = {1, 3}" dyn_ok/include/tfaot-model-neg/neg_bs1.h || die "dynamic_ok: wrong shape"
    # A failing recompilation leaves the previous output untouched.
    mkcfg bad_target.yaml "  saved_model: $MODELS/cms_tfaot_simple" "  batch_sizes: [1]
  target: no-such-cpu"
    err=$("$TFAOT_COMPILE" -q -c bad_target.yaml -o dyn_ok 2>&1) && die "bad target accepted"
    [[ $err == *"compilation.target"* ]] || die "bad target error: $err"
    [[ -f dyn_ok/include/tfaot-model-neg/neg_bs1.h ]] || die "failed compile damaged the old output"
    ;;
  *)
    die "unknown mode $mode"
    ;;
esac
echo "PASS: $mode ${2:-}"
