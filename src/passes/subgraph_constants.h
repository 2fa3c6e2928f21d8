// SubgraphConstants: a constant input of a While/If/Case node whose value reaches a subgraph
// argument unchanged (an If/Case argument, or a loop variable the body passes through) is
// substituted inside the node's pristine subgraphs: every use of that argument's Placeholder
// reads a copy of the constant instead. This is what lets a pinned predicate (keras learning
// phase) resolve the conditionals inside loop bodies and branches before anything else looks
// at them.
//
// Invariant afterwards: no pristine subgraph Placeholder fed by a constant has node uses; the
// subgraph's interface (inputs, outputs, so a loop's pass-through structure) is unchanged.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class SubgraphConstants final : public Pass {
 public:
  std::string_view name() const override { return "subgraph-constants"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
