#include "passes/fusion_util.h"

#include <cmath>

namespace tfaot::passes {

bool is_float_static(const ir::Node& n) {
  return n.outputs.size() == 1 && n.outputs[0].dtype == DType::Float && n.outputs[0].is_static();
}

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

UseInfo::UseInfo(const ir::Graph& g) : users_(g.users()) {
  for (const auto& o : g.outputs) outputs_.insert({o.value, true});
}

ir::Node* UseInfo::sole_user(const ir::Node* n) const {
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

int UseInfo::variable_operand(const ir::Node& n) {
  if (n.inputs.size() != 2) return -1;
  const bool c0 = n.inputs[0].node->is_const(), c1 = n.inputs[1].node->is_const();
  if (c0 == c1) return -1;
  return c0 ? 1 : 0;
}

namespace {

// Folds one per-channel affine node `u` (whose variable input is the chain so far) into
// (scale, shift); false if `u` is not one.
bool fold_affine(const ir::Node& u, const ir::Node* last, int64_t n, std::vector<double>& scale,
                 std::vector<double>& shift) {
  std::vector<double> v;
  if (u.op == "FusedBatchNorm" || u.op == "FusedBatchNormV2" || u.op == "FusedBatchNormV3") {
    if (u.attr_bool("is_training", true) || u.attr_string("data_format", "NHWC") != "NHWC" ||
        u.inputs.size() != 5 || u.inputs[0].node != last)
      return false;
    std::vector<double> s, o, m, var;
    if (!column_vector(u.const_input(1), n, s) || u.const_input(1)->shape().size() != 1 ||
        !column_vector(u.const_input(2), n, o) || !column_vector(u.const_input(3), n, m) ||
        !column_vector(u.const_input(4), n, var))
      return false;
    const double eps = u.attr_float("epsilon", 1e-4f);
    for (int64_t j = 0; j < n; ++j) {
      const double a = s[j] / std::sqrt(var[j] + eps);
      scale[j] *= a;
      shift[j] = (shift[j] - m[j]) * a + o[j];
    }
    return true;
  }
  if (u.op == "BiasAdd") {
    if (u.attr_string("data_format", "NHWC") != "NHWC" || u.inputs.size() != 2 ||
        u.inputs[0].node != last || !u.inputs[1].node->is_const() ||
        !column_vector(u.const_input(1), n, v) || u.const_input(1)->shape().size() != 1)
      return false;
    for (int64_t j = 0; j < n; ++j) shift[j] += v[j];
    return true;
  }
  const int vi = UseInfo::variable_operand(u);
  if (vi < 0 || !column_vector(u.const_input(1 - vi), n, v)) return false;
  if (u.op == "Add" || u.op == "AddV2") {
    for (int64_t j = 0; j < n; ++j) shift[j] += v[j];
  } else if (u.op == "Sub" && vi == 0) {
    for (int64_t j = 0; j < n; ++j) shift[j] -= v[j];
  } else if (u.op == "Mul") {
    for (int64_t j = 0; j < n; ++j) scale[j] *= v[j], shift[j] *= v[j];
  } else {
    return false;
  }
  return true;
}

}  // namespace

Epilogue match_epilogue(const UseInfo& uses, ir::Node* start, int64_t channels) {
  Epilogue e;
  e.last = start;
  e.scale.assign(static_cast<size_t>(channels), 1.0);
  e.shift.assign(static_cast<size_t>(channels), 0.0);
  const Shape shape = start->outputs[0].shape;
  auto next = [&]() -> ir::Node* {
    // Output 0 carries the chain (replacing it keeps any use of FusedBatchNorm's others).
    ir::Node* u = uses.sole_user(e.last);
    if (!u || u->outputs.empty() || u->outputs[0].dtype != DType::Float ||
        !u->outputs[0].is_static() || !u->control_inputs.empty() || u->outputs[0].shape != shape)
      return nullptr;
    return u;
  };
  while (ir::Node* u = next()) {
    std::vector<double> scale = e.scale, shift = e.shift;
    if (!fold_affine(*u, e.last, channels, scale, shift)) break;
    e.scale = std::move(scale);
    e.shift = std::move(shift);
    e.has_affine = true;
    e.last = u;
  }
  e.has_scale = false;
  for (double s : e.scale) e.has_scale |= s != 1.0;
  if (ir::Node* u = next(); u && u->inputs.size() == 1 &&
                            (u->op == "Relu" || u->op == "Relu6" || u->op == "Tanh" ||
                             u->op == "Sigmoid")) {
    e.activation = u->op;
    e.last = u;
  }
  return e;
}

}  // namespace tfaot::passes
