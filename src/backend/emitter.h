// Code generation for one batch size: turns a specialized, optimized graph into the C++ source
// of `NS::NAME_bsN::run` (straight-line kernel calls in topological order, intermediates at
// planned offsets in the caller's scratch, large constants in the model's WeightPool) and the
// self-contained header NAME_bsN.h described in docs/generated-code.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/weights.h"
#include "ir/graph.h"

namespace tfaot::backend {

struct TensorInfo {
  std::string name;  // signature key
  DType dtype = DType::Invalid;
  Shape shape;       // static
  int64_t count() const { return tfaot::num_elements(shape); }
};

// What one emitted node costs (for tfaot-inspect --summary and --dot).
struct NodeCost {
  std::string name, op;
  uint64_t flops = 0;
  uint64_t weight_bytes = 0;   // constants it is first to read (shared data counted once)
  uint64_t scratch_bytes = 0;  // scratch buffers it allocates (outputs and temporaries)
};

// Everything the header and model.h say about one compiled batch size.
struct UnitInfo {
  std::string ns = "tfaot_model";
  std::string model;
  int64_t batch_size = 1;
  // "bs": a configured batch size (public NAME_bsN); "blk": a block of the dynamic-batch
  // entry only (NAME_blkN, internal to NAME_dyn.o).
  std::string kind = "bs";
  std::vector<TensorInfo> inputs, outputs;
  uint64_t scratch_bytes = 0;
  uint64_t peak_live_bytes = 0;  // largest sum of intermediates live at one step
  uint64_t weight_bytes = 0;  // bytes of constants this batch size reads
  uint64_t flops = 0;
  std::vector<NodeCost> nodes;  // in execution order

  std::string struct_name() const { return model + "_" + kind + std::to_string(batch_size); }
};

struct UnitOptions {
  std::string ns = "tfaot_model";
  std::string model = "model";
  int64_t batch_size = 1;
  std::string kind = "bs";  // UnitInfo::kind
  // Constants up to this many bytes are inlined into the unit instead of the weights blob.
  uint64_t inline_limit = 256;
  // If set, also defines `extern "C" void <c_entry>(inputs, outputs, scratch)` (for dlsym).
  std::string c_entry;
  // Include "tfaot_kernels.h" (false only when the kernel headers are not available).
  bool include_kernels = true;
  // The -march values the unit will be compiled for (several: one dispatch object). Ops
  // choose data layouts every one of them reads (gemm_packing_for).
  std::vector<std::string> targets = {"x86-64-v3"};
};

struct GeneratedUnit {
  UnitInfo info;
  std::string source;  // NAME_bsN.cc (includes "NAME_bsN.h")
  std::string header;  // NAME_bsN.h
};

// `graph` must be specialized and optimized: every node typed statically with a supported op.
GeneratedUnit emit_unit(const ir::Graph& graph, const UnitOptions& options, WeightPool& weights);

// Header text for `info` (also used by tests and package generation).
std::string unit_header(const UnitInfo& info);

// FLOP count of a node (its op's Op::flops; 0 for constants and unsupported ops).
uint64_t estimate_flops(const ir::Node& node);

// C++ literal for a string (quotes and escapes).
std::string cpp_string_literal(const std::string& s);

}  // namespace tfaot::backend
