#include "ops/interpreter.h"

#include <set>

#include "ops/op.h"

namespace tfaot::ops {

std::vector<Tensor> evaluate_node(const ir::Node& node, const std::vector<const Tensor*>& inputs) {
  const Op* op = find_op(node.op);
  if (!op) fail("{}: unsupported op", node.describe());
  std::vector<Tensor> out = op->evaluate(node, std::span<const Tensor* const>(inputs));
  if (!node.outputs.empty() && out.size() != node.outputs.size())
    fail("internal: {} evaluated to {} outputs, expected {}", node.describe(), out.size(),
         node.outputs.size());
  for (size_t i = 0; i < out.size() && i < node.outputs.size(); ++i) {
    const auto& t = node.outputs[i];
    if (t.is_static() && (out[i].dtype() != t.dtype || out[i].shape() != t.shape))
      fail("internal: {} output {} evaluated as {}{}, inferred {}", node.describe(), i,
           dtype_name(out[i].dtype()), shape_str(out[i].shape()), t.str());
  }
  return out;
}

std::vector<Tensor> interpret(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                              std::map<ir::Value, Tensor>* trace) {
  if (inputs.size() != graph.inputs.size())
    fail("model has {} inputs, {} given", graph.inputs.size(), inputs.size());
  std::map<ir::Value, Tensor> values;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& sig = graph.inputs[i];
    const auto& t = sig.node->outputs.empty() ? sig.type : sig.node->outputs[0];
    if (inputs[i].dtype() != t.dtype || (t.is_static() && inputs[i].shape() != t.shape))
      fail("input '{}' expects {}, got {}{}", sig.key, t.str(), dtype_name(inputs[i].dtype()),
           shape_str(inputs[i].shape()));
    values[{sig.node, 0}] = inputs[i];
  }
  // Only what the outputs need is evaluated.
  std::set<const ir::Node*> needed;
  std::vector<const ir::Node*> stack;
  for (const auto& o : graph.outputs) stack.push_back(o.value.node);
  while (!stack.empty()) {
    const ir::Node* n = stack.back();
    stack.pop_back();
    if (!needed.insert(n).second) continue;
    for (const auto& v : n->inputs) stack.push_back(v.node);
  }
  for (const ir::Node* n : graph.topo_order()) {
    if (!needed.count(n) || values.count({const_cast<ir::Node*>(n), 0})) continue;
    std::vector<const Tensor*> in;
    for (const auto& v : n->inputs) {
      auto it = values.find(v);
      if (it == values.end()) fail("{}: input {} has no value", n->describe(), v.str());
      in.push_back(&it->second);
    }
    auto out = evaluate_node(*n, in);
    for (size_t i = 0; i < out.size(); ++i)
      values[{const_cast<ir::Node*>(n), static_cast<int>(i)}] = std::move(out[i]);
  }
  std::vector<Tensor> result;
  for (const auto& o : graph.outputs) {
    auto it = values.find(o.value);
    if (it == values.end()) fail("output '{}' ({}) has no value", o.key, o.value.str());
    result.push_back(it->second);
  }
  if (trace) *trace = std::move(values);
  return result;
}

}  // namespace tfaot::ops
