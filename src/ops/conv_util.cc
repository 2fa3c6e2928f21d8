#include "ops/conv_util.h"

#include <cmath>

#include "backend/gemm_packing.h"
#include "ops/fused_activation.h"

namespace tfaot::ops::nn {

ConvGeometry conv_geometry(const ir::Node& node, ConvKind kind, const Shape& in,
                           const Shape& filter) {
  const bool depthwise = kind == ConvKind::Depthwise;
  require_nhwc(node);
  if (in.size() != 4)
    fail("{}: input must be 4-D NHWC, got {}", node.describe(), shape_str(in));
  if (filter.size() != 4)
    fail("{}: filter must be 4-D [height, width, in_channels, {}], got {}", node.describe(),
         depthwise ? "multiplier" : "out_channels", shape_str(filter));
  ConvGeometry g{in[0], in[3], filter[0], filter[1], filter[2], filter[3], {}};
  if (depthwise) {
    if (g.fi != g.c)
      fail("{}: filter in_channels {} must equal the input depth {}", node.describe(), g.fi,
           g.c);
  } else {
    if (g.fi <= 0 || g.c % g.fi != 0)
      fail("{}: input depth {} is not a multiple of the filter depth {}", node.describe(), g.c,
           g.fi);
    if (g.fo % g.groups() != 0)
      fail("{}: output depth {} is not a multiple of the number of groups {}", node.describe(),
           g.fo, g.groups());
  }
  auto strides = nhwc_hw_attr(node, "strides");
  auto dilations = nhwc_hw_attr(node, "dilations", {1, 1, 1, 1});
  g.win = spatial_windows(node, in, {g.kh, g.kw}, strides, dilations, true);
  return g;
}

Shape conv_output_shape(const ConvGeometry& g, ConvKind kind) {
  const int64_t co = kind == ConvKind::Depthwise ? g.c * g.fo : g.fo;
  return {g.n, g.win[0].out, g.win[1].out, co};
}

uint64_t conv_flops(const ir::Node& node, ConvKind kind, uint64_t per_output) {
  auto g = conv_geometry(node, kind, node.input_type(0).shape, node.input_type(1).shape);
  const int64_t nin = kind == ConvKind::Depthwise ? 1 : g.fi;
  return elementwise_flops(node) * (2 * static_cast<uint64_t>(g.kh * g.kw * nin) + per_output);
}

std::vector<double> conv_reference(const ConvGeometry& g, ConvKind kind,
                                   const std::vector<double>& x, const std::vector<double>& f) {
  // Both kinds as one grouped convolution: output channel j belongs to group j / cog and reads
  // that group's `nin` input channels; the filter entry of tap t, input channel ci of the
  // group, output j is f[(t * nin + ci) * co + j] (depthwise: nin = 1, groups = C).
  const auto& [wh, ww] = g.win;
  const bool depthwise = kind == ConvKind::Depthwise;
  const int64_t co = conv_output_shape(g, kind)[3];
  const int64_t nin = depthwise ? 1 : g.fi, groups = depthwise ? g.c : g.groups();
  const int64_t cog = co / groups;
  std::vector<double> y(static_cast<size_t>(g.n * wh.out * ww.out * co), 0.0);
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oh = 0; oh < wh.out; ++oh)
      for (int64_t ow = 0; ow < ww.out; ++ow)
        for (int64_t j = 0; j < co; ++j) {
          const int64_t group = j / cog;
          double acc = 0;
          for (int64_t kh = 0; kh < g.kh; ++kh)
            for (int64_t kw = 0; kw < g.kw; ++kw) {
              const int64_t ih = oh * wh.stride - wh.pad_before + kh * wh.dilation;
              const int64_t iw = ow * ww.stride - ww.pad_before + kw * ww.dilation;
              if (ih < 0 || ih >= wh.in || iw < 0 || iw >= ww.in) continue;
              const double* xp = &x[((n * wh.in + ih) * ww.in + iw) * g.c + group * nin];
              const int64_t t = kh * g.kw + kw;
              for (int64_t ci = 0; ci < nin; ++ci) acc += xp[ci] * f[(t * nin + ci) * co + j];
            }
          y[((n * wh.out + oh) * ww.out + ow) * co + j] = acc;
        }
  return y;
}

ConvEpilogue conv_epilogue(const ir::Node& node, int64_t co) {
  ConvEpilogue e;
  std::vector<std::string> ops;
  if (const auto* a = node.find_attr("fused_ops"))
    for (const auto& s : a->list().s()) ops.push_back(s);
  size_t i = 0;
  if (i < ops.size() && ops[i] == "BiasAdd") e.bias_add = true, ++i;
  else if (i < ops.size() && ops[i] == "FusedBatchNorm") e.batch_norm = true, ++i;
  if (i < ops.size() && find_fused_activation(ops[i]) > 0) e.activation = find_fused_activation(ops[i++]);
  if (i != ops.size())
    fail("{}: unsupported fused_ops: expected [BiasAdd | FusedBatchNorm] followed by at most "
         "one of Relu, Relu6, Tanh, Sigmoid; '{}' is not",
         node.describe(), ops[i]);
  const int64_t args = e.bias_add ? 1 : e.batch_norm ? 4 : 0;
  if (node.attr_int("num_args", args) != args || static_cast<int64_t>(node.inputs.size()) != 2 + args)
    fail("{}: fused_ops need {} argument inputs after input and filter, got num_args {} and {} "
         "inputs",
         node.describe(), args, node.attr_int("num_args", args), node.inputs.size());
  for (int64_t k = 0; k < args; ++k) {
    const Shape& s = node.input_type(2 + static_cast<int>(k)).shape;
    if (s != Shape{co})
      fail("{}: fused argument {} must have shape [{}] (one value per output channel), got {}",
           node.describe(), k, co, shape_str(s));
  }
  e.epsilon = node.attr_float("epsilon", 1e-4f);
  return e;
}

