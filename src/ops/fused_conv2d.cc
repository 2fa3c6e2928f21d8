// _FusedConv2D and _FusedDepthwiseConv2dNative: a Conv2D / DepthwiseConv2dNative followed by
// its epilogue, with TensorFlow's attributes for these (grappler-made) ops: inputs (input,
// filter, args...), `fused_ops` [BiasAdd | FusedBatchNorm] + optional Relu / Relu6 / Tanh /
// Sigmoid, `num_args`, `epsilon`, and the convolution's strides / padding / dilations.
// passes/fuse_conv.h makes them from BiasAdd / FusedBatchNormV3 / activation chains (with any
// batch norm already folded into filter and bias); TensorFlow graphs may also contain them.
// float32 only, filter and args constants: the generated code runs the prepacked kernels with
// the per-channel affine (bias, or batch norm folded at compile time) and the activation in
// the register epilogue. Reference: the convolution in double, then the epilogue.
#include <cmath>

#include "ops/conv_util.h"

namespace tfaot::ops {
namespace {

using nn::ConvKind;

class FusedConvOp final : public Op {
 public:
  FusedConvOp(const char* name, ConvKind kind) : name_(name), kind_(kind) {}
  std::string_view name() const override { return name_; }
  uint64_t flops(const ir::Node& node) const override {  // the convolution + bias, activation
    return nn::conv_flops(node, kind_, 2);
  }

  void infer(ir::Node& node) const override {
    check_min_inputs(node, 2);
    check_static_inputs(node);
    std::vector<int> all;
    for (size_t i = 0; i < node.inputs.size(); ++i) all.push_back(static_cast<int>(i));
    DType t = node.attr_type("T", node.input_type(0).dtype);
    if (t != DType::Float)
      fail("{}: only float32 is supported, got {}", node.describe(), dtype_name(t));
    for (int i : all)
      if (node.input_type(i).dtype != DType::Float)
        fail("{}: input {} must be float32, got {}", node.describe(), i,
             dtype_name(node.input_type(i).dtype));
    auto g = nn::conv_geometry(node, kind_, node.input_type(0).shape, node.input_type(1).shape);
    Shape out = nn::conv_output_shape(g, kind_);
    nn::conv_epilogue(node, out[3]);
    for (size_t i = 1; i < node.inputs.size(); ++i)
      require_const(node, static_cast<int>(i), i == 1 ? "filter" : "fused argument");
    node.outputs = {ir::TensorType{DType::Float, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto g = nn::conv_geometry(node, kind_, in[0]->shape(), in[1]->shape());
    Shape out = nn::conv_output_shape(g, kind_);
    auto e = nn::conv_epilogue(node, out[3]);
    auto y = nn::conv_reference(g, kind_, nn::to_doubles(*in[0]), nn::to_doubles(*in[1]));
    nn::apply_epilogue(e, in.subspan(2), out[3], y);
    return {nn::from_doubles(DType::Float, out, y)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto g = nn::conv_geometry(node, kind_, node.input_type(0).shape, node.input_type(1).shape);
    Shape out = nn::conv_output_shape(g, kind_);
    if (node.output_type(0).num_elements() == 0) return;
    const int64_t co = out[3];
    auto e = nn::conv_epilogue(node, co);
    std::vector<const Tensor*> args;
    for (size_t i = 1; i < node.inputs.size(); ++i) {
      args.push_back(node.const_input(static_cast<int>(i)));
      if (!args.back())
        fail("internal error: {}: filter and fused arguments must be constants", node.describe());
    }
    // Batch norm folds into the filter at compile time: the scale multiplies every filter
    // entry of its output channel (the innermost filter dimension for both kinds).
    std::vector<double> scale, shift;
    nn::epilogue_affine(e, std::span(args).subspan(1), co, scale, shift);
    Tensor f = *args[0];
    if (e.batch_norm) {
      float* fd = f.data<float>();
      for (int64_t i = 0; i < f.num_elements(); ++i)
        fd[i] = static_cast<float>(fd[i] * scale[static_cast<size_t>(i % co)]);
    }
    Tensor bias(DType::Float, {co});
    for (int64_t j = 0; j < co; ++j) bias.data<float>()[j] = static_cast<float>(shift[j]);
    const bool has_bias = e.bias_add || e.batch_norm;
    nn::emit_conv_packed(node, ctx, g, kind_, f, has_bias ? &bias : nullptr, e.activation);
  }

 private:
  const char* name_;
  ConvKind kind_;
};

}  // namespace

std::vector<const Op*> fused_conv2d_ops() {
  static const FusedConvOp conv("_FusedConv2D", ConvKind::Conv2D);
  static const FusedConvOp depthwise("_FusedDepthwiseConv2dNative", ConvKind::Depthwise);
  return {&conv, &depthwise};
}

}  // namespace tfaot::ops
