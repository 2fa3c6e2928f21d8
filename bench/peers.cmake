# tfaot as a peer of ../shared/bench (bench/peers.sh compiles the models first, then passes this
# file in BENCH_EXTRA_PEERS). One adapter source serves every model, selected by a macro.
set(_gen $ENV{TFAOT_BENCH_MODELS})
set(_src $ENV{TFAOT_SOURCE_DIR})
foreach(_m cms_simple deep_mlp small_cnn)
  set(_objs ${_gen}/${_m}/libtfaot_bench.a)  # the model's objects (bench/peers.sh)
  string(REPLACE "_" "-" _tool "tfaot-model-${_m}")  # tool names use '-' (as cms-tfaot)
  bench_add_fn_peer(tfaot ${_m}
    SOURCES ${_src}/bench/adapter.cpp
    SYMBOL tfaot_bench::${_m}
    INCLUDE_DIRS ${_gen}/${_m}/include ${_src}/runtime/include
    COMPILE_DEFINITIONS TFAOT_BENCH_MODEL=${_m} TFAOT_BENCH_HEADER="${_tool}/model.h"
    LINK_LIBRARIES ${_objs}
    ABOUT "tfaot $ENV{TFAOT_COMMIT}: runFlat over compiled batch sizes (powers of two), greedy rules")
  if(EXISTS ${_gen}/${_m}/include/${_tool}/${_m}_dyn.h)
    bench_add_fn_peer(tfaot_dyn ${_m}
      SOURCES ${_src}/bench/adapter.cpp
      SYMBOL tfaot_bench::${_m}_dyn
      INCLUDE_DIRS ${_gen}/${_m}/include ${_src}/runtime/include
      COMPILE_DEFINITIONS TFAOT_BENCH_MODEL=${_m} TFAOT_BENCH_DYNAMIC=${_m}_dyn
                          TFAOT_BENCH_HEADER="${_tool}/model.h"
      LINK_LIBRARIES ${_objs}
      ABOUT "tfaot $ENV{TFAOT_COMMIT}: the dynamic-batch entry (one call per batch, no rules)")
  endif()
endforeach()
