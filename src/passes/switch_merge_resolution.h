// SwitchMergeResolution: resolves TF1 conditionals (Switch/Merge) whose predicate is a
// constant — typically a pinned `keras_learning_phase` — at compile time, with TF's deadness
// rules: the untaken output of a Switch is dead, any other node with a dead data or control
// input is dead, and a Merge forwards its one live input (output 1, value_index, becomes a
// constant).
//
// Invariant afterwards: no resolved Switch or Merge is used; the untaken branches are
// unreferenced (DCE removes them). Switches with non-constant predicates are left alone.
// A signature output that is dead under the constant predicates is an Error.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class SwitchMergeResolution final : public Pass {
 public:
  std::string_view name() const override { return "switch-merge-resolution"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
