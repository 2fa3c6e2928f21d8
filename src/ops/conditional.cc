// If / StatelessIf / Case / StatelessCase (TF2 functional conditionals): the outputs are those
// of the branch the selector picks, run on the remaining inputs. Subgraph handling is described
// in control_flow.h. A constant selector is folded away (passes/conditional_folding.h); a
// run-time one becomes a C++ if/switch over the specialized branches.
//
// Selector semantics as TensorFlow's kernels (functional_ops.cc): an If predicate that is a
// scalar is true when nonzero, a non-scalar one when it has elements; a Case index outside
// [0, N) runs the last branch.
#include "ops/control_flow.h"
#include "ops/interpreter.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace tfaot::ops {

namespace {

bool is_case(const ir::Node& node) { return node.op == "Case" || node.op == "StatelessCase"; }

class ConditionalOp final : public Op {
 public:
  explicit ConditionalOp(const char* name) : name_(name) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    const size_t n = pristine_subgraph_count(node);
    if (n == 0 || (!is_case(node) && n != 2))
      fail("{}: has no branch subgraphs (library functions not converted)", node.describe());
    check_min_inputs(node, 1);
    const ir::TensorType& sel = node.input_type(0);
    if (is_case(node)) {
      check_dtype(node, sel.dtype, {DType::Int32}, "branch_index");
      if (sel.num_elements() != 1) fail("{}: branch_index must be a scalar", node.describe());
    } else {
      check_dtype(node, sel.dtype, kAllTypes, "cond");
    }
    std::vector<ir::TensorType> types;
    std::vector<const Tensor*> consts;
    for (size_t i = 1; i < node.inputs.size(); ++i) {
      types.push_back(node.input_type(static_cast<int>(i)));
      consts.push_back(node.const_input(static_cast<int>(i)));
    }
    const size_t outs = node.subgraphs[0]->outputs.size();
    for (size_t k = 0; k < n; ++k)
      if (node.subgraphs[k]->inputs.size() != types.size() || node.subgraphs[k]->outputs.size() != outs)
        fail("{}: branch {} takes {} arguments and returns {} values; expected {} and {}",
             node.describe(), k, node.subgraphs[k]->inputs.size(), node.subgraphs[k]->outputs.size(),
             types.size(), outs);
    // A branch that cannot run is not specialized (it may not even be valid for these types).
    std::vector<bool> wanted(n, true);
    if (auto k = static_branch(node)) {
      wanted.assign(n, false);
      wanted[*k] = true;
    }
    specialize_subgraphs(node, types, consts, wanted);
    node.outputs.clear();
    int first = -1;
    for (size_t k = 0; k < n; ++k) {
      const auto& g = node.subgraphs[n + k];
      if (!g) continue;
      std::vector<ir::TensorType> got;
      for (const auto& o : g->outputs) got.push_back(o.value.node->output_type(o.value.index));
      if (first < 0) {
        first = static_cast<int>(k);
        node.outputs = got;
        continue;
      }
      for (size_t j = 0; j < outs; ++j)
        if (got[j] != node.outputs[j])
          fail("{}: output {} is {} in branch {} but {} in branch {}; tfaot needs one static "
               "type per output", node.describe(), j, node.outputs[j].str(), first, got[j].str(), k);
    }
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> inputs) const override {
    const int k = selected_branch(node, *inputs[0]);
    std::vector<Tensor> args;
    for (size_t i = 1; i < inputs.size(); ++i) args.push_back(*inputs[i]);
    return interpret(branch(node, k), args);
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    std::vector<std::string> args, outs;
    for (size_t i = 1; i < node.inputs.size(); ++i) args.push_back(ctx.input(static_cast<int>(i)));
    for (size_t j = 0; j < node.outputs.size(); ++j) outs.push_back(ctx.output(static_cast<int>(j)));
    if (auto k = static_branch(node)) {
      ctx.emit_subgraph(branch(node, *k), args, outs);
      return;
    }
    const int n = static_cast<int>(pristine_subgraph_count(node));
    const std::string sel = ctx.input(0) + "[0]";
    if (!is_case(node)) {
      ctx.code() << "if (" << sel << (node.input_type(0).dtype == DType::Bool ? "" : " != 0")
                 << ") {\n";
      ctx.emit_subgraph(branch(node, 0), args, outs);
      ctx.code() << "} else {\n";
      ctx.emit_subgraph(branch(node, 1), args, outs);
      ctx.code() << "}\n";
      return;
    }
    ctx.code() << "switch (" << sel << ") {\n";
    for (int k = 0; k < n; ++k) {
      ctx.code() << (k + 1 < n ? fmt::format("case {}: {{\n", k) : std::string("default: {\n"));
      ctx.emit_subgraph(branch(node, k), args, outs);
      ctx.code() << "break;\n}\n";
    }
    ctx.code() << "}\n";
  }

 private:
  static const ir::Graph& branch(const ir::Node& node, int k) {
    const size_t n = pristine_subgraph_count(node);
    const size_t at = n + static_cast<size_t>(k);
    if (node.subgraphs.size() <= at || !node.subgraphs[at])
      fail("{}: branch {} is not specialized (types not inferred)", node.describe(), k);
    return *node.subgraphs[at];
  }

  const char* name_;
};

}  // namespace

int selected_branch(const ir::Node& node, const Tensor& selector) {
  const int n = static_cast<int>(pristine_subgraph_count(node));
  if (is_case(node)) {
    const int64_t k = selector.get_int(0);
    return k < 0 || k >= n ? n - 1 : static_cast<int>(k);
  }
  if (selector.rank() > 0) return selector.num_elements() > 0 ? 0 : 1;
  if (selector.dtype() == DType::Bool) return selector.data<bool>()[0] ? 0 : 1;
  return selector.get_double(0) != 0 ? 0 : 1;
}

std::optional<int> static_branch(const ir::Node& node) {
  if (node.inputs.empty()) return std::nullopt;
  if (const Tensor* sel = node.const_input(0)) return selected_branch(node, *sel);
  const ir::Value& v = node.inputs[0];
  if (is_case(node) || static_cast<int>(v.node->outputs.size()) <= v.index) return std::nullopt;
  const ir::TensorType& t = v.node->outputs[v.index];
  if (t.is_static() && !t.shape.empty()) return t.num_elements() > 0 ? 0 : 1;
  return std::nullopt;
}

std::vector<const Op*> conditional_ops() {
  static const ConditionalOp i("If"), si("StatelessIf"), c("Case"), sc("StatelessCase");
  return {&i, &si, &c, &sc};
}

}  // namespace tfaot::ops
