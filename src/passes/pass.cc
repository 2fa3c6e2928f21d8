#include "passes/pass.h"

#include "support/error.h"

namespace tfaot::passes {

bool run_to_fixpoint(ir::Graph& graph, const std::vector<std::unique_ptr<Pass>>& passes,
                     int max_rounds) {
  bool any = false;
  for (int round = 0; round < max_rounds; ++round) {
    bool changed = false;
    for (const auto& p : passes) changed |= p->run(graph);
    if (!changed) return any;
    any = true;
  }
  return any;
}

}  // namespace tfaot::passes
