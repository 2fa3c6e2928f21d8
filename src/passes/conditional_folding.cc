#include "passes/conditional_folding.h"

#include <map>

#include "ops/control_flow.h"

namespace tfaot::passes {

std::vector<ir::Value> inline_subgraph(ir::Graph& into, const ir::Graph& sub,
                                       const std::vector<ir::Value>& args,
                                       const std::string& prefix) {
  if (args.size() != sub.inputs.size())
    fail("internal error: inlining a subgraph of {} inputs with {} arguments", sub.inputs.size(),
         args.size());
  std::map<const ir::Node*, ir::Value> arg_of;
  for (size_t i = 0; i < args.size(); ++i) arg_of[sub.inputs[i].node] = args[i];
  std::map<const ir::Node*, ir::Node*> copy;
  auto value = [&](const ir::Value& v) -> ir::Value {
    if (auto a = arg_of.find(v.node); a != arg_of.end()) return a->second;
    return {copy.at(v.node), v.index};
  };
  for (const ir::Node* n : sub.topo_order()) {
    if (arg_of.count(n)) continue;
    if (n->op == "Placeholder")
      fail("internal error: subgraph placeholder {} is not an input", n->describe());
    ir::Node* c = into.add_node(prefix + "/" + n->name, n->op);
    c->attrs = n->attrs;
    c->outputs = n->outputs;
    c->value = n->value;
    for (const auto& sg : n->subgraphs)
      c->subgraphs.push_back(sg ? std::shared_ptr<ir::Graph>(sg->clone()) : nullptr);
    for (const auto& v : n->inputs) c->inputs.push_back(value(v));
    for (const ir::Node* ci : n->control_inputs)
      if (!arg_of.count(ci)) c->control_inputs.push_back(copy.at(ci));
    copy[n] = c;
  }
  std::vector<ir::Value> outs;
  for (const auto& o : sub.outputs) outs.push_back(value(o.value));
  return outs;
}

bool ConditionalFolding::run(ir::Graph& graph) {
  std::vector<std::pair<ir::Node*, int>> fold;
  for (const auto& n : graph.nodes()) {
    if (n->op != "If" && n->op != "StatelessIf" && n->op != "Case" && n->op != "StatelessCase")
      continue;
    if (ops::pristine_subgraph_count(*n) == 0) continue;
    if (auto k = ops::static_branch(*n)) fold.push_back({n.get(), *k});
  }
  for (auto [n, k] : fold) {
    std::vector<ir::Value> args(n->inputs.begin() + 1, n->inputs.end());
    // Keep the branch alive while the conditional's uses move over.
    std::shared_ptr<ir::Graph> branch = n->subgraphs[k];
    auto outs = inline_subgraph(graph, *branch, args, n->name);
    for (size_t j = 0; j < outs.size(); ++j) graph.replace_uses({n, static_cast<int>(j)}, outs[j]);
  }
  return !fold.empty();
}

}  // namespace tfaot::passes
