// Conv2D: 2-D convolution of an NHWC input [N,H,W,C] with an HWIO filter [KH,KW,CG,CO]
// (CG = C / groups; CG < C is a grouped convolution), strides and dilations in H and W,
// padding SAME / VALID / EXPLICIT with TensorFlow's output-size rules. NCHW is rejected (TF's
// CPU kernel rejects it too). Reference accumulates in double; generated code in T.
#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct ConvGeometry {
  int64_t n, c, kh, kw, cg, co;
  std::array<nn::Window, 2> win;  // H, W
};

ConvGeometry conv_geometry(const ir::Node& node, const Shape& in, const Shape& filter) {
  nn::require_nhwc(node);
  if (in.size() != 4)
    fail("{}: input must be 4-D NHWC, got {}", node.describe(), shape_str(in));
  if (filter.size() != 4)
    fail("{}: filter must be 4-D [height, width, in_channels, out_channels], got {}",
         node.describe(), shape_str(filter));
  ConvGeometry g{in[0], in[3], filter[0], filter[1], filter[2], filter[3], {}};
  if (g.cg <= 0 || g.c % g.cg != 0)
    fail("{}: input depth {} is not a multiple of the filter depth {}", node.describe(), g.c,
         g.cg);
  int64_t groups = g.c / g.cg;
  if (g.co % groups != 0)
    fail("{}: output depth {} is not a multiple of the number of groups {}", node.describe(),
         g.co, groups);
  auto strides = nn::nhwc_hw_attr(node, "strides");
  auto dilations = nn::nhwc_hw_attr(node, "dilations", {1, 1, 1, 1});
  g.win = nn::spatial_windows(node, in, {g.kh, g.kw}, strides, dilations, true);
  return g;
}

class Conv2DOp final : public Op {
 public:
  std::string_view name() const override { return "Conv2D"; }
  uint64_t flops(const ir::Node& node) const override {  // 2 KH KW Cin/groups per output
    auto g = conv_geometry(node, node.input_type(0).shape, node.input_type(1).shape);
    return 2 * elementwise_flops(node) * static_cast<uint64_t>(g.kh * g.kw * g.cg);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    DType t = check_type_attr(node, "T", {0, 1}, kFloatTypes);
    auto g = conv_geometry(node, node.input_type(0).shape, node.input_type(1).shape);
    node.outputs = {ir::TensorType{t, {g.n, g.win[0].out, g.win[1].out, g.co}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto g = conv_geometry(node, in[0]->shape(), in[1]->shape());
    const auto& [wh, ww] = g.win;
    auto x = nn::to_doubles(*in[0]);
    auto f = nn::to_doubles(*in[1]);
    std::vector<double> y(static_cast<size_t>(g.n * wh.out * ww.out * g.co), 0.0);
    const int64_t cog = g.co / (g.c / g.cg);
    for (int64_t n = 0; n < g.n; ++n)
      for (int64_t oh = 0; oh < wh.out; ++oh)
        for (int64_t ow = 0; ow < ww.out; ++ow)
          for (int64_t co = 0; co < g.co; ++co) {
            const int64_t group = co / cog;
            double acc = 0;
            for (int64_t kh = 0; kh < g.kh; ++kh)
              for (int64_t kw = 0; kw < g.kw; ++kw) {
                int64_t ih = oh * wh.stride - wh.pad_before + kh * wh.dilation;
                int64_t iw = ow * ww.stride - ww.pad_before + kw * ww.dilation;
                if (ih < 0 || ih >= wh.in || iw < 0 || iw >= ww.in) continue;
                for (int64_t ci = 0; ci < g.cg; ++ci)
                  acc += x[((n * wh.in + ih) * ww.in + iw) * g.c + group * g.cg + ci] *
                         f[((kh * g.kw + kw) * g.cg + ci) * g.co + co];
              }
            y[((n * wh.out + oh) * ww.out + ow) * g.co + co] = acc;
          }
    return {nn::from_doubles(in[0]->dtype(), {g.n, wh.out, ww.out, g.co}, y)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto g = conv_geometry(node, node.input_type(0).shape, node.input_type(1).shape);
    const auto& [wh, ww] = g.win;
    if (node.output_type(0).num_elements() == 0) return;
    std::vector<int64_t> a = {g.n,    wh.in,      ww.in,      g.c,         g.kh,       g.kw,
                              g.cg,   g.co,       wh.out,     ww.out,      wh.stride,  ww.stride,
                              wh.dilation, ww.dilation, wh.pad_before, ww.pad_before};
    std::vector<std::string> s;
    for (int64_t v : a) s.push_back(std::to_string(v));
    ctx.code() << "tfaot_kernels::conv2d<" << nn::join_args(s) << ">(" << ctx.input(0) << ", "
               << ctx.input(1) << ", " << ctx.output(0) << ");\n";
  }
};

}  // namespace

std::vector<const Op*> conv2d_ops() {
  static const Conv2DOp op;
  return {&op};
}

}  // namespace tfaot::ops
