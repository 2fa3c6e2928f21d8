// Compile-and-run of generated code inside the compiler process: emits C++ for a specialized
// graph, compiles it to a shared object with the system compiler, loads it with dlopen and
// runs it. Used by tests (generated == reference interpreter) and tfaot-validate.
// Out of process (run_generated_executable): the same code built into a small statically linked
// program (generated objects + a generated main reading inputs from files and writing outputs),
// run once per runner command prefix: code for another architecture (aarch64 under
// qemu-aarch64), or an object with run-time target dispatch under `qemu-x86_64 -cpu <model>`
// to exercise each fallback (docs/targets.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/emitter.h"
#include "ir/graph.h"

namespace tfaot::backend {

struct JitOptions {
  std::string cxx;                     // compiler command; empty: c++, or the cross compiler
  // compilation.target: one target, or (out of process) a comma-separated list of x86-64
  // targets built as one object with run-time dispatch.
  std::string target = "native";
  // Command prefixes the program is run under ("qemu-aarch64", "qemu-x86_64 -cpu Nehalem");
  // non-empty: out of process.
  std::vector<std::string> runners;
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
  // Size of the compiled object of the generated code (machine code and small inline
  // constants; the weights blob is a separate object).
  uint64_t object_bytes() const { return object_bytes_; }
  // The generated run function: inputs/outputs in signature order, scratch of
  // info().scratch_bytes bytes, all 64-byte aligned.
  void run(const void* const* inputs, void* const* outputs, void* scratch) const { entry_(inputs, outputs, scratch); }

 private:
  struct Files;
  UnitInfo info_;
  uint64_t object_bytes_ = 0;
  std::unique_ptr<Files> files_;
  void* handle_ = nullptr;
  void (*entry_)(const void* const*, void* const*, void*) = nullptr;
};

// True when options need a program rather than dlopen: runners given, a target this machine
// cannot run, or several targets.
bool needs_executable(const JitOptions& options);

// `graph` must be specialized and optimized (static shapes, passes run). Inputs in
// graph.inputs order; returns outputs in graph.outputs order (out of process when
// needs_executable: the first runner's).
std::vector<Tensor> run_generated(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                                  const JitOptions& options = {});
// The same in process with code compiled already (from `graph`).
std::vector<Tensor> run_generated(const JitCode& code, const ir::Graph& graph,
                                  const std::vector<Tensor>& inputs);

// Builds the program and runs it under each of options.runners (none: directly). Returns one
// output list per run. Throws Error for string tensors, a cross target without a runner, or a
// failing build or run (naming the runner and its exit status).
std::vector<std::vector<Tensor>> run_generated_executable(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                                                          const JitOptions& options);

}  // namespace tfaot::backend
