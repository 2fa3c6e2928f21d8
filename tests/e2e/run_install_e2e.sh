#!/usr/bin/env bash
# End-to-end tests of installation and packaging (registered by install.cmake), on the example
# model examples/models/mlp (always present; no shared corpus needed).
# Usage: run_install_e2e.sh MODE   with environment:
#   TFAOT_BUILD_DIR  the build tree (cmake --install source);  TFAOT_COMPILE  its tfaot-compile;
#   TFAOT_SOURCE_DIR  the source tree;  WORK  a scratch directory for this test;  CXX.
# Modes:
#   consumers     cmake --install to a prefix, move the prefix, then build and run
#                 examples/cmake-consumer (Ninja and Makefiles) and examples/makefile-consumer
#                 against it; rebuilds happen when model files change, and only then
#   relocate      tfaot-compile --install-prefix P1, move P1 to P2, build consumers through the
#                 moved package's pkg-config file and CMake package; the tool file relocates
#                 like CMSDIST's %{relocateConfig}; --tool-name
#   reproducible  the same model compiled in different directories, at different times, with
#                 different temporary directories (also with -g) gives byte-identical files;
#                 the progress lines (one per object, with its compile time) and next steps
set -u -o pipefail

SRC="$TFAOT_SOURCE_DIR"
CXX="${CXX:-c++}"
unset CMAKE_CXX_COMPILER_LAUNCHER CMAKE_C_COMPILER_LAUNCHER MAKEFLAGS
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

die() { echo "FAIL: $*" >&2; exit 1; }
# run LOG CMD...: runs quietly, shows the log's tail on failure
run() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || die "$* failed: $(tail -15 "$log")"
}
# A private copy of the example model (its files are touched to test rebuilds).
cp -r "$SRC/examples/models/mlp" "$WORK/model" || die "cannot copy the example model"
CONFIG="$WORK/model/aot_config.yaml"

