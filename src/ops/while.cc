// While / StatelessWhile (TF2 functional loops): output i is the final value of loop variable
// i after `while (cond(vars)) vars = body(vars)`. Subgraph handling is described in
// control_flow.h; the generated code is a real loop over buffers in scratch (the node's
// outputs are the loop variables), not an unrolled one.
#include <cstring>
#include <map>

#include "ops/control_flow.h"
#include "ops/interpreter.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "support/limits.h"

namespace tfaot::ops {

namespace {

bool passes_through(const ir::Graph& body, size_t i) {
  return forwarded_producer(body.outputs[i].value) == body.inputs[i].node;
}

// Derives the element shape of a loop variable that is a TensorListReserve with unknown
// dims from the item the body stores into it, and re-infers the Reserve.
void resolve_list(const ir::Node& loop, ir::Node& reserve, size_t i, std::vector<ir::TensorType>& types) {
  const ir::Graph& body = *loop.subgraphs[kBody];
  std::vector<const Tensor*> none(types.size(), nullptr);
  std::shared_ptr<ir::Graph> probe(body.clone());
  probe->inputs[i].node->attrs[kUnresolvedListAttr].set_b(true);
  probe = specialize_subgraph(*probe, types, none, false);
  const ir::Node* set = forwarded_producer(probe->outputs[i].value);
  if (set->op != "TensorListSetItem" || forwarded_producer(set->inputs[0]) != probe->inputs[i].node)
    fail("{}: cannot derive the element shape of the TensorList {} (loop variable {}): the body "
         "does not set its items", loop.describe(), reserve.describe(), i);
  const Shape& item = set->input_type(2).shape;
  auto* list = reserve.attrs[kListElementShapeAttr].mutable_list();
  list->clear_i();
  for (int64_t d : item) list->add_i(d);
  find_op(reserve.op)->infer(reserve);
  types[i] = reserve.outputs[0];
}

class WhileOp final : public Op {
 public:
  explicit WhileOp(const char* name) : name_(name) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    if (node.subgraphs.size() < 2)
      fail("{}: has no cond/body subgraphs (library functions not converted)", node.describe());
    const ir::Graph& cond = *node.subgraphs[kCond];
    const ir::Graph& body = *node.subgraphs[kBody];
    const size_t n = node.inputs.size();
    if (cond.inputs.size() != n || body.inputs.size() != n || body.outputs.size() != n ||
        cond.outputs.size() != 1)
      fail("{}: cond/body arity does not match the {} loop variables", node.describe(), n);
    std::vector<ir::TensorType> types;
    for (size_t i = 0; i < n; ++i) types.push_back(node.input_type(static_cast<int>(i)));
    for (size_t i = 0; i < n; ++i) {
      ir::Node* in = node.inputs[i].node;
      if (in->op == "TensorListReserve" && in->has_attr(kUnresolvedListAttr))
        resolve_list(node, *in, i, types);
    }
    std::vector<const Tensor*> consts(n, nullptr);
    for (size_t i = 0; i < n; ++i)
      if (passes_through(body, i)) consts[i] = node.const_input(static_cast<int>(i));
    specialize_subgraphs(node, types, consts, {true, true});
    const auto& c = node.subgraphs[kCondSpecialized];
    const auto& b = node.subgraphs[kBodySpecialized];
    const ir::TensorType& ct = c->outputs[0].value.node->output_type(c->outputs[0].value.index);
    if (ct.dtype != DType::Bool || ct.num_elements() != 1)
      fail("{}: cond returns {}, expected a bool scalar", node.describe(), ct.str());
    for (size_t i = 0; i < n; ++i) {
      const ir::Value& v = b->outputs[i].value;
      const ir::TensorType& bt = v.node->output_type(v.index);
      if (bt != types[i])
        fail("{}: loop variable {} enters as {} but the body returns {} (shape-changing loop "
             "variables are not supported)", node.describe(), i, types[i].str(), bt.str());
    }
    node.outputs = types;
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> inputs) const override {
    const ir::Graph& cond = loop_subgraph(node, kCondSpecialized);
    const ir::Graph& body = loop_subgraph(node, kBodySpecialized);
    std::vector<Tensor> vars;
    for (const Tensor* t : inputs) vars.push_back(*t);
    // Bounded: a loop that never ends (or runs for hours) at compile time is an error.
    for (int64_t it = 0;; ++it) {
      if (it >= limit(Limit::LoopIterations))
        check_limit(Limit::LoopIterations, it + 1,
                    fmt::format("{}: the trip count of the loop (still running)", node.describe()));
      if (!interpret(cond, vars)[0].raw()[0]) break;
      vars = interpret(body, vars);
    }
    return vars;
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const ir::Graph& cond = loop_subgraph(node, kCondSpecialized);
    const ir::Graph& body = loop_subgraph(node, kBodySpecialized);
    const size_t n = node.inputs.size();
    // Loop variables live in the output buffers; variables the body passes through are read
    // from the input directly. The body writes into `next` buffers first (a body output may
    // read any variable), which are copied back after it -- except for lists it only updates
    // by one TensorListSetItem, which writes the item in place (no whole-list copies).
    std::vector<std::string> vars, next;
    std::map<ir::Value, std::string> in_place;
    std::vector<size_t> bytes;
    for (size_t i = 0; i < n; ++i) {
      const ir::TensorType& t = node.output_type(static_cast<int>(i));
      bytes.push_back(static_cast<size_t>(t.num_elements()) * dtype_size(t.dtype));
      std::string in = ctx.input(static_cast<int>(i)), out = ctx.output(static_cast<int>(i));
      // (Judged on the front end's body: the specialized one returns a substituted constant.)
      const bool invariant = passes_through(*node.subgraphs[kBody], i);
      // An invariant's final value is its input: copied only when someone reads it.
      if (bytes[i] && (!invariant || ctx.output_used(static_cast<int>(i))))
        ctx.code() << "std::memcpy(" << out << ", " << in << ", " << bytes[i] << ");\n";
      if (invariant) {
        vars.push_back(in);
        next.push_back("");
      } else if (const ir::Node* set = set_in_place(body, i)) {
        vars.push_back(out);
        next.push_back("");
        in_place[{const_cast<ir::Node*>(set), 0}] = out;
      } else {
        vars.push_back(out);
        next.push_back(ctx.temp_buffer(t.dtype, t.num_elements()));
      }
    }
    std::string c = ctx.temp_buffer(DType::Bool, 1);
    ctx.code() << "for (;;) {\n";
    ctx.emit_subgraph(cond, vars, {c});
    ctx.code() << "if (!" << c << "[0]) break;\n";
    ctx.emit_subgraph(body, vars, next, in_place);
    for (size_t i = 0; i < n; ++i)
      if (!next[i].empty() && bytes[i])
        ctx.code() << "std::memcpy(" << vars[i] << ", " << next[i] << ", " << bytes[i] << ");\n";
    ctx.code() << "}\n";
  }

 private:
  // The TensorListSetItem that computes body output i from argument i, when nothing else in
  // the body reads argument i (so it can write into the loop variable's buffer).
  static const ir::Node* set_in_place(const ir::Graph& body, size_t i) {
    const ir::Value& out = body.outputs[i].value;
    const ir::Node* arg = body.inputs[i].node;
    const ir::Value list{const_cast<ir::Node*>(arg), 0};
    if (out.node->op != "TensorListSetItem" || out.node->inputs[0] != list) return nullptr;
    int uses = 0;
    for (const auto& n : body.nodes())
      for (const auto& v : n->inputs) uses += v.node == arg;
    for (const auto& o : body.outputs) uses += o.value.node == arg;
    return uses == 1 ? out.node : nullptr;
  }

  const char* name_;
};

}  // namespace

std::vector<const Op*> while_ops() {
  static const WhileOp w("While"), sw("StatelessWhile");
  return {&w, &sw};
}

}  // namespace tfaot::ops
