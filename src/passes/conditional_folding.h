// ConditionalFolding: an If/StatelessIf/Case/StatelessCase whose branch is known at compile
// time (constant selector, e.g. after pinning or constant folding) is replaced by the nodes of
// that branch (its pristine subgraph), wired to the conditional's inputs; users of the
// conditional's outputs read the inlined branch outputs.
//
// Invariant afterwards: no used conditional has a statically known branch. The inlined nodes
// are named "<conditional>/<branch node>"; they are untyped until shape inference runs.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class ConditionalFolding final : public Pass {
 public:
  std::string_view name() const override { return "conditional-folding"; }
  bool run(ir::Graph& graph) override;
};

// Copies the nodes of `sub` into `into` (names prefixed "prefix/"), its Placeholder i reading
// args[i]; returns the values of sub's outputs in `into`.
std::vector<ir::Value> inline_subgraph(ir::Graph& into, const ir::Graph& sub,
                                       const std::vector<ir::Value>& args,
                                       const std::string& prefix);

}  // namespace tfaot::passes
