// ConstantFolding: replaces every foldable node whose data inputs are all Const (and whose
// output types are known) by Const nodes holding the reference interpreter's result. Shape,
// Size and Rank of statically shaped tensors fold even when their input is not constant.
//
// Invariant afterwards: no foldable node has only constant inputs. Folding never changes
// results: it runs the same reference semantics the generated code is checked against.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class ConstantFolding final : public Pass {
 public:
  std::string_view name() const override { return "constant-folding"; }
  bool run(ir::Graph& graph) override;
  // Folds one node if possible (its outputs must be typed). Returns true if it was replaced.
  static bool fold_node(ir::Graph& graph, ir::Node& node);
  // Largest constant (in bytes) that folding creates; bigger results stay computed.
  static constexpr uint64_t kMaxFoldedBytes = uint64_t{256} << 20;
};

}  // namespace tfaot::passes
