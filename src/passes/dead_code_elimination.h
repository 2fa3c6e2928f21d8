// DeadCodeElimination: removes every node the signature outputs do not need, and all control
// edges. After the front end has resolved variables and calls, the graph is pure dataflow
// (the ops tfaot compiles have no side effects), so control edges carry no meaning for the
// computation; keeping them would keep NoOps and initializers alive.
//
// Invariant afterwards: no control edges; every node is a signature input or an ancestor of
// a signature output.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class DeadCodeElimination final : public Pass {
 public:
  std::string_view name() const override { return "dead-code-elimination"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
