#!/usr/bin/env bash
# CMSSW's release flags against a compiled package (issue 16): every generated header
# (model.h, NAME_bsN.h, NAME_dyn.h) and every runtime header compiles without a single
# diagnostic under CMSSW's flags (tests/e2e/cmssw_flags.sh) as -std=c++20 and -std=c++17, and
# with -Wpedantic -Werror; a CMSSW-style plugin built as a -fPIC shared library linking the
# package's objects loads with dlopen and runs. Uses the shipped example model (no ../shared).
# Environment: TFAOT_COMPILE, TFAOT_SOURCE_DIR, WORK, CXX.
set -u -o pipefail
src="$TFAOT_SOURCE_DIR"
CXX="${CXX:-c++}"
source "$src/tests/e2e/cmssw_flags.sh"
die() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

"$TFAOT_COMPILE" -q -c "$src/examples/models/mlp/aot_config.yaml" -o pkg --batch-sizes 1,2,4 ||
  die "tfaot-compile failed"
tool=tfaot-model-example-mlp
ls pkg/include/$tool/example_mlp_dyn.h >/dev/null || die "the example model has no dynamic-batch header"

# Every header, as a user includes it (normal -I, not -isystem).
: >all_headers.h
for h in pkg/include/$tool/*.h; do echo "#include \"$tool/$(basename "$h")\"" >>all_headers.h; done
(cd "$src/runtime/include" && find . -name '*.h' | sed 's|^\./||' | sort) | while read -r h; do
  echo "#include \"$h\"" >>all_headers.h
done
incs=(-I "$src/runtime/include" -I pkg/include -I .)

# quiet_compile WHAT ARGS...: the compiler must succeed and print nothing at all.
quiet_compile() {
  local what=$1
  shift
  local out
  out=$("$CXX" "$@" 2>&1) || die "$what failed: $out"
  [[ -z $out ]] || die "$what printed diagnostics: $out"
  echo "ok: $what"
}
for h in $(sed 's/#include "\(.*\)"/\1/' all_headers.h); do
  for std in c++20 c++17; do
    echo "#include \"$h\"" >one.cc
    quiet_compile "$h alone, -std=$std, CMSSW flags" -std=$std "${CMSSW_CXXFLAGS[@]}" "${incs[@]}" -fsyntax-only one.cc
  done
  quiet_compile "$h alone, -Wpedantic -Werror" -std=c++17 -Wall -Wextra -Wpedantic -Werror "${incs[@]}" -fsyntax-only one.cc
done

plugin_src="$src/tests/e2e/cmssw_plugin.cc"
defs=('-DTFAOT_ALL_HEADERS="all_headers.h"')
quiet_compile "plugin, -std=c++17, CMSSW flags" -std=c++17 "${CMSSW_CXXFLAGS[@]}" "${incs[@]}" "${defs[@]}" \
  -fsyntax-only "$plugin_src"
quiet_compile "plugin, -Wpedantic -Werror" -std=c++20 "${CMSSW_CXXFLAGS[@]}" -Wpedantic -Werror "${incs[@]}" \
  "${defs[@]}" -fsyntax-only "$plugin_src"
# The plugin as scram builds one: a -fPIC shared library with the tool file's objects.
quiet_compile "plugin shared library, -std=c++20, CMSSW flags" -std=c++20 "${CMSSW_CXXFLAGS[@]}" "${incs[@]}" \
  "${defs[@]}" -shared -Wl,-z,defs -o libplugin.so "$plugin_src" pkg/lib/*.o
quiet_compile "plugin host" -std=c++20 -O1 -Wall -Wextra -o host "$src/tests/e2e/cmssw_plugin_host.cc" -ldl
./host "$WORK/libplugin.so" || die "the plugin did not load or run"
echo "PASS"
