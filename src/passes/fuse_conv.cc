#include "passes/fuse_conv.h"

#include <vector>

#include "ops/op.h"
#include "passes/fusion_util.h"

namespace tfaot::passes {
namespace {

bool fuse(ir::Graph& g, ir::Node* conv) {
  const bool depthwise = conv->op == "DepthwiseConv2dNative";
  if ((conv->op != "Conv2D" && !depthwise) || conv->inputs.size() != 2 ||
      !is_float_static(*conv) || !conv->control_inputs.empty())
    return false;
  const Tensor* f = conv->const_input(1);
  if (!f || f->dtype() != DType::Float || conv->outputs[0].shape.size() != 4) return false;
  const int64_t co = conv->outputs[0].shape[3];
  UseInfo uses(g);

  // A reshape keeping the channels innermost moves after the fused node.
  ir::Node* reshape = nullptr;
  if (ir::Node* u = uses.sole_user(conv);
      u && (u->op == "Squeeze" || u->op == "Reshape" || u->op == "ExpandDims") &&
      is_float_static(*u) && u->control_inputs.empty() && u->inputs[0].node == conv &&
      !u->outputs[0].shape.empty() && u->outputs[0].shape.back() == co)
    reshape = u;
  ir::Node* start = reshape ? reshape : conv;
  Epilogue e = match_epilogue(uses, start, co);
  if (e.last == start) return false;

  // Filter entries of output channel j are those with flat index % co == j (HWIO, and
  // [KH,KW,C,M] with j = c*M + m).
  Tensor filter = *f;
  if (e.has_scale) {
    float* fd = filter.data<float>();
    for (int64_t i = 0; i < filter.num_elements(); ++i)
      fd[i] = static_cast<float>(double(fd[i]) * e.scale[static_cast<size_t>(i % co)]);
  }
  Tensor bias(DType::Float, {co});
  for (int64_t j = 0; j < co; ++j) bias.data<float>()[j] = static_cast<float>(e.shift[j]);

  ir::Node* fn = g.add_node(e.last->name + "/fused_conv",
                            depthwise ? "_FusedDepthwiseConv2dNative" : "_FusedConv2D");
  fn->inputs = {conv->inputs[0], {g.add_const(conv->name + "/fused_filter", std::move(filter)), 0},
                {g.add_const(conv->name + "/fused_bias", std::move(bias)), 0}};
  for (const char* a : {"strides", "padding", "explicit_paddings", "dilations", "data_format"})
    if (const auto* v = conv->find_attr(a)) fn->attrs[a] = *v;
  fn->set_attr_type("T", DType::Float);
  fn->set_attr_int("num_args", 1);
  auto* ops = fn->attrs["fused_ops"].mutable_list();
  ops->add_s("BiasAdd");
  if (e.activation != "None") ops->add_s(e.activation);
  ops::find_op(fn->op)->infer(*fn);
  if (reshape) {
    g.replace_uses({e.last, 0}, {reshape, 0});
    reshape->inputs[0] = {fn, 0};
  } else {
    g.replace_uses({e.last, 0}, {fn, 0});
  }
  return true;
}

}  // namespace

bool FuseConv::run(ir::Graph& graph) {
  if (!ops::find_op("_FusedConv2D")) return false;
  bool changed = false;
  for (ir::Node* n : graph.topo_order()) changed |= fuse(graph, n);  // fresh uses per fusion
  return changed;
}

}  // namespace tfaot::passes
