#include "passes/identity_elimination.h"

namespace tfaot::passes {

namespace {
bool is_identity_like(const std::string& op) {
  return op == "Identity" || op == "StopGradient" || op == "Snapshot" ||
         op == "PreventGradient" || op == "IdentityN";
}
}  // namespace

bool IdentityElimination::run(ir::Graph& graph) {
  bool changed = false;
  for (const auto& n : graph.nodes()) {
    if (!is_identity_like(n->op)) continue;
    for (size_t i = 0; i < n->inputs.size(); ++i) {
      if (n->op != "IdentityN" && i > 0) break;
      changed |= graph.replace_uses({n.get(), static_cast<int>(i)}, n->inputs[i]) > 0;
    }
  }
  return changed;
}

}  // namespace tfaot::passes
