#include "passes/switch_merge_resolution.h"

#include <set>

namespace tfaot::passes {

namespace {

bool is_switch(const std::string& op) { return op == "Switch" || op == "RefSwitch"; }
bool is_merge(const std::string& op) { return op == "Merge" || op == "RefMerge"; }

// The constant behind v, looking through Identity chains.
const Tensor* constant_of(ir::Value v) {
  while (v.node->op == "Identity" && !v.node->inputs.empty()) v = v.node->inputs[0];
  return v.node->is_const() ? v.node->value.get() : nullptr;
}

}  // namespace

bool SwitchMergeResolution::run(ir::Graph& graph) {
  std::set<const ir::Node*> dead_nodes;
  std::set<ir::Value> dead_outputs;
  std::vector<std::pair<ir::Node*, int>> switches;  // resolved: (switch, live output)
  std::vector<std::pair<ir::Node*, int>> merges;    // resolved: (merge, live input)
  auto is_dead = [&](const ir::Value& v) { return dead_nodes.count(v.node) || dead_outputs.count(v); };

  for (ir::Node* n : graph.topo_order()) {
    bool any_dead_input = false;
    for (const auto& v : n->inputs) any_dead_input |= is_dead(v);
    bool dead_control = false;
    for (const ir::Node* c : n->control_inputs) dead_control |= dead_nodes.count(c) > 0;

    if (is_merge(n->op)) {
      std::vector<int> live;
      for (size_t i = 0; i < n->inputs.size(); ++i)
        if (!is_dead(n->inputs[i])) live.push_back(static_cast<int>(i));
      if (live.empty()) dead_nodes.insert(n);
      else if (live.size() == 1 && live.size() < n->inputs.size()) merges.push_back({n, live[0]});
      continue;
    }
    if (any_dead_input || dead_control) {
      dead_nodes.insert(n);
      continue;
    }
    if (is_switch(n->op) && n->inputs.size() == 2) {
      const Tensor* pred = constant_of(n->inputs[1]);
      if (!pred) continue;
      if (pred->dtype() != DType::Bool || pred->num_elements() != 1)
        fail("{}: predicate must be a bool scalar", n->describe());
      bool taken = pred->data<bool>()[0];
      dead_outputs.insert({n, taken ? 0 : 1});
      switches.push_back({n, taken ? 1 : 0});
    }
  }
  if (switches.empty()) return false;

  for (const auto& o : graph.outputs)
    if (is_dead(o.value))
      fail("signature output '{}' ({}) is never computed under the pinned predicates", o.key,
           o.value.str());
  bool changed = false;
  for (auto [sw, live] : switches) changed |= graph.replace_uses({sw, live}, sw->inputs[0]) > 0;
  for (auto [merge, live] : merges) {
    changed |= graph.replace_uses({merge, 0}, merge->inputs[live]) > 0;
    ir::Node* index = graph.add_const(merge->name + "/value_index", Tensor::scalar<int32_t>(live));
    changed |= graph.replace_uses({merge, 1}, {index, 0}) > 0;
  }
  return changed;
}

}  // namespace tfaot::passes
