// FakeQuantWithMinMaxArgs (min/max attrs), FakeQuantWithMinMaxVars (min/max scalar inputs,
// e.g. the QAT variables of tfmot) and FakeQuantWithMinMaxVarsPerChannel (min/max [d] for the
// last dim d of the input, tfmot's per-axis weight quantizer), float only. Formula of TF's
// fake_quant_ops_functor.h: quant range [narrow_range ? 1 : 0, 2^num_bits - 1]; scale =
// (max - min) / (qmax - qmin); the zero point min-derived, clamped and rounded; nudged
// min/max = (qmin/qmax - zero_point) * scale; y = floor((clamp(x) - nudged_min) / scale + 0.5)
// * scale + nudged_min (Args multiplies by 1/scale instead of dividing). All in float: this is
// a quantizer, so the reference must round exactly as the kernel does.
#include <cmath>

#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct QuantRange {
  int qmin, qmax;
};

QuantRange quant_range(const ir::Node& node) {
  int64_t bits = node.attr_int("num_bits", 8);
  if (bits < 2 || bits > 16)
    fail("{}: num_bits must be between 2 and 16, got {}", node.describe(), bits);
  bool narrow = node.attr_bool("narrow_range", false);
  return {narrow ? 1 : 0, static_cast<int>((int64_t{1} << bits) - 1)};
}

// Products are rounded to float before they are added (no FMA contraction, whatever the flags
// this file is compiled with), as in the kernel.
float rounded(float v) {
  volatile float t = v;
  return t;
}

// The reference quantizer (see the header comment).
// Elements x[i * stride], i < count.
void fake_quant_ref(const float* x, float* y, int64_t count, int64_t stride, float min,
                    float max, QuantRange r, bool inverse) {
  if (min == 0.0f && max == 0.0f) {
    for (int64_t i = 0; i < count; ++i) y[i * stride] = 0.0f;
    return;
  }
  const float qmin = static_cast<float>(r.qmin), qmax = static_cast<float>(r.qmax);
  const float scale = (max - min) / (qmax - qmin);
  const float zp_from_min = qmin - min / scale;
  uint16_t zp = zp_from_min < qmin   ? static_cast<uint16_t>(r.qmin)
                : zp_from_min > qmax ? static_cast<uint16_t>(r.qmax)
                                     : static_cast<uint16_t>(std::round(zp_from_min));
  const float nmin = (qmin - zp) * scale, nmax = (qmax - zp) * scale;
  const float inv = 1.0f / scale;
  for (int64_t i = 0; i < count; ++i) {
    float v = x[i * stride];
    if (nmax < v) v = nmax;
    if (v < nmin) v = nmin;
    float shifted = v - nmin;
    float t;
    if (inverse) {
      float scaled = rounded(shifted * inv);
      t = scaled + 0.5f;
    } else {
      t = shifted / scale + 0.5f;
    }
    float q = std::floor(t);
    float back = rounded(q * scale);
    y[i * stride] = back + nmin;
  }
}

class FakeQuantOp final : public Op {
 public:
  FakeQuantOp(const char* name, bool vars, bool per_channel = false)
      : name_(name), vars_(vars), per_channel_(per_channel) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, vars_ ? 3 : 1);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, {DType::Float}, "input");
    quant_range(node);
    if (per_channel_) {
      const Shape& x = node.input_type(0).shape;
      if (x.empty())
        fail("{}: inputs must have rank >= 1, got a scalar", node.describe());
      for (int i : {1, 2}) {
        const auto& t = node.input_type(i);
        check_dtype(node, t.dtype, {DType::Float}, i == 1 ? "min" : "max");
        if (t.shape != Shape{x.back()})
          fail("{}: {} must have shape [{}] (the last dim of inputs), got {}", node.describe(),
               i == 1 ? "min" : "max", x.back(), shape_str(t.shape));
      }
    } else if (vars_) {
      for (int i : {1, 2}) {
        const auto& t = node.input_type(i);
        check_dtype(node, t.dtype, {DType::Float}, i == 1 ? "min" : "max");
        if (t.num_elements() != 1)
          fail("{}: {} must be a scalar, got {} (per-channel is FakeQuantWithMinMaxVarsPerChannel)",
               node.describe(), i == 1 ? "min" : "max", shape_str(t.shape));
      }
    } else {
      float min = node.attr_float("min", -6.0f), max = node.attr_float("max", 6.0f);
      if (!(min < max))
        fail("{}: min {} must be smaller than max {}", node.describe(), min, max);
    }
    node.outputs = {node.input_type(0)};
    node.outputs[0].rank_known = true;
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    Tensor y(DType::Float, in[0]->shape());
    if (per_channel_) {
      int64_t d = in[0]->shape().back(), rows = d ? y.num_elements() / d : 0;
      for (int64_t c = 0; c < d; ++c)
        fake_quant_ref(in[0]->data<float>() + c, y.data<float>() + c, rows, d,
                       in[1]->data<float>()[c], in[2]->data<float>()[c], quant_range(node),
                       false);
      return {y};
    }
    float min, max;
    if (vars_) {
      min = in[1]->data<float>()[0];
      max = in[2]->data<float>()[0];
    } else {
      min = node.attr_float("min", -6.0f);
      max = node.attr_float("max", 6.0f);
    }
    fake_quant_ref(in[0]->data<float>(), y.data<float>(), y.num_elements(), 1, min, max,
                   quant_range(node), !vars_);
    return {y};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    int64_t count = node.output_type(0).num_elements();
    if (count == 0) return;
    QuantRange r = quant_range(node);
    if (per_channel_) {
      int64_t d = node.output_type(0).shape.back();
      ctx.code() << "tfaot_kernels::fake_quant_per_channel<" << count / d << ", " << d << ">("
                 << ctx.input(0) << ", " << ctx.output(0) << ", " << ctx.input(1) << ", "
                 << ctx.input(2) << ", " << r.qmin << ", " << r.qmax << ");\n";
      return;
    }
    std::string min, max;
    if (vars_) {
      min = ctx.input(1) + "[0]";
      max = ctx.input(2) + "[0]";
    } else {
      min = cpp_literal(DType::Float, node.attr_float("min", -6.0f));
      max = cpp_literal(DType::Float, node.attr_float("max", 6.0f));
    }
    ctx.code() << "tfaot_kernels::fake_quant<" << count << ", " << nn::bool_arg(!vars_) << ">("
               << ctx.input(0) << ", " << ctx.output(0) << ", " << min << ", " << max << ", "
               << r.qmin << ", " << r.qmax << ");\n";
  }

  int inplace_input(const ir::Node&) const override { return 0; }

 private:
  const char* name_;
  bool vars_;
  bool per_channel_;
};

}  // namespace

std::vector<const Op*> fake_quant_ops() {
  static const FakeQuantOp args("FakeQuantWithMinMaxArgs", false),
      vars("FakeQuantWithMinMaxVars", true),
      per_channel("FakeQuantWithMinMaxVarsPerChannel", true, true);
  return {&args, &vars, &per_channel};
}

}  // namespace tfaot::ops
