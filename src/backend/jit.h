// Compile-and-run of generated code inside the compiler process: emits C++ for a specialized
// graph, compiles it to a shared object with the system compiler, loads it with dlopen and
// runs it. Used by tests (generated == reference interpreter) and tfaot-validate.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/emitter.h"
#include "ir/graph.h"

namespace tfaot::backend {

struct JitOptions {
  std::string cxx = "c++";             // compiler command
  std::string target = "native";       // -march value
  std::vector<std::string> extra_flags;
  bool keep_files = false;             // keep the generated sources (for debugging)
  std::string opt_level = "-O2";       // -O3 for benchmarks (what tfaot-compile uses)
};

// The generated code of one specialized, optimized graph, compiled and loaded (dlopen) for
// repeated calls (benchmarks); unloaded and its files removed on destruction.
class JitCode {
 public:
  JitCode(const ir::Graph& graph, const JitOptions& options = {});
  ~JitCode();
  JitCode(const JitCode&) = delete;
  JitCode& operator=(const JitCode&) = delete;

  const UnitInfo& info() const { return info_; }
  // The generated run function: inputs/outputs in signature order, scratch of
  // info().scratch_bytes bytes, all 64-byte aligned.
  void run(const void* const* inputs, void* const* outputs, void* scratch) const { entry_(inputs, outputs, scratch); }

 private:
  struct Files;
  UnitInfo info_;
  std::unique_ptr<Files> files_;
  void* handle_ = nullptr;
  void (*entry_)(const void* const*, void* const*, void*) = nullptr;
};

// `graph` must be specialized and optimized (static shapes, passes run). Inputs in
// graph.inputs order; returns outputs in graph.outputs order.
std::vector<Tensor> run_generated(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                                  const JitOptions& options = {});

}  // namespace tfaot::backend
