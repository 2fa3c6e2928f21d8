// ShapeInference: gives every node static output types by calling its op's infer() in
// topological order. Nodes whose inputs are all constant (or whose result depends only on
// static input types, like Shape) are folded to Const nodes on the way (ConstantFolding), so
// that shape operands computed in the graph (Shape -> StridedSlice -> Pack -> Reshape) are
// constants by the time their consumer is inferred.
//
// Invariant afterwards: every node has static output types, each at most the tensor-bytes limit
// (support/limits.h); an unsupported op, an invalid node or an oversized output is an Error
// naming it.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class ShapeInference final : public Pass {
 public:
  std::string_view name() const override { return "shape-inference"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
