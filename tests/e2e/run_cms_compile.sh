#!/usr/bin/env bash
# cms_tfaot_compile as cms-tfaot 1.0.1's users call it (issue 16): the --dev layout and its
# tool file (base = the output directory, $CMSSW_BASE-relative inside a CMSSW area), the exact
# next-steps text, the flat layout (CMSDIST), merging into an existing directory (the user's
# files kept, stale batch sizes dropped), missing parents created, --additional-flags mapped or
# noted, and failures: one line, exit 1, nothing written. Uses the shipped example model.
# Environment: CMS_TFAOT_COMPILE, TFAOT_SOURCE_DIR, WORK.
set -u -o pipefail
src="$TFAOT_SOURCE_DIR"
cfg="$src/examples/models/mlp/aot_config.yaml"
die() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
compile() { "$CMS_TFAOT_COMPILE" "$@"; }

# --dev into a CMSSW area: parents created, paths relative to $CMSSW_BASE.
mkdir -p area/src
out=$(CMSSW_BASE="$WORK/area" compile -c "$cfg" -o area/tfaot/mlp --tool-name tfaot-model-test --dev \
  --additional-flags="--target_triple=$(uname -m)-pc-linux" 2>err) || die "--dev failed: $(cat err)"
[[ ! -s err ]] || die "unexpected stderr: $(cat err)"
for f in tfaot-model-test.xml include/tfaot-model-test/example_mlp_bs1.h include/tfaot-model-test/example_mlp_bs2.h \
  include/tfaot-model-test/model.h lib/example_mlp_bs1.o lib/example_mlp_bs2.o lib/example_mlp_weights.o; do
  [[ -f area/tfaot/mlp/$f ]] || die "--dev: missing $f"
done
grep -q 'name="TFAOT_MODEL_TEST_BASE" default="$CMSSW_BASE/tfaot/mlp"' area/tfaot/mlp/tfaot-model-test.xml ||
  die "--dev tool base: $(cat area/tfaot/mlp/tfaot-model-test.xml)"
want="compiling for batch size 1
compiling for batch size 2
compiling for batch size 4

--------------------------------------------------------------------------------

successfully AOT compiled model 'example_mlp' for batch sizes: 1,2,4

  1. register it to scram:
     > scram setup \$CMSSW_BASE/tfaot/mlp/tfaot-model-test.xml

  2. 'use' the tool in your BuildFile.xml:
     <use name=\"tfaot-model-test\"/>

  3. include the following header in your code:
     #include \"tfaot-model-test/model.h\"

  4. create an AOT model instance via:
     auto model = tfaot::Model<tfaot_model::example_mlp>();"
[[ $out == "$want" ]] || die "--dev output differs: $(diff <(echo "$want") <(echo "$out"))"

# Outside a CMSSW area the base is the absolute output directory; a separate-word
# --additional-flags value starting with "--" works as with argparse.
(unset CMSSW_BASE; compile -c "$cfg" -o dev2 --dev --additional-flags "--target_triple x86_64-unknown-linux-gnu" \
  >/dev/null 2>&1) || die "--dev outside CMSSW failed"
grep -q "default=\"$WORK/dev2\"" dev2/tfaot-model-example-mlp.xml || die "absolute base: $(cat dev2/*.xml)"

# Flat (no --dev): CMSDIST's layout, nothing printed after the progress lines.
mkdir -p flat && echo keep >flat/user_notes.txt && touch flat/other_bs1.o
out=$(compile -c "$cfg" -o flat --tool-base /opt/base 2>&1) || die "flat failed: $out"
[[ $out == *"compiling for batch size 4" ]] || die "flat output: $out"
[[ -f flat/user_notes.txt && -f flat/other_bs1.o ]] || die "the user's files were removed"
for f in model.h example_mlp_bs4.h example_mlp_bs4.o example_mlp_weights.o tfaot-model-example-mlp.xml; do
  [[ -f flat/$f ]] || die "flat: missing $f"
done
grep -q 'default="/opt/base"' flat/tfaot-model-example-mlp.xml || die "--tool-base ignored"
[[ -d flat/include || -d flat/lib ]] && die "flat layout has subdirectories"
# Recompiling with fewer sizes drops the stale ones (objects and headers), keeps the rest.
sed 's/batch_sizes: \[1, 2, 4\]/batch_sizes: [2]/' "$cfg" >cfg2.yaml
sed -i "s|saved_model: .|saved_model: $src/examples/models/mlp|" cfg2.yaml
compile -c cfg2.yaml -o flat >/dev/null 2>&1 || die "recompiling flat failed"
[[ -f flat/example_mlp_bs2.o && ! -e flat/example_mlp_bs1.o && ! -e flat/example_mlp_bs4.h ]] ||
  die "stale sizes: $(ls flat)"
[[ -f flat/user_notes.txt && -f flat/other_bs1.o ]] || die "the user's files were removed on recompiling"
grep -q 'default="@TOOL_BASE@"' flat/tfaot-model-example-mlp.xml || die "flat default base: $(cat flat/*.xml)"

# XLA flags without an equivalent: one note each, the compilation goes on; aarch64 cross.
err=$(compile -c "$cfg" -o notes --additional-flags="--target_features=+avx2 --xla_cpu_multi_thread_eigen=false" \
  2>&1 >/dev/null) || die "ignored flags failed: $err"
[[ $(grep -c "note: ignoring --" <<<"$err") -eq 2 ]] || die "expected two notes: $err"

# Failures: one line, exit 1, nothing written; usage errors exit 2.
expect_fail() {
  local want=$1 dir=$2
  shift 2
  local err rc
  err=$(compile "$@" 2>&1 >/dev/null)
  rc=$?
  [[ $rc -ne 0 ]] || die "succeeded: $*"
  [[ $(grep -c . <<<"$err") -eq 1 ]] || die "expected one line: $err"
  [[ $err == *"$want"* ]] || die "error lacks '$want': $err"
  [[ ! -e $dir ]] || die "$dir written by a failing call"
  echo "ok: rc $rc: $err"
}
expect_fail "powerpc64le" ppc -c "$cfg" -o ppc --additional-flags="--target_triple powerpc64le-unknown-linux-gnu"
expect_fail "nope.yaml" missing -c nope.yaml -o missing/deeper
expect_fail "output-directory" nodir -c "$cfg"
compile -c "$cfg" >/dev/null 2>&1
[[ $? -eq 2 ]] || die "a usage error must exit 2 (argparse)"
compile --help | grep -q -- "--additional-flags" || die "--help"
echo "PASS"
