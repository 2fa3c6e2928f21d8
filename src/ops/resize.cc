// ResizeNearestNeighbor and ResizeBilinear on NHWC images with a constant `size` [new_h, new_w].
// Source indices and weights are computed here, in float, exactly as TF's CPU kernels do
// (CalculateResizeScale; legacy scaler x * scale or half-pixel (x + 0.5) * scale [- 0.5 for
// bilinear]; nearest: floor, or round when align_corners, clamped), and emitted as tables.
// ResizeNearestNeighbor keeps T; ResizeBilinear always outputs float.
#include <cmath>

#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct ResizeGeometry {
  int64_t n, h, w, c, oh, ow;
  bool align_corners, half_pixel;
};

ResizeGeometry resize_geometry(const ir::Node& node, const Shape& in) {
  if (in.size() != 4)
    fail("{}: images must be 4-D [batch, height, width, channels], got {}", node.describe(),
         shape_str(in));
  const Tensor& size = require_const(node, 1, "size");
  if (size.dtype() != DType::Int32 || size.shape() != Shape{2})
    fail("{}: size must be int32 [2], got {}{}", node.describe(), dtype_name(size.dtype()),
         shape_str(size.shape()));
  auto s = size.to_int_vector();
  if (s[0] <= 0 || s[1] <= 0)
    fail("{}: output size must be positive, got [{}, {}]", node.describe(), s[0], s[1]);
  ResizeGeometry g{in[0], in[1], in[2], in[3], s[0], s[1],
                   node.attr_bool("align_corners", false),
                   node.attr_bool("half_pixel_centers", false)};
  if (g.align_corners && g.half_pixel)
    fail("{}: half_pixel_centers requires align_corners to be false", node.describe());
  if (g.h <= 0 || g.w <= 0)
    fail("{}: input height and width must be positive, got {}", node.describe(), shape_str(in));
  return g;
}

float resize_scale(int64_t in, int64_t out, bool align_corners) {
  return (align_corners && out > 1) ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                    : static_cast<float>(in) / static_cast<float>(out);
}

std::vector<int64_t> nearest_indices(int64_t in, int64_t out, bool align_corners,
                                     bool half_pixel) {
  float scale = resize_scale(in, out, align_corners);
  std::vector<int64_t> idx(static_cast<size_t>(out));
  for (int64_t i = 0; i < out; ++i) {
    float src = half_pixel ? (static_cast<float>(i) + 0.5f) * scale : static_cast<float>(i) * scale;
    int64_t x = static_cast<int64_t>(align_corners ? std::round(src) : std::floor(src));
    x = std::min(x, in - 1);
    if (half_pixel) x = std::max<int64_t>(0, x);
    idx[static_cast<size_t>(i)] = x;
  }
  return idx;
}

struct Lerp {
  std::vector<int64_t> lo, hi;
  std::vector<float> frac;
};

Lerp bilinear_weights(int64_t in, int64_t out, bool align_corners, bool half_pixel) {
  float scale = resize_scale(in, out, align_corners);
  Lerp l;
  for (int64_t i = 0; i < out; ++i) {
    float src = half_pixel ? (static_cast<float>(i) + 0.5f) * scale - 0.5f
                           : static_cast<float>(i) * scale;
    float f = std::floor(src);
    l.lo.push_back(std::max<int64_t>(static_cast<int64_t>(f), 0));
    l.hi.push_back(std::min<int64_t>(static_cast<int64_t>(std::ceil(src)), in - 1));
    l.frac.push_back(src - f);
  }
  return l;
}

