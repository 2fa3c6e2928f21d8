// Helpers shared by the functional control-flow ops (while.cc, conditional.cc).
#include "ops/control_flow.h"

#include "ops/op.h"
#include "support/error.h"

namespace tfaot::ops {

namespace {

std::function<void(ir::Graph&)>& optimizer() {
  static std::function<void(ir::Graph&)> fn;
  return fn;
}

bool is_loop(const ir::Node& n) { return n.op == "While" || n.op == "StatelessWhile"; }
bool is_if(const ir::Node& n) { return n.op == "If" || n.op == "StatelessIf"; }
bool is_case(const ir::Node& n) { return n.op == "Case" || n.op == "StatelessCase"; }

void infer_plain(ir::Graph& g) {
  for (ir::Node* n : g.topo_order()) {
    const Op* op = find_op(n->op);
    if (!op) fail("{}: unsupported op '{}'", n->describe(), n->op);
    op->infer(*n);
  }
}

}  // namespace

void set_subgraph_optimizer(std::function<void(ir::Graph&)> fn) { optimizer() = std::move(fn); }

size_t pristine_subgraph_count(const ir::Node& node) {
  if (is_loop(node) || is_if(node)) return std::min<size_t>(2, node.subgraphs.size());
  if (is_case(node)) {
    const auto* b = node.find_attr("branches");
    size_t n = b ? static_cast<size_t>(b->list().func_size()) : 0;
    return std::min(n, node.subgraphs.size());
  }
  return 0;
}

int invariant_argument(const ir::Node& node, int input) {
  if (is_if(node) || is_case(node)) return input - 1;
  if (!is_loop(node) || node.subgraphs.size() <= kBody) return -1;
  const ir::Graph& body = *node.subgraphs[kBody];
  const size_t i = static_cast<size_t>(input);
  if (i >= body.inputs.size() || i >= body.outputs.size()) return -1;
  return forwarded_producer(body.outputs[i].value) == body.inputs[i].node ? input : -1;
}

const ir::Node* forwarded_producer(const ir::Value& v) {
  const ir::Node* n = v.node;
  while (n->op == "Identity" && !n->inputs.empty()) n = n->inputs[0].node;
  return n;
}

std::shared_ptr<ir::Graph> specialize_subgraph(const ir::Graph& g,
                                               const std::vector<ir::TensorType>& types,
                                               const std::vector<const Tensor*>& consts,
                                               bool optimize) {
  std::shared_ptr<ir::Graph> c(g.clone());
  // TensorLists are dense tensors here: a pass-through's "T: variant" attribute no longer
  // describes its operand (the dense type is inferred).
  for (const auto& n : c->nodes())
    if (n->op == "Identity" && n->has_attr("T") && n->attr_type("T") == DType::Variant)
      n->attrs.erase("T");
  for (size_t i = 0; i < c->inputs.size(); ++i) {
    c->inputs[i].type = types[i];
    c->inputs[i].node->outputs = {types[i]};
    if (consts[i]) {
      ir::Node* k = c->add_const(c->inputs[i].node->name + "_const", *consts[i]);
      c->replace_uses({c->inputs[i].node, 0}, {k, 0});
    }
  }
  if (optimize && optimizer()) optimizer()(*c);
  else infer_plain(*c);
  return c;
}

void specialize_subgraphs(ir::Node& node, const std::vector<ir::TensorType>& types,
                          const std::vector<const Tensor*>& consts, const std::vector<bool>& wanted) {
  // Attribute listing the constant arguments substituted in the specialized copies.
  static constexpr const char* kFoldedAttr = "_tfaot_folded_args";
  const size_t n = pristine_subgraph_count(node);
  std::vector<int64_t> folded;
  for (size_t i = 0; i < consts.size(); ++i)
    if (consts[i]) folded.push_back(static_cast<int64_t>(i));
  bool same = node.subgraphs.size() == 2 * n &&
              node.attr_ints(kFoldedAttr, std::vector<int64_t>{}) == folded;
  for (size_t k = 0; same && k < n; ++k) {
    const auto& g = node.subgraphs[n + k];
    same = (g != nullptr) == wanted[k] && (!g || g->inputs.size() == types.size());
    for (size_t i = 0; same && g && i < types.size(); ++i) same = g->inputs[i].type == types[i];
  }
  if (same) return;
  std::vector<std::shared_ptr<ir::Graph>> specialized;
  for (size_t k = 0; k < n; ++k)
    specialized.push_back(wanted[k] ? specialize_subgraph(*node.subgraphs[k], types, consts, true)
                                    : nullptr);
  node.subgraphs.resize(n);
  node.subgraphs.insert(node.subgraphs.end(), specialized.begin(), specialized.end());
  auto* f = node.attrs[kFoldedAttr].mutable_list();
  f->clear_i();
  for (int64_t i : folded) f->add_i(i);
}

const ir::Graph& loop_subgraph(const ir::Node& loop, int which) {
  if (static_cast<int>(loop.subgraphs.size()) <= which || !loop.subgraphs[which])
    fail("{}: loop subgraphs are not specialized (types not inferred)", loop.describe());
  return *loop.subgraphs[which];
}

}  // namespace tfaot::ops
