#include "passes/prune_loop_variables.h"

#include "ops/control_flow.h"

namespace tfaot::passes {

namespace {

bool is_loop(const ir::Node& n) { return n.op == "While" || n.op == "StatelessWhile"; }

// Whether anything in `g` other than graph output `except` (-1: none) reads `arg`.
bool read_in(const ir::Graph& g, const ir::Node* arg, int except) {
  for (const auto& n : g.nodes()) {
    for (const auto& in : n->inputs)
      if (in.node == arg) return true;
    for (const ir::Node* c : n->control_inputs)
      if (c == arg) return true;
  }
  for (size_t o = 0; o < g.outputs.size(); ++o)
    if (g.outputs[o].value.node == arg && static_cast<int>(o) != except) return true;
  return false;
}

bool final_value_used(const ir::Graph& graph, const ir::Node* loop, int i) {
  for (const auto& n : graph.nodes())
    for (const auto& in : n->inputs)
      if (in.node == loop && in.index == i) return true;
  for (const auto& o : graph.outputs)
    if (o.value.node == loop && o.value.index == i) return true;
  return false;
}

bool dead_variable(const ir::Graph& graph, const ir::Node& loop, int i) {
  const ir::Graph& cond = *loop.subgraphs[ops::kCond];
  const ir::Graph& body = *loop.subgraphs[ops::kBody];
  const ir::Node* body_arg = body.inputs[i].node;
  if (body.outputs[i].value.node != body_arg) return false;  // changed by the body
  return !read_in(body, body_arg, i) && !read_in(cond, cond.inputs[i].node, -1) &&
         !final_value_used(graph, &loop, i);
}

template <class List>
void erase_at(List* list, int i) {
  if (i < static_cast<int>(list->size())) list->erase(list->begin() + i);
}

// Removes the i-th entry of a list attribute (types or shapes), if the node has it.
void erase_list_attr(ir::Node& loop, const char* name, int i) {
  auto it = loop.attrs.find(name);
  if (it == loop.attrs.end() || !it->second.has_list()) return;
  auto* list = it->second.mutable_list();
  erase_at(list->mutable_type(), i);
  erase_at(list->mutable_shape(), i);
}

void remove_variable(ir::Graph& graph, ir::Node& loop, int i) {
  for (int k : {ops::kCond, ops::kBody}) {
    ir::Graph& sub = *loop.subgraphs[k];
    const ir::Node* arg = sub.inputs[i].node;
    sub.inputs.erase(sub.inputs.begin() + i);
    if (k == ops::kBody) sub.outputs.erase(sub.outputs.begin() + i);
    sub.remove_nodes([arg](const ir::Node& n) { return &n == arg; });
  }
  loop.subgraphs.resize(2);  // specialized copies are re-derived by the next inference
  loop.inputs.erase(loop.inputs.begin() + i);
  erase_at(&loop.outputs, i);
  erase_list_attr(loop, "T", i);
  erase_list_attr(loop, "output_shapes", i);
  for (const auto& n : graph.nodes())
    for (auto& in : n->inputs)
      if (in.node == &loop && in.index > i) --in.index;
  for (auto& o : graph.outputs)
    if (o.value.node == &loop && o.value.index > i) --o.value.index;
}

}  // namespace

bool PruneLoopVariables::run(ir::Graph& graph) {
  bool changed = false;
  for (const auto& n : graph.nodes()) {
    if (!is_loop(*n) || n->subgraphs.size() < 2) continue;
    for (int i = static_cast<int>(n->inputs.size()) - 1; i >= 0; --i) {
      if (!dead_variable(graph, *n, i)) continue;
      remove_variable(graph, *n, i);
      changed = true;
    }
  }
  return changed;
}

}  // namespace tfaot::passes
