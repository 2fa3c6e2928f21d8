// DepthwiseConv2dNative: each input channel c of an NHWC input [N,H,W,C] is convolved with M
// filters filter[:,:,c,m] (filter [KH,KW,C,M]); output channel c*M+m. Strides, dilations and
// SAME / VALID / EXPLICIT padding follow Conv2D. Reference accumulates in double.
#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct DepthwiseGeometry {
  int64_t n, c, kh, kw, m;
  std::array<nn::Window, 2> win;  // H, W
};

DepthwiseGeometry depthwise_geometry(const ir::Node& node, const Shape& in, const Shape& filter) {
  nn::require_nhwc(node);
  if (in.size() != 4)
    fail("{}: input must be 4-D NHWC, got {}", node.describe(), shape_str(in));
  if (filter.size() != 4)
    fail("{}: filter must be 4-D [height, width, in_channels, multiplier], got {}",
         node.describe(), shape_str(filter));
  if (filter[2] != in[3])
    fail("{}: filter in_channels {} must equal the input depth {}", node.describe(), filter[2],
         in[3]);
  DepthwiseGeometry g{in[0], in[3], filter[0], filter[1], filter[3], {}};
  auto strides = nn::nhwc_hw_attr(node, "strides");
  auto dilations = nn::nhwc_hw_attr(node, "dilations", {1, 1, 1, 1});
  g.win = nn::spatial_windows(node, in, {g.kh, g.kw}, strides, dilations, true);
  return g;
}

class DepthwiseConv2dNativeOp final : public Op {
 public:
  std::string_view name() const override { return "DepthwiseConv2dNative"; }
  uint64_t flops(const ir::Node& node) const override {  // 2 KH KW per output
    auto g = depthwise_geometry(node, node.input_type(0).shape, node.input_type(1).shape);
    return 2 * elementwise_flops(node) * static_cast<uint64_t>(g.kh * g.kw);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    DType t = check_type_attr(node, "T", {0, 1}, kFloatTypes);
    auto g = depthwise_geometry(node, node.input_type(0).shape, node.input_type(1).shape);
    node.outputs = {ir::TensorType{t, {g.n, g.win[0].out, g.win[1].out, g.c * g.m}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto g = depthwise_geometry(node, in[0]->shape(), in[1]->shape());
    const auto& [wh, ww] = g.win;
    auto x = nn::to_doubles(*in[0]);
    auto f = nn::to_doubles(*in[1]);
    const int64_t co = g.c * g.m;
    std::vector<double> y(static_cast<size_t>(g.n * wh.out * ww.out * co), 0.0);
    for (int64_t n = 0; n < g.n; ++n)
      for (int64_t oh = 0; oh < wh.out; ++oh)
        for (int64_t ow = 0; ow < ww.out; ++ow)
          for (int64_t c = 0; c < g.c; ++c)
            for (int64_t m = 0; m < g.m; ++m) {
              double acc = 0;
              for (int64_t kh = 0; kh < g.kh; ++kh)
                for (int64_t kw = 0; kw < g.kw; ++kw) {
                  int64_t ih = oh * wh.stride - wh.pad_before + kh * wh.dilation;
                  int64_t iw = ow * ww.stride - ww.pad_before + kw * ww.dilation;
                  if (ih < 0 || ih >= wh.in || iw < 0 || iw >= ww.in) continue;
                  acc += x[((n * wh.in + ih) * ww.in + iw) * g.c + c] *
                         f[((kh * g.kw + kw) * g.c + c) * g.m + m];
                }
              y[((n * wh.out + oh) * ww.out + ow) * co + c * g.m + m] = acc;
            }
    return {nn::from_doubles(in[0]->dtype(), {g.n, wh.out, ww.out, co}, y)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto g = depthwise_geometry(node, node.input_type(0).shape, node.input_type(1).shape);
    const auto& [wh, ww] = g.win;
    if (node.output_type(0).num_elements() == 0) return;
    std::vector<int64_t> a = {g.n,       wh.in,     ww.in,       g.c,         g.kh,
                              g.kw,      g.m,       wh.out,      ww.out,      wh.stride,
                              ww.stride, wh.dilation, ww.dilation, wh.pad_before, ww.pad_before};
    std::vector<std::string> s;
    for (int64_t v : a) s.push_back(std::to_string(v));
    ctx.code() << "tfaot_kernels::depthwise_conv2d<" << nn::join_args(s) << ">(" << ctx.input(0)
               << ", " << ctx.input(1) << ", " << ctx.output(0) << ");\n";
  }
};

}  // namespace

std::vector<const Op*> depthwise_conv2d_ops() {
  static const DepthwiseConv2dNativeOp op;
  return {&op};
}

}  // namespace tfaot::ops
