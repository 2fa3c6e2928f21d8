#!/usr/bin/env bash
# Tests of the Python package cms_tfaot and CMS's test models (registered by cms_python.cmake).
# Usage: run_cms_python.sh MODE   with environment:
#   TFAOT_BUILD_DIR  the build tree (cmake --install source);  TFAOT_BINARIES  its binaries;
#   TFAOT_SOURCE_DIR  the source tree;  TFAOT_MAKE_CMS_TEST_MODELS  the models' generator;
#   TFAOT_PY_SITE_PACKAGES  cms_tfaot's site-packages relative to an install prefix;
#   WORK  a scratch directory for this test.
# Modes:
#   aot_tools  install the build tree to a prefix, then tests/e2e/aot_tools_test.py (the checks of
#              CMSSW's testAOTTools.py) with only PATH and PYTHONPATH pointing at it; the installed
#              package finds the binaries without PATH and reports the project's version
#   unit       tests/e2e/cms_tfaot_unit_test.py on the source tree's package
#   models     the committed test models are byte for byte what the generator writes
#   validate   both test models compile (cms_tfaot_compile, both layouts) and the generated code
#              matches the reference interpreter (tfaot-validate --reference)
# The Python modes exit 77 (skipped) without /usr/bin/python3 or PyYAML.
set -u -o pipefail

SRC="$TFAOT_SOURCE_DIR"
BIN="$TFAOT_BINARIES"
PY=/usr/bin/python3
MODELS="$SRC/python/share/test_models"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

die() { echo "FAIL: $*" >&2; exit 1; }
# run LOG CMD...: runs quietly, shows the log's tail on failure
run() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || die "$* failed: $(tail -25 "$log")"
}
need_python() {
  [[ -x $PY ]] || { echo "SKIP: $PY not found"; exit 77; }
  "$PY" -c "import yaml" 2>/dev/null || { echo "SKIP: PyYAML missing for $PY (Debian: python3-yaml)"; exit 77; }
}

mode=$1
case "$mode" in
  aot_tools)
    need_python
    run install.log cmake --install "$TFAOT_BUILD_DIR" --prefix "$WORK/prefix"
    site="$WORK/prefix/$TFAOT_PY_SITE_PACKAGES"
    [[ -f $site/cms_tfaot/__init__.py ]] || die "cms_tfaot not installed in $site"
    for m in simple multi; do
      [[ -f $WORK/prefix/$TFAOT_PY_SITE_PACKAGES/../../../share/test_models/$m/aot_config.yaml ]] ||
        die "test model $m not installed"
    done
    # CMSSW's environment: the external's bin on PATH, its site-packages on PYTHONPATH.
    PATH="$WORK/prefix/bin:$PATH" PYTHONPATH="$site" run aot_tools.log \
      env -u TFAOT_BIN_DIR "$PY" "$SRC/tests/e2e/aot_tools_test.py" -v
    # (unittest exits 0 for zero tests too)
    grep -q "^Ran 1 test" aot_tools.log && grep -qx "OK" aot_tools.log ||
      die "test_dev_workflow did not run and pass: $(cat aot_tools.log)"
    # The installed package finds its binaries beside it (not through PATH) and carries the
    # project's version; the module entry behaves as the binary.
    PATH=/usr/bin:/bin PYTHONPATH="$site" run installed.log env -u TFAOT_BIN_DIR "$PY" -c "
import os, cms_tfaot
want = os.path.realpath('$WORK/prefix/bin/cms_tfaot_compile')
got = os.path.realpath(cms_tfaot.find_binary('cms_tfaot_compile'))
assert got == want, (got, want)
assert cms_tfaot.__version__ == '1.0.1'
print('tfaot', cms_tfaot.__tfaot_version__)"
    version=$(sed -n 's/^project(tfaot VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
    grep -qx "tfaot $version" installed.log || die "installed __tfaot_version__ is not $version: $(cat installed.log)"
    PATH="$WORK/prefix/bin:$PATH" PYTHONPATH="$site" run module.log env -u TFAOT_BIN_DIR \
      "$PY" -m cms_tfaot.scripts.tfaot_compile -c "$MODELS/simple/aot_config.yaml" -o "$WORK/module" \
      --tool-name tfaot-model-mod
    for f in test_simple_bs1.h test_simple_bs4.h model.h test_simple_bs2.o test_simple_weights.o tfaot-model-mod.xml; do
      [[ -f $WORK/module/$f ]] || die "python3 -m cms_tfaot.scripts.tfaot_compile did not write $f"
    done
    PATH=/usr/bin:/bin PYTHONPATH="$site" "$PY" -m cms_tfaot.scripts.tfaot_compile --bogus >bogus.log 2>&1
    rc=$?
    [[ $rc == 2 ]] || die "an unknown flag exits $rc, not 2 (argparse's): $(cat bogus.log)"
    ;;
  unit)
    need_python
    PYTHONPATH="$SRC/python" TFAOT_BIN_DIR="$BIN" run unit.log "$PY" \
      "$SRC/tests/e2e/cms_tfaot_unit_test.py" -v
    tail -3 unit.log
    ;;
  models)
    run gen.log "$TFAOT_MAKE_CMS_TEST_MODELS" "$WORK/gen"
    for m in simple multi; do
      diff -r "$WORK/gen/$m/saved_model" "$MODELS/$m/saved_model" >"diff_$m.log" ||
        die "python/share/test_models/$m/saved_model differs from the generator's output (rerun tfaot_make_cms_test_models python/share/test_models): $(head -5 "diff_$m.log")"
    done
    ;;
  validate)
    for m in simple multi; do
      run "compile_$m.log" "$BIN/cms_tfaot_compile" -c "$MODELS/$m/aot_config.yaml" -o "$WORK/flat_$m"
      [[ -f $WORK/flat_$m/test_${m}_bs4.o && -f $WORK/flat_$m/model.h ]] || die "flat layout of $m incomplete"
      run "dev_$m.log" "$BIN/cms_tfaot_compile" -c "$MODELS/$m/aot_config.yaml" -o "$WORK/dev_$m" --dev
      [[ -f $WORK/dev_$m/include/tfaot-model-test-$m/model.h && -f $WORK/dev_$m/lib/test_${m}_bs1.o ]] ||
        die "dev layout of $m incomplete"
      run "validate_$m.log" "$BIN/tfaot-validate" -c "$MODELS/$m/aot_config.yaml" --reference
      grep -Eq "^[1-9][0-9]* passed, 0 failed" "validate_$m.log" || die "$m: $(tail -5 "validate_$m.log")"
    done
    ;;
  *)
    die "unknown mode $mode"
    ;;
esac
echo "PASS: $mode"
