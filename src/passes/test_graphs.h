// Tiny hand-built graphs for the pass tests.
#pragma once

#include "ir/graph.h"

namespace tfaot::passes::testing {

inline ir::Node* placeholder(ir::Graph& g, const std::string& key, DType dtype, Shape shape) {
  ir::Node* p = g.add_node(key, "Placeholder");
  p->set_attr_type("dtype", dtype);
  ir::TensorType t{dtype, shape, true};
  p->outputs = {t};
  g.inputs.push_back({key, key + ":0", t, p});
  return p;
}

inline ir::Node* node(ir::Graph& g, const std::string& name, const std::string& op,
                      std::vector<ir::Value> inputs, DType t = DType::Float) {
  ir::Node* n = g.add_node(name, op);
  n->inputs = std::move(inputs);
  n->set_attr_type("T", t);
  return n;
}

inline void output(ir::Graph& g, const std::string& key, ir::Value v) {
  g.outputs.push_back({key, v.str(), {}, v});
}

// A string tensor of the given shape and values.
inline Tensor strings(Shape shape, const std::vector<std::string>& values) {
  Tensor t(DType::String, std::move(shape));
  t.strings() = values;
  return t;
}

inline int count_op(const ir::Graph& g, const std::string& op) {
  int c = 0;
  for (const auto& n : g.nodes()) c += n->op == op;
  return c;
}

}  // namespace tfaot::passes::testing
