# tfaot as a peer of ../shared/bench (bench/peers.sh compiles the models first, then passes this
# file in BENCH_EXTRA_PEERS). One adapter source serves every model, selected by a macro.
set(_gen $ENV{TFAOT_BENCH_MODELS})
set(_src $ENV{TFAOT_SOURCE_DIR})
set(_march $ENV{TFAOT_BENCH_MARCH})  # bench/peers.sh --isa: native or x86-64-v3

# The bench has no option for -march: its BENCH_OPT_FLAGS (-O3;-march=native) reached bench_peers
# (eigen, naive) before this file is included, and the roofline probe is defined after it. So
# with --isa v3 the -march is swapped here: in BENCH_OPT_FLAGS for the function peers below, on
# bench_peers now and on roofline at the end of the directory (its fractions then use the AVX2
# peak, the one x86-64-v3 code can reach).
if(_march AND NOT _march STREQUAL "native")
  list(TRANSFORM BENCH_OPT_FLAGS REPLACE "^-march=.*" "-march=${_march}")
  function(_tfaot_bench_march _target)
    if(TARGET ${_target})
      get_target_property(_opts ${_target} COMPILE_OPTIONS)
      list(TRANSFORM _opts REPLACE "^-march=.*" "-march=$ENV{TFAOT_BENCH_MARCH}")
      set_property(TARGET ${_target} PROPERTY COMPILE_OPTIONS "${_opts}")
    endif()
  endfunction()
  _tfaot_bench_march(bench_peers)
  cmake_language(DEFER CALL _tfaot_bench_march roofline)
endif()
foreach(_m cms_simple deep_mlp small_cnn)
  set(_objs ${_gen}/${_m}/libtfaot_bench.a)  # the model's objects (bench/peers.sh)
  string(REPLACE "_" "-" _tool "tfaot-model-${_m}")  # tool names use '-' (as cms-tfaot)
  bench_add_fn_peer(tfaot ${_m}
    SOURCES ${_src}/bench/adapter.cpp
    SYMBOL tfaot_bench::${_m}
    INCLUDE_DIRS ${_gen}/${_m}/include ${_src}/runtime/include
    COMPILE_DEFINITIONS TFAOT_BENCH_MODEL=${_m} TFAOT_BENCH_HEADER="${_tool}/model.h"
    LINK_LIBRARIES ${_objs}
    ABOUT "tfaot $ENV{TFAOT_COMMIT}, target ${_march}: runFlat over compiled batch sizes (powers of two), greedy rules")
  if(EXISTS ${_gen}/${_m}/include/${_tool}/${_m}_dyn.h)
    bench_add_fn_peer(tfaot_dyn ${_m}
      SOURCES ${_src}/bench/adapter.cpp
      SYMBOL tfaot_bench::${_m}_dyn
      INCLUDE_DIRS ${_gen}/${_m}/include ${_src}/runtime/include
      COMPILE_DEFINITIONS TFAOT_BENCH_MODEL=${_m} TFAOT_BENCH_DYNAMIC=${_m}_dyn
                          TFAOT_BENCH_HEADER="${_tool}/model.h"
      LINK_LIBRARIES ${_objs}
      ABOUT "tfaot $ENV{TFAOT_COMMIT}, target ${_march}: the dynamic-batch entry (one call per batch, no rules)")
  endif()
endforeach()
