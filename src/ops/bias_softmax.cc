// Neural-network row ops: BiasAdd (bias over the last, channel, dim; NHWC only) and
// Softmax / LogSoftmax over the last axis (numerically stable: the row max is subtracted).
#include <cmath>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

class BiasAddOp final : public Op {
 public:
  explicit BiasAddOp(const char* name) : name_(name) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_type_attr(node, "T", {0, 1}, kNumberTypes);
    std::string format = node.attr_string("data_format", "NHWC");
    if (format != "NHWC")
      fail("{}: data_format '{}' is not supported (only NHWC)", node.describe(), format);
    const Shape& v = node.input_type(0).shape;
    const Shape& b = node.input_type(1).shape;
    if (v.size() < 2) fail("{}: value must have rank >= 2, got {}", node.describe(), shape_str(v));
    if (b.size() != 1 || b[0] != v.back())
      fail("{}: bias {} does not match the last dim of value {}", node.describe(), shape_str(b),
           shape_str(v));
    node.outputs = {node.input_type(0)};
  }

  std::vector<Tensor> evaluate(const ir::Node&, std::span<const Tensor* const> in) const override {
    const Tensor& v = *in[0];
    const Tensor& b = *in[1];
    Tensor out(v.dtype(), v.shape());
    int64_t c = b.num_elements();
    bool is_float = dtype_is_float(v.dtype());
    for (int64_t i = 0; i < v.num_elements(); ++i) {
      if (is_float) out.set_double(i, v.get_double(i) + b.get_double(i % c));
      else
        dispatch_dtype(v.dtype(), [&](auto tag) {
          using T = typename decltype(tag)::type;
          out.data<T>()[i] = static_cast<T>(uint64_t(v.get_int(i)) + uint64_t(b.get_int(i % c)));
        });
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    emit_broadcast_binary(ctx, "tfaot_kernels::f_add{}", node.input_type(0).shape,
                          node.input_type(1).shape, node.output_type(0).shape);
  }
  int inplace_input(const ir::Node&) const override { return 0; }

 private:
  const char* name_;
};

class SoftmaxOp final : public Op {
 public:
  SoftmaxOp(const char* name, bool log) : name_(name), log_(log) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    check_type_attr(node, "T", {0}, kFloatTypes);
    if (node.input_type(0).shape.empty())
      fail("{}: logits must have rank >= 1", node.describe());
    node.outputs = {node.input_type(0)};
  }

  std::vector<Tensor> evaluate(const ir::Node&, std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[0];
    Tensor out(x.dtype(), x.shape());
    int64_t cols = x.shape().back();
    int64_t rows = cols ? x.num_elements() / cols : 0;
    for (int64_t r = 0; r < rows; ++r) {
      double m = -INFINITY;
      for (int64_t j = 0; j < cols; ++j) m = std::max(m, x.get_double(r * cols + j));
      double sum = 0;
      for (int64_t j = 0; j < cols; ++j) sum += std::exp(x.get_double(r * cols + j) - m);
      for (int64_t j = 0; j < cols; ++j) {
        double s = x.get_double(r * cols + j) - m;
        out.set_double(r * cols + j, log_ ? s - std::log(sum) : std::exp(s) / sum);
      }
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const Shape& s = node.input_type(0).shape;
    int64_t cols = s.back();
    if (cols == 0) return;
    int64_t rows = node.input_type(0).num_elements() / cols;
    // float32: vectorized exp/log and 8-lane max/sum (tfaot_kernels_vmath.h).
    const bool f32 = node.input_type(0).dtype == DType::Float;
    ctx.code() << (f32 ? "tfaot_kernels::softmax_f32<" : "tfaot_kernels::softmax<") << rows
               << ", " << cols << ", "
               << (log_ ? "true" : "false") << ">(" << ctx.input(0) << ", " << ctx.output(0)
               << ");\n";
  }

 private:
  const char* name_;
  bool log_;
};

}  // namespace

std::vector<const Op*> bias_softmax_ops() {
  static const BiasAddOp bias_add("BiasAdd"), bias_add_v1("BiasAddV1");
  static const SoftmaxOp softmax("Softmax", false), log_softmax("LogSoftmax", true);
  return {&bias_add, &bias_add_v1, &softmax, &log_softmax};
}

}  // namespace tfaot::ops
