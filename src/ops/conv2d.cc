// Conv2D and DepthwiseConv2dNative on NHWC inputs [N,H,W,C], strides and dilations in H and
// W, padding SAME / VALID / EXPLICIT with TensorFlow's output-size rules; NCHW is rejected
// (TF's CPU kernels reject it too).
//   Conv2D: HWIO filter [KH,KW,CG,CO] (CG = C / groups; CG < C is a grouped convolution).
//   DepthwiseConv2dNative: filter [KH,KW,C,M]; output channel c*M+m is input channel c
//   convolved with filter[:,:,c,m].
// Reference accumulates in double; generated code in T: float32 with a constant filter runs
// the prepacked implicit GEMM / vectorized depthwise kernel (ops/conv_util.h), anything else
// plain loops.
#include "ops/conv_util.h"

namespace tfaot::ops {
namespace {

using nn::ConvKind;

class ConvOp final : public Op {
 public:
  ConvOp(const char* name, ConvKind kind) : name_(name), kind_(kind) {}
  std::string_view name() const override { return name_; }
  uint64_t flops(const ir::Node& node) const override {  // 2 KH KW Cin/groups per output
    return nn::conv_flops(node, kind_, 0);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    DType t = check_type_attr(node, "T", {0, 1}, kFloatTypes);
    auto g = nn::conv_geometry(node, kind_, node.input_type(0).shape, node.input_type(1).shape);
    node.outputs = {ir::TensorType{t, nn::conv_output_shape(g, kind_), true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto g = nn::conv_geometry(node, kind_, in[0]->shape(), in[1]->shape());
    auto y = nn::conv_reference(g, kind_, nn::to_doubles(*in[0]), nn::to_doubles(*in[1]));
    return {nn::from_doubles(in[0]->dtype(), nn::conv_output_shape(g, kind_), y)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto g = nn::conv_geometry(node, kind_, node.input_type(0).shape, node.input_type(1).shape);
    if (node.output_type(0).num_elements() == 0) return;
    const Tensor* f = node.const_input(1);
    if (f && f->dtype() == DType::Float)
      nn::emit_conv_packed(node, ctx, g, kind_, *f, nullptr, 0);
    else
      nn::emit_conv_loops(node, ctx, g, kind_);
  }

 private:
  const char* name_;
  ConvKind kind_;
};

}  // namespace

std::vector<const Op*> conv2d_ops() {
  static const ConvOp conv("Conv2D", ConvKind::Conv2D);
  static const ConvOp depthwise("DepthwiseConv2dNative", ConvKind::Depthwise);
  return {&conv, &depthwise};
}

}  // namespace tfaot::ops
