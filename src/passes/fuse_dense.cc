#include "passes/fuse_dense.h"

#include <map>
#include <vector>

#include "ops/op.h"

namespace tfaot::passes {
namespace {

bool is_float_static(const ir::Node& n) {
  return n.outputs.size() == 1 && n.outputs[0].dtype == DType::Float && n.outputs[0].is_static();
}

// A float32 vector constant usable as a per-column operand of length `len` ([], [len], [1,len]);
// returns its values broadcast to `len`, or false.
bool column_vector(const Tensor* t, int64_t len, std::vector<double>& out) {
  if (!t || t->dtype() != DType::Float) return false;
  const Shape& s = t->shape();
  const bool scalar = s.empty() || (t->num_elements() == 1 && len == 1);
  const bool vec = (s.size() == 1 && s[0] == len) || (s.size() == 2 && s[0] == 1 && s[1] == len);
  if (!scalar && !vec) return false;
  out.resize(static_cast<size_t>(len));
  for (int64_t i = 0; i < len; ++i) out[i] = t->data<float>()[scalar ? 0 : i];
  return true;
}

class Fuser {
 public:
  explicit Fuser(ir::Graph& g) : g_(g), users_(g.users()) {
    for (const auto& o : g.outputs) outputs_.insert({o.value, true});
  }

  // The only consumer of output 0 of `n` (used exactly once, not a signature output, no
  // control users), or nullptr.
  ir::Node* sole_user(const ir::Node* n) const {
    if (outputs_.count(ir::Value{const_cast<ir::Node*>(n), 0})) return nullptr;
    auto it = users_.find(n);
    if (it == users_.end() || it->second.size() != 1) return nullptr;
    ir::Node* u = it->second.front();
    int uses = 0;
    for (const auto& v : u->inputs) uses += v.node == n;
    for (const ir::Node* c : u->control_inputs)
      if (c == n) return nullptr;
    return uses == 1 ? u : nullptr;
  }

  // Index of the non-constant operand of a binary node whose other operand is a Const.
  static int variable_operand(const ir::Node& n) {
    if (n.inputs.size() != 2) return -1;
    const bool c0 = n.inputs[0].node->is_const(), c1 = n.inputs[1].node->is_const();
    if (c0 == c1) return -1;
    return c0 ? 1 : 0;
  }

  bool fuse(ir::Node* mm);

 private:
  ir::Graph& g_;
  std::map<const ir::Node*, std::vector<ir::Node*>> users_;
  std::map<ir::Value, bool> outputs_;
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
        for (int64_t j = 0; j < n; ++j) wd[kk * n + j] = float(v[kk] * wd[kk * n + j]);
      x = x.node->inputs[vi];
    }
  }

  // Following bias and activation.
  ir::Node* last = mm;
  std::string activation = "None";
  if (ir::Node* u = sole_user(last); u && is_float_static(*u) && u->control_inputs.empty() &&
      u->outputs[0].shape == mm->outputs[0].shape) {
    const bool bias_add = u->op == "BiasAdd" && u->attr_string("data_format", "NHWC") == "NHWC" &&
                          u->inputs.size() == 2 && u->inputs[0].node == mm;
    const bool add = (u->op == "Add" || u->op == "AddV2") && variable_operand(*u) >= 0;
    if (bias_add || add) {
      const Tensor* c = u->const_input(bias_add ? 1 : 1 - variable_operand(*u));
      if (column_vector(c, n, v)) {
        for (int64_t j = 0; j < n; ++j) bias[j] += v[j];
        last = u;
      }
    }
  }
  if (ir::Node* u = sole_user(last); u && is_float_static(*u) && u->control_inputs.empty() &&
      u->inputs.size() == 1 &&
      (u->op == "Relu" || u->op == "Relu6" || u->op == "Tanh" || u->op == "Sigmoid")) {
    activation = u->op;
    last = u;
  }

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
