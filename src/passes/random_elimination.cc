#include "passes/random_elimination.h"

#include <cmath>
#include <map>

namespace tfaot::passes {

namespace {

struct Interval {
  double lo, hi;  // closed, as values of the node's dtype
};

// Rounds to the node's float type (float32 results are what the generated code computes).
double round_to(DType t, double v) { return t == DType::Float ? static_cast<double>(static_cast<float>(v)) : v; }

// The scalar constant behind input i, if any.
const Tensor* scalar_const(const ir::Node& n, int i) {
  const Tensor* c = n.const_input(i);
  return c && c->num_elements() == 1 && dtype_is_float(c->dtype()) ? c : nullptr;
}

}  // namespace

bool RandomElimination::run(ir::Graph& graph) {
  std::map<const ir::Node*, Interval> range;
  bool changed = false;
  for (ir::Node* n : graph.topo_order()) {
    if (n->outputs.size() != 1) continue;
    DType t = n->outputs[0].dtype;
    if (n->op == "RandomUniform") {
      // TF draws 23 (float) / 52 (double) random mantissa bits: [0, 1 - ulp].
      range[n] = {0.0, t == DType::Float ? 1.0 - std::ldexp(1.0, -23) : 1.0 - std::ldexp(1.0, -52)};
      continue;
    }
    if (n->inputs.size() != 2 && n->op != "Floor") continue;
    if (n->op == "Floor") {
      auto it = range.find(n->inputs[0].node);
      if (it == range.end() || !n->outputs[0].is_static()) continue;
      double lo = std::floor(it->second.lo), hi = std::floor(it->second.hi);
      if (lo != hi) continue;
      Tensor value(t, n->outputs[0].shape);
      for (int64_t i = 0; i < value.num_elements(); ++i) value.set_double(i, lo);
      ir::Node* c = graph.add_const(n->name + "/no_randomness", std::move(value));
      changed |= graph.replace_uses({n, 0}, {c, 0}) > 0;
      continue;
    }
    // Affine ops with one interval operand and one constant scalar operand.
    int var = range.count(n->inputs[0].node) ? 0 : range.count(n->inputs[1].node) ? 1 : -1;
    if (var < 0) continue;
    const Tensor* c = scalar_const(*n, 1 - var);
    if (!c) continue;
    double k = c->get_double(0);
    Interval in = range[n->inputs[var].node];
    Interval out;
    if (n->op == "Add" || n->op == "AddV2") {
      out = {round_to(t, in.lo + k), round_to(t, in.hi + k)};
    } else if (n->op == "Sub") {
      out = var == 0 ? Interval{round_to(t, in.lo - k), round_to(t, in.hi - k)}
                     : Interval{round_to(t, k - in.hi), round_to(t, k - in.lo)};
    } else if (n->op == "Mul") {
      double a = round_to(t, in.lo * k), b = round_to(t, in.hi * k);
      out = {std::min(a, b), std::max(a, b)};
    } else {
      continue;
    }
    range[n] = out;
  }
  return changed;
}

}  // namespace tfaot::passes
