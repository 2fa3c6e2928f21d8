#include "passes/sparse_round_trip.h"

namespace tfaot::passes {

namespace {

// Follows Identity ops (the front end keeps some until IdentityElimination runs).
ir::Value skip_identity(ir::Value v) {
  while (v.node->op == "Identity" && v.node->inputs.size() == 1) v = v.node->inputs[0];
  return v;
}

// A scalar constant, possibly behind a Cast (TF casts the ignore value to x's dtype).
bool is_scalar_constant(ir::Value v) {
  v = skip_identity(v);
  if (v.node->op == "Cast" && v.node->inputs.size() == 1) v = skip_identity(v.node->inputs[0]);
  return v.node->is_const() && v.node->value->num_elements() == 1 && v.node->value->rank() == 0;
}

bool is_elementwise_link(const ir::Node& n) {
  if (n.op == "Identity" || n.op == "Cast") return n.inputs.size() == 1;
  if (n.op == "_TableFind")
    return n.inputs.size() == 4 && n.inputs[2].node->is_const() && n.inputs[3].node->is_const();
  return false;
}

}  // namespace

bool SparseRoundTrip::run(ir::Graph& graph) {
  bool changed = false;
  for (ir::Node* s : graph.topo_order()) {
    if (s->op != "SparseToDense" || s->inputs.size() != 4) continue;
    ir::Value where = skip_identity(s->inputs[0]);
    if (where.node->op != "Where" || where.node->inputs.size() != 1 || where.index != 0) continue;
    ir::Value mask = skip_identity(where.node->inputs[0]);
    if (mask.node->op != "NotEqual" || mask.node->inputs.size() != 2) continue;
    ir::Value x = skip_identity(mask.node->inputs[0]);
    if (!is_scalar_constant(mask.node->inputs[1])) continue;
    ir::Value shape = skip_identity(s->inputs[1]);
    if (shape.node->op != "Shape" || skip_identity(shape.node->inputs[0]) != x) continue;
    // values: a chain of elementwise links down to GatherNd(x, indices).
    std::vector<ir::Node*> chain;
    ir::Value v = s->inputs[2];
    while (is_elementwise_link(*v.node)) {
      chain.push_back(v.node);
      v = v.node->inputs[0];
    }
    if (v.node->op != "GatherNd" || v.node->inputs.size() != 2 || skip_identity(v.node->inputs[0]) != x ||
        skip_identity(v.node->inputs[1]) != where)
      continue;
    // Rebuild the chain on the dense x, innermost link first.
    ir::Value dense = x;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      ir::Node* c = graph.add_node((*it)->name + "/dense", (*it)->op);
      c->attrs = (*it)->attrs;
      c->inputs = (*it)->inputs;
      c->inputs[0] = dense;
      dense = {c, 0};
    }
    ir::Node* select = graph.add_node(s->name + "/dense", "SelectV2");
    select->attrs["T"] = s->attrs["T"];
    select->inputs = {mask, dense, s->inputs[3]};
    graph.replace_uses({s, 0}, {select, 0});
    changed = true;
  }
  return changed;
}

}  // namespace tfaot::passes
