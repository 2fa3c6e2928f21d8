#include "passes/subgraph_constants.h"

#include "ops/control_flow.h"

namespace tfaot::passes {

namespace {

// Points the node uses (not the graph outputs) of `arg` at a new constant `value`.
bool substitute(ir::Graph& g, ir::Node* arg, const Tensor& value) {
  std::vector<ir::Value*> uses;
  for (const auto& n : g.nodes())
    for (auto& in : n->inputs)
      if (in.node == arg) uses.push_back(&in);
  if (uses.empty()) return false;
  ir::Node* k = g.add_const(arg->name + "_const", value);
  for (ir::Value* in : uses) *in = {k, 0};
  return true;
}

}  // namespace

bool SubgraphConstants::run(ir::Graph& graph) {
  bool changed = false;
  for (const auto& n : graph.nodes()) {
    const size_t count = ops::pristine_subgraph_count(*n);
    for (size_t i = 0; count && i < n->inputs.size(); ++i) {
      const Tensor* value = n->const_input(static_cast<int>(i));
      const int arg = value ? ops::invariant_argument(*n, static_cast<int>(i)) : -1;
      if (arg < 0) continue;
      for (size_t k = 0; k < count; ++k) {
        ir::Graph& sub = *n->subgraphs[k];
        if (static_cast<size_t>(arg) < sub.inputs.size())
          changed |= substitute(sub, sub.inputs[arg].node, *value);
      }
    }
  }
  return changed;
}

}  // namespace tfaot::passes
