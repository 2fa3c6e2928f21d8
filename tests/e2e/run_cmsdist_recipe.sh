#!/usr/bin/env bash
# CMSDIST's recipe for a tfaot model (cms-sw/cmsdist tfaot-compile.file, included by
# tfaot-model-test-simple.spec) run step by step with the RPM macros expanded by hand, against
# tfaot installed into a scratch prefix: only the requirements change (py3-cms-tfaot and
# tensorflow-xla-runtime -> tfaot, whose environment defines PY3_CMS_TFAOT_ROOT as
# docs/cmssw.md says). Then %post's relocation, the installed tool file read as scram reads it,
# and a CMSSW-style test program built with CMSSW's release flags from the tool file's
# INCLUDE and LDFLAGS only.
# Environment: TFAOT_BUILD_DIR, TFAOT_SOURCE_DIR, WORK, CXX.
set -u -o pipefail
src="$TFAOT_SOURCE_DIR"
CXX="${CXX:-c++}"
source "$src/tests/e2e/cmssw_flags.sh"
die() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

# The tfaot external, as its spec would install it, and its environment (init.sh).
cmake --install "$TFAOT_BUILD_DIR" --prefix "$WORK/tfaot" >install.log 2>&1 || die "install: $(tail -3 install.log)"
export TFAOT_ROOT="$WORK/tfaot"
export PY3_CMS_TFAOT_ROOT="$TFAOT_ROOT/lib/tfaot/py3-cms-tfaot/1.0.1-tfaot"
export PATH="$TFAOT_ROOT/bin:$PATH"
[[ -f $PY3_CMS_TFAOT_ROOT/share/test_models/simple/aot_config.yaml ]] || die "no test model under $PY3_CMS_TFAOT_ROOT"

# tfaot-model-test-simple.spec: "### RPM external tfaot-model-test-simple 1.0.1"
n=tfaot-model-test-simple
i="$WORK/build-root/slc/external/$n/1.0.1-abc"   # %{i}, the build-time install prefix
aot_config="$PY3_CMS_TFAOT_ROOT/share/test_models/simple/aot_config.yaml"
build_arch="$(uname -m)-unknown-linux-gnu"       # %{_arch}-unknown-linux-gnu (not ppc64le)
mkdir -p builddir && cd builddir || exit 1
# %prep: no %{aot_source}, nothing to unpack.
# %build
cms_tfaot_compile \
  --aot-config "$aot_config" \
  --tool-name "$n" \
  --tool-base "$i" \
  --output-directory compiled_model \
  --additional-flags="--target_triple $build_arch" >build.log 2>&1 || die "%build: $(cat build.log)"
grep -q "compiling for batch size 4" build.log || die "no progress lines: $(cat build.log)"
# %install
set -e
mkdir -p "$i/lib"
mv compiled_model/*.o "$i/lib/"
mkdir -p "$i/include/$n"
mv compiled_model/*.h "$i/include/$n"
mkdir -p "$i/etc/scram.d"
mv compiled_model/"$n".xml "$i/etc/scram.d/"
set +e
cd "$WORK" || exit 1
[[ -z $(ls builddir/compiled_model) ]] || die "%install left files behind: $(ls builddir/compiled_model)"

# %post on the installing machine: the package moves, %{relocateConfig} rewrites the build-time
# prefix in the tool file (and %relocateConfigAll in the headers).
final="$WORK/cvmfs/slc/external/$n/1.0.1-abc"
mkdir -p "$(dirname "$final")" && mv "$i" "$final" || die "moving the package"
sed -i "s|$i|$final|g" "$final/etc/scram.d/$n.xml" "$final/include/$n"/*.h
grep -rq "$i" "$final" && die "the build-time prefix is left in the package"

# The tool file as scram reads it: revision 1, the base variable, INCLUDE, LDFLAGS, no XLA.
xml="$final/etc/scram.d/$n.xml"
grep -q "<tool name=\"$n\" version=\"1.0.0\" revision=\"1\">" "$xml" || die "tool element: $(cat "$xml")"
grep -q "tensorflow" "$xml" && die "the tool file still uses TensorFlow: $(cat "$xml")"
base=$(sed -n 's/.*<environment name="\(TFAOT_MODEL_TEST_SIMPLE_BASE\)" default="\([^"]*\)".*/\2/p' "$xml")
[[ $base == "$final" ]] || die "base variable default '$base', want $final"
inc=$(sed -n 's/.*<environment name="INCLUDE" default="\([^"]*\)".*/\1/p' "$xml")
inc=${inc//\$TFAOT_MODEL_TEST_SIMPLE_BASE/$base}
objs=()
for o in $(sed -n 's/.*<flags LDFLAGS="\([^"]*\)".*/\1/p' "$xml"); do
  o=${o//\$TFAOT_MODEL_TEST_SIMPLE_BASE/$base}
  [[ -f $o ]] || die "LDFLAGS names a missing file $o"
  objs+=("$o")
done
((${#objs[@]} >= 4)) || die "expected objects for 3 batch sizes and the weights: ${objs[*]}"

# A CMSSW unit test against the installed tool: PhysicsTools/TensorFlowAOT's headers are
# tfaot's runtime (TFAOT_ROOT/include), the model comes from the tool file alone.
cat >consumer.cc <<'SRC'
#include "tfaot-model-test-simple/model.h"
#include "tfaot/Model.h"
#include <cmath>
#include <cstdio>
int main() {
  tfaot::Model<tfaot_model::test_simple> model;
  model.setBatchRule("3:2,2");
  tfaot::FloatArrays x(3, std::vector<float>(4, 0.5f));
  auto [y] = model.run<tfaot::FloatArrays>(3, x);
  for (const auto& row : y) {
    if (row.size() != 2 || std::fabs(row[0] + row[1] - 1.f) > 1e-5f) return 1;
    std::printf("%g %g\n", row[0], row[1]);
  }
  return y.size() == 3 ? 0 : 1;
}
SRC
"$CXX" -std=c++20 "${CMSSW_CXXFLAGS[@]}" -Werror -I "$TFAOT_ROOT/include" -I "$inc" consumer.cc "${objs[@]}" \
  -o consumer || die "building against the installed tool failed"
./consumer || die "the installed model gives wrong results"
echo "PASS"
