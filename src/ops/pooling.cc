// MaxPool, MaxPoolV2 (ksize/strides as constant inputs) and AvgPool on NHWC tensors. Windows
// are clipped to the input: max pooling ignores padded positions, average pooling divides by
// the number of input elements in the clipped window (TF's SpatialAvgPool). MaxPool also
// accepts EXPLICIT padding (each pad smaller than the window, so no window is empty).
#include <limits>

#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct PoolGeometry {
  int64_t n, c;
  std::array<nn::Window, 2> win;  // H, W
};

std::array<int64_t, 2> hw_of(const ir::Node& node, const char* what,
                             const std::vector<int64_t>& v) {
  if (v.size() != 4 || v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1)
    fail("{}: {} must be 4 positive entries (NHWC) with 1 in the batch and depth dimensions",
         node.describe(), what);
  return {v[1], v[2]};
}

PoolGeometry pool_geometry(const ir::Node& node, const Shape& in, bool max) {
  nn::require_nhwc(node);
  if (in.size() != 4)
    fail("{}: input must be 4-D NHWC, got {}", node.describe(), shape_str(in));
  std::array<int64_t, 2> ksize, strides;
  if (node.op == "MaxPoolV2") {
    ksize = hw_of(node, "ksize (input 1)", require_const(node, 1, "ksize").to_int_vector());
    strides = hw_of(node, "strides (input 2)", require_const(node, 2, "strides").to_int_vector());
  } else {
    ksize = nn::nhwc_hw_attr(node, "ksize");
    strides = nn::nhwc_hw_attr(node, "strides");
  }
  PoolGeometry g{in[0], in[3], nn::spatial_windows(node, in, ksize, strides, {1, 1},
                                                   max && node.op == "MaxPool")};
  for (const auto& w : g.win)
    if (w.pad_before >= w.size || w.pad_after >= w.size)
      fail("{}: padding ({}, {}) must be smaller than the window {}", node.describe(),
           w.pad_before, w.pad_after, w.size);
  return g;
}

class PoolOp final : public Op {
 public:
  PoolOp(const char* name, bool max) : name_(name), max_(max) {}
  std::string_view name() const override { return name_; }
  uint64_t flops(const ir::Node& node) const override {  // one per window element
    auto g = pool_geometry(node, node.input_type(0).shape, max_);
    return elementwise_flops(node) * static_cast<uint64_t>(g.win[0].size * g.win[1].size);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, name_ == std::string_view("MaxPoolV2") ? 3 : 1);
    check_static_inputs(node);
    DType t = check_type_attr(node, "T", {0},
                              max_ ? kNumberTypes : kFloatTypes);
    auto g = pool_geometry(node, node.input_type(0).shape, max_);
    node.outputs = {ir::TensorType{t, {g.n, g.win[0].out, g.win[1].out, g.c}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto g = pool_geometry(node, in[0]->shape(), max_);
    const auto& [wh, ww] = g.win;
    auto x = nn::to_doubles(*in[0]);
    std::vector<double> y(static_cast<size_t>(g.n * wh.out * ww.out * g.c));
    for (int64_t n = 0; n < g.n; ++n)
      for (int64_t oh = 0; oh < wh.out; ++oh)
        for (int64_t ow = 0; ow < ww.out; ++ow)
          for (int64_t c = 0; c < g.c; ++c) {
            double acc = max_ ? -std::numeric_limits<double>::infinity() : 0.0;
            int64_t count = 0;
            for (int64_t kh = 0; kh < wh.size; ++kh)
              for (int64_t kw = 0; kw < ww.size; ++kw) {
                int64_t ih = oh * wh.stride - wh.pad_before + kh;
                int64_t iw = ow * ww.stride - ww.pad_before + kw;
                if (ih < 0 || ih >= wh.in || iw < 0 || iw >= ww.in) continue;
                double v = x[((n * wh.in + ih) * ww.in + iw) * g.c + c];
                if (max_) acc = v > acc ? v : acc;
                else acc += v;
                ++count;
              }
            y[((n * wh.out + oh) * ww.out + ow) * g.c + c] = max_ ? acc : acc / double(count);
          }
    return {nn::from_doubles(in[0]->dtype(), {g.n, wh.out, ww.out, g.c}, y)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto g = pool_geometry(node, node.input_type(0).shape, max_);
    const auto& [wh, ww] = g.win;
    if (node.output_type(0).num_elements() == 0) return;
    std::vector<std::string> s = {nn::bool_arg(max_)};
    for (int64_t v : {g.n, wh.in, ww.in, g.c, wh.size, ww.size, wh.out, ww.out, wh.stride,
                      ww.stride, wh.pad_before, ww.pad_before})
      s.push_back(std::to_string(v));
    ctx.code() << "tfaot_kernels::pool2d<" << nn::join_args(s) << ">(" << ctx.input(0) << ", "
               << ctx.output(0) << ");\n";
  }

 private:
  const char* name_;
  bool max_;
};

}  // namespace

std::vector<const Op*> pooling_ops() {
  static const PoolOp max_pool("MaxPool", true), max_pool_v2("MaxPoolV2", true),
      avg_pool("AvgPool", false);
  return {&max_pool, &max_pool_v2, &avg_pool};
}

}  // namespace tfaot::ops
