// Compile-and-run of generated code inside the compiler process: emits C++ for a specialized
// graph, compiles it to a shared object with the system compiler, loads it with dlopen and
// runs it. Used by tests (generated == reference interpreter) and tfaot-validate.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace tfaot::backend {

struct JitOptions {
  std::string cxx = "c++";             // compiler command
  std::string target = "native";       // -march value
  std::vector<std::string> extra_flags;
  bool keep_files = false;             // keep the generated sources (for debugging)
};

// `graph` must be specialized and optimized (static shapes, passes run). Inputs in
// graph.inputs order; returns outputs in graph.outputs order.
std::vector<Tensor> run_generated(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                                  const JitOptions& options = {});

}  // namespace tfaot::backend