void epilogue_affine(const ConvEpilogue& e, std::span<const Tensor* const> args, int64_t co,
                     std::vector<double>& scale, std::vector<double>& shift) {
  scale.assign(static_cast<size_t>(co), 1.0);
  shift.assign(static_cast<size_t>(co), 0.0);
  auto arg = [&](int k) { return to_doubles(*args[k]); };
  if (e.bias_add) {
    shift = arg(0);
  } else if (e.batch_norm) {
    auto s = arg(0), o = arg(1), m = arg(2), v = arg(3);
    for (int64_t j = 0; j < co; ++j) {
      scale[j] = s[j] / std::sqrt(v[j] + e.epsilon);
      shift[j] = o[j] - m[j] * scale[j];
    }
  }
}

void apply_epilogue(const ConvEpilogue& e, std::span<const Tensor* const> args, int64_t co,
                    std::vector<double>& y) {
  std::vector<double> scale, shift;
  epilogue_affine(e, args, co, scale, shift);
  for (size_t i = 0; i < y.size(); ++i) {
    const size_t j = i % static_cast<size_t>(co);
    y[i] = fused_activate(e.activation, y[i] * scale[j] + shift[j]);
  }
}

namespace {

// Template arguments N, H, W, C, KH, KW shared by every convolution kernel.
std::vector<std::string> geometry_args(const ConvGeometry& g,
                                       std::initializer_list<int64_t> then) {
  std::vector<std::string> s;
  for (int64_t v : {g.n, g.win[0].in, g.win[1].in, g.c, g.kh, g.kw}) s.push_back(std::to_string(v));
  for (int64_t v : then) s.push_back(std::to_string(v));
  const auto& [wh, ww] = g.win;
  for (int64_t v : {wh.out, ww.out, wh.stride, ww.stride, wh.dilation, ww.dilation,
                    wh.pad_before, ww.pad_before})
    s.push_back(std::to_string(v));
  return s;
}

}  // namespace

void emit_conv_packed(const ir::Node& /*node*/, EmitContext& ctx, const ConvGeometry& g,
                      ConvKind kind, const Tensor& f, const Tensor* bias, int activation) {
  const backend::GemmPacking pk = backend::gemm_packing_for(ctx.targets());
  const int nr = pk.nr;
  const auto& [wh, ww] = g.win;
  const std::string act = kFusedActivations[activation].kernel;
  if (kind == ConvKind::Depthwise) {
    // The filter [KH,KW,C,M] already is [tap][output channel], the kernel's layout.
    std::string b = bias ? ctx.constant(*bias) : "nullptr";
    auto args = geometry_args(g, {g.fo});
    args.push_back(act);
    ctx.code() << "tfaot_kernels::depthwise_conv2d_fused<" << join_args(args) << ">("
               << ctx.input(0) << ", " << ctx.constant(f) << ", " << b << ", " << ctx.output(0)
               << ");\n";
    return;
  }
  const int64_t groups = g.groups();
  const std::string packed = ctx.constant(backend::pack_conv_filter(f, groups, nr, pk.group));
  const std::string b =
      bias ? ctx.constant(backend::pack_conv_bias(*bias, groups, nr)) : std::string("nullptr");
  const bool pointwise = g.kh == 1 && g.kw == 1 && groups == 1 && wh.stride == 1 &&
                         ww.stride == 1 && wh.pad_before == 0 && ww.pad_before == 0 &&
                         wh.out == wh.in && ww.out == ww.in;
  if (pointwise) {  // a 1x1 convolution is a GEMM over all pixels
    ctx.code() << "tfaot_kernels::gemm_packed<" << g.n * wh.in * ww.in << ", " << g.fo << ", "
               << g.c << ", " << nr << ", " << act << ", " << pk.group << ">(" << ctx.input(0) << ", " << packed
               << ", " << b << ", " << ctx.output(0) << ");\n";
    return;
  }
  auto args = geometry_args(g, {g.fi, g.fo});
  args.push_back(std::to_string(nr));
  args.push_back(act);
  args.push_back(std::to_string(pk.group));
  ctx.code() << "tfaot_kernels::conv2d_packed<" << join_args(args) << ">(" << ctx.input(0)
             << ", " << packed << ", " << b << ", " << ctx.output(0) << ");\n";
}

void emit_conv_loops(const ir::Node& node, EmitContext& ctx, const ConvGeometry& g,
                     ConvKind kind) {
  if (node.output_type(0).num_elements() == 0) return;
  // Depthwise is the grouped convolution with one input channel per group: its filter
  // [KH,KW,C,M] is the HWIO filter [KH,KW,1,C*M].
  auto args = kind == ConvKind::Depthwise ? geometry_args(g, {1, g.c * g.fo})
                                          : geometry_args(g, {g.fi, g.fo});
  ctx.code() << "tfaot_kernels::conv2d<" << join_args(args) << ">(" << ctx.input(0) << ", " << ctx.input(1) << ", "
             << ctx.output(0) << ");\n";
}

}  // namespace tfaot::ops::nn
