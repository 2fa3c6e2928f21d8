#include "passes/constant_folding.h"

#include "ops/interpreter.h"
#include "ops/op.h"

namespace tfaot::passes {

namespace {

// Shape/Size/Rank only need the (static) input type, not its data.
bool is_type_only_op(const std::string& op) {
  return op == "Shape" || op == "ShapeN" || op == "Size" || op == "Rank";
}

Tensor int_tensor(DType dtype, Shape shape, const std::vector<int64_t>& values) {
  Tensor t(dtype, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i) t.set_double(static_cast<int64_t>(i), static_cast<double>(values[i]));
  return t;
}

std::vector<Tensor> fold_type_only(const ir::Node& node) {
  std::vector<Tensor> out;
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    const ir::TensorType& in = node.input_type(node.op == "ShapeN" ? static_cast<int>(i) : 0);
    DType dt = node.outputs[i].dtype;
    if (node.op == "Shape" || node.op == "ShapeN")
      out.push_back(int_tensor(dt, {static_cast<int64_t>(in.shape.size())}, in.shape));
    else if (node.op == "Size")
      out.push_back(int_tensor(dt, {}, {num_elements(in.shape)}));
    else
      out.push_back(int_tensor(dt, {}, {static_cast<int64_t>(in.shape.size())}));
  }
  return out;
}

}  // namespace

bool ConstantFolding::fold_node(ir::Graph& graph, ir::Node& node) {
  if (node.op == "Const" || node.op == "Placeholder" || node.outputs.empty()) return false;
  const ops::Op* op = ops::find_op(node.op);
  if (!op || !op->foldable()) return false;
  uint64_t bytes = 0;
  for (const auto& t : node.outputs) {
    if (!t.is_static() || t.dtype == DType::String) return false;
    bytes += static_cast<uint64_t>(t.num_elements()) * dtype_size(t.dtype);
  }
  if (bytes > kMaxFoldedBytes) return false;

  std::vector<Tensor> results;
  if (is_type_only_op(node.op)) {
    for (size_t i = 0; i < node.inputs.size(); ++i)
      if (!node.input_type(static_cast<int>(i)).is_static()) return false;
    results = fold_type_only(node);
  } else {
    std::vector<const Tensor*> inputs;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const Tensor* c = node.const_input(static_cast<int>(i));
      if (!c) return false;
      inputs.push_back(c);
    }
    results = ops::evaluate_node(node, inputs);
  }

  bool replaced = false;
  for (size_t i = 0; i < results.size(); ++i) {
    ir::Node* c = graph.add_const(node.name + "/folded", std::move(results[i]));
    replaced |= graph.replace_uses({&node, static_cast<int>(i)}, {c, 0}) > 0;
  }
  return replaced;
}

bool ConstantFolding::run(ir::Graph& graph) {
  bool changed = false;
  for (ir::Node* n : graph.topo_order()) changed |= fold_node(graph, *n);
  return changed;
}

}  // namespace tfaot::passes
