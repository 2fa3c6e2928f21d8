#include "passes/dead_code_elimination.h"

#include <set>

namespace tfaot::passes {

bool DeadCodeElimination::run(ir::Graph& graph) {
  bool changed = false;
  for (const auto& n : graph.nodes())
    if (!n->control_inputs.empty()) {
      n->control_inputs.clear();
      changed = true;
    }
  std::set<const ir::Node*> live;
  std::vector<const ir::Node*> stack;
  for (const auto& o : graph.outputs) stack.push_back(o.value.node);
  for (const auto& in : graph.inputs) stack.push_back(in.node);
  while (!stack.empty()) {
    const ir::Node* n = stack.back();
    stack.pop_back();
    if (!live.insert(n).second) continue;
    for (const auto& v : n->inputs) stack.push_back(v.node);
  }
  size_t before = graph.size();
  graph.remove_nodes([&](const ir::Node& n) { return !live.count(&n); });
  return changed || graph.size() != before;
}

}  // namespace tfaot::passes
