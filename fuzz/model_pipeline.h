// What the model fuzz targets run after a model loaded: the whole compiler up to the emitted
// C++ text (specialization, shape inference, folding, fusion, code emission). Only
// tfaot::Error may escape the compiler; anything else (another exception, a crash, a
// sanitizer report) is a bug the fuzzer reports.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "backend/emitter.h"
#include "backend/weights.h"
#include "frontend/loader.h"
#include "passes/pipeline.h"
#include "support/error.h"
#include "support/limits.h"

namespace tfaot::fuzz {

inline void compile_in_memory(const frontend::LoadOptions& options) {
  // Limits far below the defaults: an input may claim anything, but one execution must stay
  // well under libFuzzer's 1 s timeout and 2 GiB malloc limit (docs/limits.md).
  ScopedLimit tensor_bytes(Limit::TensorBytes, int64_t{64} << 20);
  ScopedLimit weight_bytes(Limit::WeightBytes, int64_t{256} << 20);
  ScopedLimit loop_iterations(Limit::LoopIterations, 10000);
  ScopedLimit graph_nodes(Limit::GraphNodes, 20000);
  try {
    auto graph = frontend::load_model(options);
    passes::SpecializeOptions specialize_options;
    specialize_options.batch_size = 2;
    passes::specialize(*graph, specialize_options);
    passes::optimize(*graph);
    backend::WeightPool weights;
    backend::UnitOptions unit_options;
    unit_options.batch_size = 2;
    backend::emit_unit(*graph, unit_options, weights);
  } catch (const tfaot::Error& e) {
    // Rejected with a message: the expected outcome for most inputs.
    if (std::getenv("TFAOT_FUZZ_VERBOSE")) std::fprintf(stderr, "rejected: %s\n", e.what());
  }
}

}  // namespace tfaot::fuzz
