// Conv2DBackpropInput: the gradient of Conv2D with respect to its input, i.e. the transposed
// convolution that Keras Conv2DTranspose exports. Inputs: input_sizes (constant int32, [N,H,W,C]
// or [H,W]), filter [KH,KW,C,CO], out_backprop [N,OH,OW,CO]; output [N,H,W,C]. The geometry is
// the forward Conv2D's (strides, dilations, SAME / VALID / EXPLICIT padding), whose output must
// have out_backprop's height and width. NHWC only; no groups.
#include <cstring>

#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct BackpropGeometry {
  int64_t n, c, kh, kw, co;
  std::array<nn::Window, 2> win;  // of the forward convolution
};

BackpropGeometry backprop_geometry(const ir::Node& node, const Shape& filter, const Shape& dy) {
  nn::require_nhwc(node);
  if (filter.size() != 4)
    fail("{}: filter must be 4-D [height, width, in_channels, out_channels], got {}",
         node.describe(), shape_str(filter));
  if (dy.size() != 4)
    fail("{}: out_backprop must be 4-D NHWC, got {}", node.describe(), shape_str(dy));
  auto sizes = require_const(node, 0, "input_sizes").to_int_vector();
  Shape in;
  if (sizes.size() == 4) in = sizes;
  else if (sizes.size() == 2) in = {dy[0], sizes[0], sizes[1], filter[2]};
  else
    fail("{}: input_sizes must have 4 (or 2) elements, has {}", node.describe(), sizes.size());
  for (int64_t d : in)
    if (d < 0) fail("{}: input_sizes has a negative dim: {}", node.describe(), shape_str(in));
  if (in[0] != dy[0] || in[3] != filter[2] || filter[3] != dy[3])
    fail("{}: input_sizes {}, filter {} and out_backprop {} do not match (batch, in_channels, "
         "out_channels)",
         node.describe(), shape_str(in), shape_str(filter), shape_str(dy));
  BackpropGeometry g{in[0], in[3], filter[0], filter[1], filter[3], {}};
  auto strides = nn::nhwc_hw_attr(node, "strides");
  auto dilations = nn::nhwc_hw_attr(node, "dilations", {1, 1, 1, 1});
  g.win = nn::spatial_windows(node, in, {g.kh, g.kw}, strides, dilations, true);
  if (g.win[0].out != dy[1] || g.win[1].out != dy[2])
    fail("{}: out_backprop {} does not match the forward convolution's output [{}, {}]",
         node.describe(), shape_str(dy), g.win[0].out, g.win[1].out);
  return g;
}

class Conv2DBackpropInputOp final : public Op {
 public:
  std::string_view name() const override { return "Conv2DBackpropInput"; }
  uint64_t flops(const ir::Node& node) const override {  // 2 KH KW Cin per out_backprop element
    const Shape& f = node.input_type(1).shape;
    return 2 * static_cast<uint64_t>(node.input_type(2).num_elements() * f[0] * f[1] * f[2]);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kIndexTypes, "input_sizes");
    DType t = check_type_attr(node, "T", {1, 2}, kFloatTypes);
    auto g = backprop_geometry(node, node.input_type(1).shape, node.input_type(2).shape);
    node.outputs = {ir::TensorType{t, {g.n, g.win[0].in, g.win[1].in, g.c}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto g = backprop_geometry(node, in[1]->shape(), in[2]->shape());
    const auto& [wh, ww] = g.win;
    auto f = nn::to_doubles(*in[1]);
    auto dy = nn::to_doubles(*in[2]);
    std::vector<double> dx(static_cast<size_t>(g.n * wh.in * ww.in * g.c), 0.0);
    for (int64_t n = 0; n < g.n; ++n)
      for (int64_t oh = 0; oh < wh.out; ++oh)
        for (int64_t ow = 0; ow < ww.out; ++ow)
          for (int64_t kh = 0; kh < g.kh; ++kh)
            for (int64_t kw = 0; kw < g.kw; ++kw) {
              int64_t ih = oh * wh.stride - wh.pad_before + kh * wh.dilation;
              int64_t iw = ow * ww.stride - ww.pad_before + kw * ww.dilation;
              if (ih < 0 || ih >= wh.in || iw < 0 || iw >= ww.in) continue;
              for (int64_t c = 0; c < g.c; ++c)
                for (int64_t co = 0; co < g.co; ++co)
                  dx[((n * wh.in + ih) * ww.in + iw) * g.c + c] +=
                      dy[((n * wh.out + oh) * ww.out + ow) * g.co + co] *
                      f[((kh * g.kw + kw) * g.c + c) * g.co + co];
            }
    return {nn::from_doubles(in[1]->dtype(), {g.n, wh.in, ww.in, g.c}, dx)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const Shape& fs = node.input_type(1).shape;
    auto g = backprop_geometry(node, fs, node.input_type(2).shape);
    const auto& [wh, ww] = g.win;
    if (node.output_type(0).num_elements() == 0) return;
    // The kernel wants the filter as [KH, KW, CO, C].
    Shape ts = {g.kh, g.kw, g.co, g.c};
    auto fstr = row_major_strides(fs);
    std::vector<int64_t> from = {fstr[0], fstr[1], 1, g.co};
    std::string filter_t;
    if (const Tensor* f = node.const_input(1)) {
      Tensor t(f->dtype(), ts);
      auto out_str = row_major_strides(ts);
      const size_t esize = dtype_size(f->dtype());
      for (int64_t i = 0; i < t.num_elements(); ++i) {
        auto idx = unravel(i, ts);
        int64_t src = 0;
        for (size_t d = 0; d < 4; ++d) src += idx[d] * from[d];
        std::memcpy(t.raw() + i * esize, f->raw() + src * esize, esize);
      }
      filter_t = ctx.constant(t);
    } else {
      filter_t = ctx.temp_buffer(node.input_type(1).dtype, num_elements(ts));
      emit_copy(ctx, ctx.input(1), filter_t, ts, 0, from, 0, row_major_strides(ts));
    }
    std::vector<std::string> s;
    for (int64_t v : {g.n, wh.in, ww.in, g.c, g.kh, g.kw, g.co, wh.out, ww.out, wh.stride,
                      ww.stride, wh.dilation, ww.dilation, wh.pad_before, ww.pad_before})
      s.push_back(std::to_string(v));
    ctx.code() << "tfaot_kernels::conv2d_backprop_input<" << nn::join_args(s) << ">("
               << ctx.input(2) << ", " << filter_t << ", " << ctx.output(0) << ");\n";
  }
};

}  // namespace

std::vector<const Op*> conv2d_backprop_input_ops() {
  static const Conv2DBackpropInputOp op;
  return {&op};
}

}  // namespace tfaot::ops
