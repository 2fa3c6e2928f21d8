// CommonSubexpressionElimination: merges nodes that compute the same thing — same op, same
// inputs, same attributes (and equal values for constants) — keeping the first in
// topological order. Non-foldable (random/stateful) ops are never merged.
//
// Invariant afterwards: no two foldable nodes have identical op, inputs and attributes.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class CommonSubexpressionElimination final : public Pass {
 public:
  std::string_view name() const override { return "common-subexpression-elimination"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
