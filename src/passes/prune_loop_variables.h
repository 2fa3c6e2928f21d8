// PruneLoopVariables: drops loop variables that carry nothing. A variable of a While node is
// dead when the body passes it through unchanged, neither the body nor the condition reads it
// otherwise, and nothing outside reads the loop's final value of it. Such variables appear
// after SubgraphConstants (constant weights substituted inside the body) and
// HoistInputProjection (the input sequence and the input kernel are no longer read per step);
// keeping them would copy them into the loop's buffers on every call and keep their producers
// (and a second copy of the weights) alive.
//
// Invariant afterwards: every remaining variable of a While is read by its cond or body, is
// changed by the body, or has a user of its final value. The loop computes the same values;
// the While's outputs after a removed one are renumbered.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class PruneLoopVariables final : public Pass {
 public:
  std::string_view name() const override { return "prune-loop-variables"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