mode=$1
case "$mode" in
  consumers)
    run install.log cmake --install "$TFAOT_BUILD_DIR" --prefix "$WORK/staging"
    mv "$WORK/staging" "$WORK/tfaot" || die "cannot move the install prefix"
    P="$WORK/tfaot"
    for t in compile check inspect validate; do [[ -x $P/bin/tfaot-$t ]] || die "bin/tfaot-$t not installed"; done
    [[ -f $P/include/tfaot/Model.h && -f $P/lib/cmake/tfaot/tfaotConfig.cmake && -f $P/lib/pkgconfig/tfaot.pc ]] ||
      die "runtime headers, CMake package or tfaot.pc not installed"
    grep -rlF "$TFAOT_BUILD_DIR" "$P/lib" "$P/include" && die "the installed package names the build tree"
    readelf -d "$P/bin/tfaot-compile" | grep -E "R(UN)?PATH" && die "tfaot-compile has an RPATH"
    # No build or source path in the tools' code or data (sanitizer builds embed source locations).
    if ! readelf -d "$P/bin/tfaot-compile" | grep -q libasan; then
      objcopy --strip-debug "$P/bin/tfaot-compile" stripped || die "objcopy failed"
      grep -qF -e "$TFAOT_BUILD_DIR" -e "$SRC" stripped && die "tfaot-compile contains a build or source path"
    fi
    inc=$(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --cflags tfaot) || die "pkg-config tfaot failed"
    inc=${inc%% *}
    [[ $(realpath -m "${inc#-I}") == "$(realpath "$P/include")" ]] || die "tfaot.pc does not point at the moved prefix: $inc"

    # CMake consumer, with Ninja: builds, runs, and rebuilds the model only when its files change.
    # This copy declares an older cmake_minimum_required (policy CMP0116 unset: depfile paths
    # are then not rewritten unless tfaot_add_model sees to it).
    cp -r "$SRC/examples/cmake-consumer" cm-src || die "copy"
    sed -i 's/^cmake_minimum_required(VERSION 3.20)/cmake_minimum_required(VERSION 3.16)/' cm-src/CMakeLists.txt
    grep -q "VERSION 3.16)" cm-src/CMakeLists.txt || die "cannot lower cmake_minimum_required"
    run cm-configure.log cmake -G Ninja -S cm-src -B cm -DCMAKE_PREFIX_PATH="$P" \
      -DCMAKE_CXX_COMPILER="$CXX" -DTFAOT_EXAMPLE_CONFIG="$CONFIG"
    run cm-build.log cmake --build cm
    cm/consumer >cmake.out || die "cmake consumer failed: $(cat cmake.out)"
    [[ $(tail -1 cmake.out) == ok ]] || die "cmake consumer output: $(cat cmake.out)"
    run cm-noop.log cmake --build cm
    grep -q "no work to do" cm-noop.log || die "second build was not a no-op: $(cat cm-noop.log)"
    sleep 1 && touch "$WORK/model/variables/variables.index"
    run cm-rebuild.log cmake --build cm
    grep -q "tfaot-compile" cm-rebuild.log || die "a changed variables file did not recompile: $(cat cm-rebuild.log)"
    run cm-noop2.log cmake --build cm
    grep -q "no work to do" cm-noop2.log || die "build after recompiling was not a no-op: $(cat cm-noop2.log)"

    # Same project with the Makefile generator (DEPFILE support differs by generator) and
    # tfaot_add_model's BATCH_SIZES and BATCH_RULES.
    printf '3:2,2\n5:2,2,2\n' >rules.txt
    run cmk-configure.log cmake -G "Unix Makefiles" -S "$SRC/examples/cmake-consumer" -B cmk \
      -DCMAKE_PREFIX_PATH="$P" -DCMAKE_CXX_COMPILER="$CXX" -DTFAOT_EXAMPLE_CONFIG="$CONFIG" \
      "-DTFAOT_EXAMPLE_BATCH_SIZES=1;2" -DTFAOT_EXAMPLE_BATCH_RULES="$WORK/rules.txt"
    run cmk-build.log make -C cmk
    [[ -f cmk/tfaot/example_mlp/lib/example_mlp_bs2.o && ! -e cmk/tfaot/example_mlp/lib/example_mlp_bs4.o ]] ||
      die "BATCH_SIZES 1;2 not applied: $(ls cmk/tfaot/example_mlp/lib)"
    grep -q '"5:2,2,2"' cmk/tfaot/example_mlp/include/tfaot-model-example-mlp/model.h ||
      die "BATCH_RULES not compiled into model.h"
    [[ $(cmk/consumer | tail -1) == ok ]] || die "Makefile-generated consumer: $(cmk/consumer)"
    sleep 1 && printf '3:2,2\n' >rules.txt
    run cmk-rules.log make -C cmk
    grep -q "tfaot-compile" cmk-rules.log || die "Makefiles: a changed rules file did not recompile"
    grep -q '"5:2,2,2"' cmk/tfaot/example_mlp/include/tfaot-model-example-mlp/model.h &&
      die "Makefiles: the changed rules file was not compiled in"
    sleep 1 && touch "$WORK/model/saved_model.pbtxt"
    run cmk-rebuild.log make -C cmk
    grep -q "tfaot-compile" cmk-rebuild.log || die "Makefiles: a changed saved_model did not recompile"
    run cmk-noop.log make -C cmk
    grep -q "tfaot-compile" cmk-noop.log && die "Makefiles: recompiled without a change"

    # Plain Makefile + pkg-config; the same inputs through runFlat give the same numbers.
    mk=(make -C "$SRC/examples/makefile-consumer" TFAOT_PREFIX="$P" BUILD="$WORK/mk" CONFIG="$CONFIG" CXX="$CXX")
    run mk-build.log "${mk[@]}"
    mk/consumer >make.out || die "makefile consumer failed"
    diff <(grep '^y' cmake.out) make.out >/dev/null || die "makefile consumer output differs: $(cat make.out)"
    "${mk[@]}" -q || die "make: not up to date after a build"
    sleep 1 && touch "$WORK/model/variables/variables.index"
    "${mk[@]}" -q && die "make: a changed variables file does not make the model out of date"
    cat cmake.out
    ;;

  relocate)
    run compile.log "$TFAOT_COMPILE" -q -c "$CONFIG" --install-prefix "$WORK/p1" --batch-sizes 1,2
    tool=tfaot-model-example-mlp
    xml=etc/scram.d/$tool.xml
    [[ -f p1/$xml && -f p1/include/$tool/model.h && -f p1/lib/example_mlp_weights.o ]] || die "bad install tree"
    mv p1 p2 || die "cannot move the prefix"
    # Only the tool file's base default names the prefix (CMSDIST relocates it with %{relocateConfig}).
    [[ $(grep -rlF "$WORK/p1" p2) == "p2/$xml" ]] || die "files naming the prefix: $(grep -rlF "$WORK/p1" p2)"
    grep -q "<environment name=\"TFAOT_MODEL_EXAMPLE_MLP_BASE\" default=\"$WORK/p1\"/>" "p2/$xml" ||
      die "tool file base: $(cat "p2/$xml")"
    sed -i "s|$WORK/p1|$WORK/p2|g" "p2/$xml"
    # Every path of the relocated tool file, with the base variable expanded, exists.
    paths=$(grep -o '\$TFAOT_MODEL_EXAMPLE_MLP_BASE[^"]*' "p2/$xml" | sed "s|^\$TFAOT_MODEL_EXAMPLE_MLP_BASE|$WORK/p2|")
    # bs1.o, bs2.o, dyn.o (the dynamic-batch entry), weights.o, include/ and lib/ dirs
    [[ $(wc -l <<<"$paths") -eq 6 ]] || die "tool file paths: $paths"
    for p in $paths; do [[ -e $p ]] || die "tool file path $p does not exist after relocation"; done

    # pkg-config of the moved package.
    pc=$(PKG_CONFIG_PATH="$WORK/p2/lib/pkgconfig" pkg-config --cflags --libs $tool) || die "pkg-config failed"
    # shellcheck disable=SC2086
    run pc-build.log "$CXX" -std=c++17 -O1 -I "$SRC/runtime/include" $pc "$SRC/examples/cmake-consumer/main.cc" \
      -o pc_consumer
    ./pc_consumer >pc.out || die "pkg-config consumer failed: $(cat pc.out)"
    # CMake package of the moved package.
    mkdir -p cm && cat >cm/CMakeLists.txt <<CM
