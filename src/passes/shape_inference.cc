#include "passes/shape_inference.h"

#include "ops/op.h"
#include "passes/constant_folding.h"
#include "support/limits.h"

namespace tfaot::passes {

bool ShapeInference::run(ir::Graph& graph) {
  bool changed = false;
  for (ir::Node* n : graph.topo_order()) {
    const ops::Op* op = ops::find_op(n->op);
    if (!op) fail("{}: unsupported op '{}'", n->describe(), n->op);
    for (size_t i = 0; i < n->inputs.size(); ++i) {
      const ir::Value& v = n->inputs[i];
      if (v.index >= static_cast<int>(v.node->outputs.size()))
        fail("{}: input {} refers to output {} of {}, which has {} outputs", n->describe(), i,
             v.index, v.node->describe(), v.node->outputs.size());
    }
    std::vector<ir::TensorType> before = n->outputs;
    op->infer(*n);
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      const ir::TensorType& t = n->outputs[i];
      if (!t.is_static())
        fail("internal: {} output {} has no static type after inference ({})", n->describe(),
             i, t.str());
      // Before anything folds, plans or emits a buffer of this size.
      const size_t es = t.dtype == DType::String ? sizeof(std::string) : dtype_size(t.dtype);
      check_limit(Limit::TensorBytes, saturated_bytes(t.shape, es),
                  fmt::format("{} output {} ({})", n->describe(), i, t.str()));
    }
    changed |= before != n->outputs;
    changed |= ConstantFolding::fold_node(graph, *n);
  }
  return changed;
}

}  // namespace tfaot::passes