class ResizeOp final : public Op {
 public:
  ResizeOp(const char* name, bool bilinear) : name_(name), bilinear_(bilinear) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    DType t = check_type_attr(node, "T", {0}, kNumberTypes);
    auto g = resize_geometry(node, node.input_type(0).shape);
    node.outputs = {ir::TensorType{bilinear_ ? DType::Float : t, {g.n, g.oh, g.ow, g.c}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto g = resize_geometry(node, in[0]->shape());
    auto x = nn::to_doubles(*in[0]);
    std::vector<double> y(static_cast<size_t>(g.n * g.oh * g.ow * g.c));
    auto at = [&](int64_t n, int64_t h, int64_t w, int64_t c) {
      return x[static_cast<size_t>(((n * g.h + h) * g.w + w) * g.c + c)];
    };
    if (!bilinear_) {
      auto ys = nearest_indices(g.h, g.oh, g.align_corners, g.half_pixel);
      auto xs = nearest_indices(g.w, g.ow, g.align_corners, g.half_pixel);
      for (int64_t n = 0; n < g.n; ++n)
        for (int64_t oy = 0; oy < g.oh; ++oy)
          for (int64_t ox = 0; ox < g.ow; ++ox)
            for (int64_t c = 0; c < g.c; ++c)
              y[((n * g.oh + oy) * g.ow + ox) * g.c + c] = at(n, ys[oy], xs[ox], c);
      return {nn::from_doubles(in[0]->dtype(), {g.n, g.oh, g.ow, g.c}, y)};
    }
    Lerp ly = bilinear_weights(g.h, g.oh, g.align_corners, g.half_pixel);
    Lerp lx = bilinear_weights(g.w, g.ow, g.align_corners, g.half_pixel);
    for (int64_t n = 0; n < g.n; ++n)
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox)
          for (int64_t c = 0; c < g.c; ++c) {
            // In float, as TF's compute_lerp.
            float tl = float(at(n, ly.lo[oy], lx.lo[ox], c));
            float tr = float(at(n, ly.lo[oy], lx.hi[ox], c));
            float bl = float(at(n, ly.hi[oy], lx.lo[ox], c));
            float br = float(at(n, ly.hi[oy], lx.hi[ox], c));
            float top = tl + (tr - tl) * lx.frac[ox];
            float bottom = bl + (br - bl) * lx.frac[ox];
            y[((n * g.oh + oy) * g.ow + ox) * g.c + c] = top + (bottom - top) * ly.frac[oy];
          }
    return {nn::from_doubles(DType::Float, {g.n, g.oh, g.ow, g.c}, y)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto g = resize_geometry(node, node.input_type(0).shape);
    if (node.output_type(0).num_elements() == 0) return;
    std::string dims = fmt::format("{}, {}, {}, {}, {}, {}", g.n, g.h, g.w, g.c, g.oh, g.ow);
    auto ints = [&](const std::vector<int64_t>& v) {
      return ctx.constant(Tensor::from_vector<int64_t>({int64_t(v.size())}, v));
    };
    auto floats = [&](const std::vector<float>& v) {
      return ctx.constant(Tensor::from_vector<float>({int64_t(v.size())}, v));
    };
    if (!bilinear_) {
      ctx.code() << "tfaot_kernels::resize_nearest<" << dims << ">(" << ctx.input(0) << ", "
                 << ctx.output(0) << ", "
                 << ints(nearest_indices(g.h, g.oh, g.align_corners, g.half_pixel)) << ", "
                 << ints(nearest_indices(g.w, g.ow, g.align_corners, g.half_pixel)) << ");\n";
      return;
    }
    Lerp ly = bilinear_weights(g.h, g.oh, g.align_corners, g.half_pixel);
    Lerp lx = bilinear_weights(g.w, g.ow, g.align_corners, g.half_pixel);
    ctx.code() << "tfaot_kernels::resize_bilinear<" << dims << ">(" << ctx.input(0) << ", "
               << ctx.output(0) << ", " << ints(ly.lo) << ", " << ints(ly.hi) << ", "
               << floats(ly.frac) << ", " << ints(lx.lo) << ", " << ints(lx.hi) << ", "
               << floats(lx.frac) << ");\n";
  }

 private:
  const char* name_;
  bool bilinear_;
};

}  // namespace

std::vector<const Op*> resize_ops() {
  static const ResizeOp nearest("ResizeNearestNeighbor", false),
      bilinear("ResizeBilinear", true);
  return {&nearest, &bilinear};
}

}  // namespace tfaot::ops
