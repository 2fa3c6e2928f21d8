#include "passes/hoist_input_projection.h"

#include "ops/control_flow.h"
#include "passes/dead_code_elimination.h"

namespace tfaot::passes {

namespace {

Tensor i32_vector(const std::vector<int64_t>& v) {
  std::vector<int32_t> d(v.begin(), v.end());
  return Tensor::from_vector<int32_t>({static_cast<int64_t>(d.size())}, d);
}

// Argument index of body Placeholder `p` (-1 if it is not one).
int argument_of(const ir::Graph& body, const ir::Node* p) {
  for (size_t i = 0; i < body.inputs.size(); ++i)
    if (body.inputs[i].node == p) return static_cast<int>(i);
  return -1;
}

// A projection to hoist out of `loop`'s pristine body.
struct Candidate {
  ir::Node* matmul = nullptr;
  ir::Node* get_item = nullptr;
  int list_arg = -1;
  ir::Value weights;            // a Const of the outer graph or of the body
  bool weights_in_body = true;  // then copied out
};

// The inferred type of `v`, if any.
const ir::TensorType* type_of(const ir::Value& v) {
  return v.index < static_cast<int>(v.node->outputs.size()) ? &v.node->outputs[v.index] : nullptr;
}

std::optional<Candidate> find_candidate(ir::Node& loop) {
  ir::Graph& body = *loop.subgraphs[ops::kBody];
  for (const auto& n : body.nodes()) {
    if (n->op != "MatMul" || n->inputs.size() != 2 || n->attr_bool("transpose_a", false)) continue;
    ir::Node* gi = n->inputs[0].node;
    if (gi->op != "TensorListGetItem" || n->inputs[0].index != 0) continue;
    const int a = argument_of(body, gi->inputs[0].node);
    if (a < 0 || ops::invariant_argument(loop, a) != a) continue;
    const ir::TensorType* xs = type_of(loop.inputs[a]);
    if (!xs || !xs->is_static() || xs->shape.size() != 3 || xs->dtype != DType::Float) continue;
    ir::Value w = n->inputs[1];
    const bool in_body = w.node->is_const();
    if (!in_body) {
      const int wa = argument_of(body, w.node);
      if (wa < 0 || ops::invariant_argument(loop, wa) != wa || !loop.const_input(wa)) continue;
      w = loop.inputs[wa];
    }
    const Tensor& wt = *w.node->value;
    const bool tb = n->attr_bool("transpose_b", false);
    if (wt.rank() != 2 || wt.shape()[tb ? 1 : 0] != xs->shape[2] || wt.dtype() != DType::Float)
      continue;
    return Candidate{n.get(), gi, a, w, in_body};
  }
  return std::nullopt;
}

// Appends a loop-invariant argument to cond and body (the body returns it unchanged).
ir::Node* add_invariant_argument(ir::Node& loop, DType dtype) {
  ir::Node* body_arg = nullptr;
  for (int k : {ops::kCond, ops::kBody}) {
    ir::Graph& g = *loop.subgraphs[k];
    const std::string key = "arg" + std::to_string(g.inputs.size());
    ir::Node* p = g.add_node(key, "Placeholder");
    p->set_attr_type("dtype", dtype);
    ir::TensorType t{dtype, {}, false};
    p->outputs = {t};
    g.inputs.push_back({key, p->name + ":0", t, p});
    if (k == ops::kBody) {
      g.outputs.push_back({"out" + std::to_string(g.outputs.size()), p->name + ":0", t, {p, 0}});
      body_arg = p;
    }
  }
  if (auto it = loop.attrs.find("T"); it != loop.attrs.end())
    it->second.mutable_list()->add_type(static_cast<tensorflow::DataType>(dtype));
  return body_arg;
}

void hoist(ir::Graph& outer, ir::Node& loop, const Candidate& c) {
  const Shape& xs = loop.input_type(c.list_arg).shape;  // [T, B, K]
  const Tensor& w = *c.weights.node->value;
  const bool tb = c.matmul->attr_bool("transpose_b", false);
  const int64_t units = w.shape()[tb ? 0 : 1];
  const std::string base = loop.name + "/hoisted_projection";
  ir::Value weights = c.weights;
  if (c.weights_in_body)
    weights = {outer.add_const(base + "/weights", w), 0};
  ir::Node* flat_shape = outer.add_const(base + "/flat_shape", i32_vector({xs[0] * xs[1], xs[2]}));
  ir::Node* flat = outer.add_node(base + "/flatten", "Reshape");
  flat->inputs = {loop.inputs[c.list_arg], {flat_shape, 0}};
  flat->set_attr_type("T", DType::Float);
  ir::Node* mm = outer.add_node(base + "/MatMul", "MatMul");
  mm->inputs = {{flat, 0}, weights};
  mm->attrs = c.matmul->attrs;
  ir::Node* seq_shape = outer.add_const(base + "/shape", i32_vector({xs[0], xs[1], units}));
  ir::Node* seq = outer.add_node(base + "/sequence", "Reshape");
  seq->inputs = {{mm, 0}, {seq_shape, 0}};
  seq->set_attr_type("T", DType::Float);
  loop.inputs.push_back({seq, 0});

  ir::Graph& body = *loop.subgraphs[ops::kBody];
  ir::Node* arg = add_invariant_argument(loop, DType::Float);
  ir::Node* any_shape =
      body.add_const(c.get_item->name + "/projected_shape", Tensor::scalar<int32_t>(-1));
  ir::Node* gi = body.add_node(c.matmul->name + "/hoisted", "TensorListGetItem");
  gi->inputs = {{arg, 0}, c.get_item->inputs[1], {any_shape, 0}};
  gi->set_attr_type("element_dtype", DType::Float);
  body.replace_uses({c.matmul, 0}, {gi, 0});
  DeadCodeElimination().run(body);
}

}  // namespace

bool HoistInputProjection::run(ir::Graph& graph) {
  bool changed = false;
  std::vector<ir::Node*> loops;
  for (const auto& n : graph.nodes())
    if ((n->op == "While" || n->op == "StatelessWhile") && n->subgraphs.size() >= 2)
      loops.push_back(n.get());
  for (ir::Node* loop : loops)
    while (auto c = find_candidate(*loop)) {
      hoist(graph, *loop, *c);
      changed = true;
    }
  return changed;
}

}  // namespace tfaot::passes