cmake_minimum_required(VERSION 3.16)
project(relocated_model CXX)
find_package($tool 1.0 REQUIRED CONFIG)
add_executable(app "$SRC/examples/cmake-consumer/main.cc")
target_include_directories(app PRIVATE "$SRC/runtime/include")
target_compile_features(app PRIVATE cxx_std_17)
target_link_libraries(app PRIVATE tfaot::model-example-mlp)
CM
    run cm-configure.log cmake -S cm -B cm/build -DCMAKE_PREFIX_PATH="$WORK/p2" -DCMAKE_CXX_COMPILER="$CXX"
    run cm-build.log cmake --build cm/build
    cm/build/app | cmp -s - pc.out || die "CMake-built consumer differs from the pkg-config one"
    [[ $(tail -1 pc.out) == ok ]] || die "relocated consumer output: $(cat pc.out)"

    # Installing again merges: other files stay, batch sizes no longer compiled disappear.
    echo keep >p2/lib/other.o
    run compile2.log "$TFAOT_COMPILE" -q -c "$CONFIG" --install-prefix "$WORK/p2" --batch-sizes 4
    [[ -f p2/lib/other.o && -f p2/lib/example_mlp_bs4.o && ! -e p2/lib/example_mlp_bs1.o &&
       ! -e p2/include/$tool/example_mlp_bs1.h ]] || die "reinstall did not merge: $(find p2 | sort)"
    compgen -G "p2/.tfaot-*" >/dev/null && die "staging directory left in the prefix"

    # A failing compilation installs nothing.
    find p2 | sort >before.txt
    printf 'model:\n  name: broken\n  saved_model: nowhere\ncompilation:\n  batch_sizes: [1]\n' >broken.yaml
    "$TFAOT_COMPILE" -q -c broken.yaml --install-prefix "$WORK/p2" 2>/dev/null && die "broken config accepted"
    find p2 | sort | cmp -s - before.txt || die "a failed compilation changed the prefix"

    # The %install step of packaging/tfaot-model-NAME.spec as rpm would run it (%{n} names the
    # tool, %{i} is the prefix), then %post's %{relocateConfig} after the prefix moved.
    spec="$SRC/packaging/tfaot-model-NAME.spec"
    sed -n '/^%install$/,/^%post$/p' "$spec" | sed '1d;$d' |
      sed -e "s|%{aot_config}|$CONFIG|g" -e "s|%{tfaot_target}|x86-64-v3|g" -e "s|%{n}|tfaot-model-test-mlp|g" \
          -e "s|%{i}|$WORK/p3|g" -e "s|^tfaot-compile |\"$TFAOT_COMPILE\" |" >install.sh
    grep -qF -- "--install-prefix \"$WORK/p3\"" install.sh || die "unexpected %install in the spec: $(cat install.sh)"
    run spec.log bash -e install.sh
    mv p3 p4 && sed -i "s|$WORK/p3|$WORK/p4|g" p4/etc/scram.d/tfaot-model-test-mlp.xml
    grep -q "name=\"TFAOT_MODEL_TEST_MLP_BASE\" default=\"$WORK/p4\"" p4/etc/scram.d/tfaot-model-test-mlp.xml ||
      die "spec's tool file: $(cat p4/etc/scram.d/*.xml)"
    echo '#include "tfaot-model-test-mlp/model.h"' >inc.cc
    run inc.log "$CXX" -std=c++17 -fsyntax-only -I p4/include inc.cc
    cat pc.out
    ;;

  reproducible)
    # Two copies of the model in different places; compiled from different working directories
    # with different temporary directories, a second apart; then both again with -g.
    mkdir -p a/deep/er b tmp1 tmp2 || exit 1
    cp -r model a/deep/er/model && cp -r model b/m || die "copy"
    compile_twice() {  # compile_twice SUFFIX
      (cd a && TMPDIR="$WORK/tmp1" "$TFAOT_COMPILE" -q -c deep/er/model/aot_config.yaml -o "out$1") ||
        die "first compilation failed"
      sleep 1
      # (not quiet: the progress lines are checked below)
      (cd b/m && TMPDIR="$WORK/tmp2" "$TFAOT_COMPILE" -c "$WORK/b/m/aot_config.yaml" -o "../../c$1/out") \
        >"log$1" 2>&1 || die "second compilation failed: $(tail -5 "log$1")"
      grep -Eq '^  \[[0-9]+/[0-9]+\] example_mlp_bs1\.cc [0-9]+\.[0-9]{2}s$' "log$1" ||
        die "no progress line with the compile time of batch size 1: $(cat "log$1")"
      [[ $(grep -Ec '^  \[[0-9]+/[0-9]+\] ' "log$1") -eq $(grep -Eo 'compiling [0-9]+ objects' "log$1" | grep -Eo '[0-9]+') ]] ||
        die "not one progress line per compiled object: $(cat "log$1")"
      grep -q "successfully AOT compiled model" "log$1" || die "no next steps: $(cat "log$1")"
      diff -r "a/out$1" "c$1/out" || die "the two compilations differ${1:+ (with -g)}"
      grep -rlF -e "$WORK" -e tfaot-build- "a/out$1" && die "output contains an absolute or temporary path"
    }
    mkdir -p c c_g
    compile_twice ""
    # (one batch size is enough to see debug info)
    printf '  cxxflags: ["-g"]\n' | tee -a a/deep/er/model/aot_config.yaml >>b/m/aot_config.yaml
    sed -i 's/^  batch_sizes: .*/  batch_sizes: [1]/' a/deep/er/model/aot_config.yaml b/m/aot_config.yaml
    compile_twice _g
    readelf -S a/out_g/lib/example_mlp_bs1.o | grep -q debug_info || die "-g did not take effect"
    cmp -s a/out/lib/example_mlp_bs1.o a/out_g/lib/example_mlp_bs1.o && die "-g did not change the object"
    echo "identical: $(find a/out a/out_g -type f | wc -l) files"
    ;;
  *)
    die "unknown mode $mode"
    ;;
esac
echo "PASS: $mode"
