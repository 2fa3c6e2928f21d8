#include "passes/fuse_dense.h"

#include <vector>

#include "ops/op.h"
#include "passes/fusion_util.h"

namespace tfaot::passes {
namespace {

class Fuser {
 public:
  explicit Fuser(ir::Graph& g) : g_(g), uses_(g) {}
  bool fuse(ir::Node* mm);

 private:
  ir::Node* sole_user(const ir::Node* n) const { return uses_.sole_user(n); }
  static int variable_operand(const ir::Node& n) { return UseInfo::variable_operand(n); }

  ir::Graph& g_;
  UseInfo uses_;
};

bool Fuser::fuse(ir::Node* mm) {
  if (mm->op != "MatMul" || mm->inputs.size() != 2 || !is_float_static(*mm)) return false;
  if (mm->attr_bool("transpose_a", false) || !mm->control_inputs.empty()) return false;
  const Tensor* w = mm->const_input(1);
  const ir::TensorType& xt = mm->input_type(0);
  if (!w || w->dtype() != DType::Float || w->shape().size() != 2 || xt.shape.size() != 2)
    return false;
  const bool tb = mm->attr_bool("transpose_b", false);
  const int64_t k = tb ? w->shape()[1] : w->shape()[0];
  const int64_t n = tb ? w->shape()[0] : w->shape()[1];
  if (xt.shape[1] != k) return false;

  // Weights as [K,N] in double while folding.
  std::vector<double> wd(static_cast<size_t>(k * n));
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t j = 0; j < n; ++j)
      wd[kk * n + j] = w->data<float>()[tb ? j * k + kk : kk * n + j];
  std::vector<double> bias(static_cast<size_t>(n), 0.0), v;

  // Preceding shift (Add) and scale (Mul), each only feeding the next step of the chain.
  ir::Value x = mm->inputs[0];
  ir::Node* chain = mm;
  auto foldable = [&](const ir::Node* p) {
    return is_float_static(*p) && p->control_inputs.empty() && sole_user(p) == chain &&
           variable_operand(*p) >= 0 && p->input_type(variable_operand(*p)).shape == xt.shape;
  };
  if ((x.node->op == "Add" || x.node->op == "AddV2") && foldable(x.node)) {
    const int vi = variable_operand(*x.node);
    if (column_vector(x.node->const_input(1 - vi), k, v)) {
      for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t j = 0; j < n; ++j) bias[j] += v[kk] * wd[kk * n + j];
      chain = x.node;
      x = x.node->inputs[vi];
    }
  }
  if (x.node->op == "Mul" && foldable(x.node)) {
    const int vi = variable_operand(*x.node);
    if (column_vector(x.node->const_input(1 - vi), k, v)) {
      for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t j = 0; j < n; ++j) wd[kk * n + j] *= v[kk];
      x = x.node->inputs[vi];
    }
  }

  // Following per-column affine ops (bias, batch norm) and activation: the scale folds into
  // the columns of W.
  Epilogue e = match_epilogue(uses_, mm, n);
  for (int64_t j = 0; j < n; ++j) {
    bias[j] = bias[j] * e.scale[j] + e.shift[j];
    if (e.has_scale)
      for (int64_t kk = 0; kk < k; ++kk) wd[kk * n + j] *= e.scale[j];
  }
  ir::Node* last = e.last;
  const std::string activation = e.activation;

  Tensor wt(DType::Float, {k, n}), bt(DType::Float, {n});
  for (int64_t i = 0; i < k * n; ++i) wt.data<float>()[i] = static_cast<float>(wd[i]);
  for (int64_t j = 0; j < n; ++j) bt.data<float>()[j] = static_cast<float>(bias[j]);
  ir::Node* wn = g_.add_const(mm->name + "/packed_weights", std::move(wt));
  ir::Node* bn = g_.add_const(mm->name + "/fused_bias", std::move(bt));
  ir::Node* f = g_.add_node(last->name + "/fused_dense", "_FusedDense");
  f->inputs = {x, {wn, 0}, {bn, 0}};
  f->set_attr_type("T", DType::Float);
  f->attrs["activation"].set_s(activation);
  ops::find_op("_FusedDense")->infer(*f);
  g_.replace_uses({last, 0}, {f, 0});
  return true;
}

}  // namespace

bool FuseDense::run(ir::Graph& graph) {
  if (!ops::find_op("_FusedDense")) return false;
  bool changed = false;
  for (ir::Node* n : graph.topo_order()) {
    if (n->op != "MatMul") continue;
    Fuser fuser(graph);  // fresh use lists: earlier fusions rewired the graph
    changed |= fuser.fuse(n);
  }
  return changed;
}

}  // namespace tfaot::passes
