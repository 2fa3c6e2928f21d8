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

namespace tfaot::fuzz {

inline void compile_in_memory(const frontend::LoadOptions& options) {
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
