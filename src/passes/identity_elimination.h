// IdentityElimination: forwards the uses of Identity, StopGradient and Snapshot nodes to
// their input (these ops only name or guard a value in TF; at inference they are copies).
//
// Invariant afterwards: no data input and no signature output refers to such a node.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class IdentityElimination final : public Pass {
 public:
  std::string_view name() const override { return "identity-elimination"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
