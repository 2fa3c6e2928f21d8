// FusedBatchNorm, FusedBatchNormV2, FusedBatchNormV3 (CPU semantics of TF's
// fused_batch_norm_op.cc). Inputs x (T), scale, offset, mean, variance (U; V1: all float).
// is_training=false normalizes with the given mean/variance; is_training=true (the default,
// and what Keras LayerNormalization emits, as NCHW [1, rows, cols, 1]) with the batch
// statistics of x over every axis but the channel axis. Outputs: y, batch_mean, batch_variance
// (running statistics: Bessel-corrected and blended by exponential_avg_factor when training),
// reserve_space_1/2 (batch mean and biased variance when training, copies of mean/variance
// otherwise) and, for V3, reserve_space_3 (a scalar 0). data_format NHWC, NCHW, and for V3 also
// NDHWC / NCDHW.
#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct BnLayout {
  int64_t outer = 1, c = 1, inner = 1;
};

BnLayout bn_layout(const ir::Node& node, const Shape& x) {
  std::string f = node.attr_string("data_format", "NHWC");
  bool v3 = node.op == "FusedBatchNormV3";
  bool channels_last;
  size_t rank;
  if (f == "NHWC" || f == "NCHW")
    rank = 4, channels_last = f == "NHWC";
  else if (v3 && (f == "NDHWC" || f == "NCDHW"))
    rank = 5, channels_last = f == "NDHWC";
  else
    fail("{}: data_format '{}' is not supported", node.describe(), f);
  if (x.size() != rank)
    fail("{}: x must be {}-D for data_format {}, got {}", node.describe(), rank, f, shape_str(x));
  BnLayout l;
  size_t axis = channels_last ? rank - 1 : 1;
  for (size_t d = 0; d < rank; ++d) {
    if (d < axis)
      l.outer *= x[d];
    else if (d == axis)
      l.c = x[d];
    else
      l.inner *= x[d];
  }
  return l;
}

bool training(const ir::Node& node) { return node.attr_bool("is_training", true); }

class FusedBatchNormOp final : public Op {
 public:
  explicit FusedBatchNormOp(const char* name) : name_(name) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 5);
    check_static_inputs(node);
    bool v1 = node.op == "FusedBatchNorm";
    DType t = check_type_attr(node, "T", {0},
                              v1 ? std::initializer_list<DType>{DType::Float} : kFloatTypes);
    DType u = v1 ? check_type_attr(node, "T", {1, 2, 3, 4}, {DType::Float})
                 : check_type_attr(node, "U", {1, 2, 3, 4}, kFloatTypes);
    const Shape& x = node.input_type(0).shape;
    BnLayout l = bn_layout(node, x);
    float factor = node.attr_float("exponential_avg_factor", 1.0f);
    const char* names[] = {"x", "scale", "offset", "mean", "variance"};
    for (int i = 1; i < 5; ++i) {
      const Shape& s = node.input_type(i).shape;
      // When training without blending, mean and variance are unused and may be empty.
      bool may_be_empty = i >= 3 && training(node) && factor == 1.0f;
      if (may_be_empty && s == Shape{0}) continue;
      if (s != Shape{l.c})
        fail("{}: {} must have shape [{}] (the channels of x), got {}", node.describe(), names[i],
             l.c, shape_str(s));
    }
    node.outputs = {ir::TensorType{t, x, true}};
    for (int i = 0; i < 4; ++i) node.outputs.push_back(ir::TensorType{u, {l.c}, true});
    if (node.op == "FusedBatchNormV3") node.outputs.push_back(ir::TensorType{u, {}, true});
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    BnLayout l = bn_layout(node, in[0]->shape());
    DType u = in[1]->dtype();
    double eps = node.attr_float("epsilon", 1e-4f);
    double factor = node.attr_float("exponential_avg_factor", 1.0f);
    auto x = nn::to_doubles(*in[0]);
    auto scale = nn::to_doubles(*in[1]), offset = nn::to_doubles(*in[2]);
    auto mean_in = nn::to_doubles(*in[3]), var_in = nn::to_doubles(*in[4]);
    const size_t C = static_cast<size_t>(l.c);
    std::vector<double> mean(C), var(C), batch_mean(C), batch_var(C);
    auto at = [&](int64_t o, int64_t c, int64_t i) { return (o * l.c + c) * l.inner + i; };
    if (training(node)) {
      const double rest = double(l.outer * l.inner);
      for (int64_t c = 0; c < l.c; ++c) {
        double s = 0, q = 0;
        for (int64_t o = 0; o < l.outer; ++o)
          for (int64_t i = 0; i < l.inner; ++i) s += x[at(o, c, i)];
        mean[c] = s / rest;
        for (int64_t o = 0; o < l.outer; ++o)
          for (int64_t i = 0; i < l.inner; ++i)
            q += (x[at(o, c, i)] - mean[c]) * (x[at(o, c, i)] - mean[c]);
        var[c] = q / rest;
        double adjust = rest / (rest > 1 ? rest - 1 : 1);
        if (factor == 1.0) {
          batch_mean[c] = mean[c];
          batch_var[c] = var[c] * adjust;
        } else {
          batch_mean[c] = (1 - factor) * mean_in[c] + factor * mean[c];
          batch_var[c] = (1 - factor) * var_in[c] + factor * adjust * var[c];
        }
      }
    } else {
      mean = batch_mean = mean_in;
      var = batch_var = var_in;
    }
    std::vector<double> y(x.size());
    for (int64_t o = 0; o < l.outer; ++o)
      for (int64_t c = 0; c < l.c; ++c) {
        double f = scale[c] / std::sqrt(var[c] + eps);
        for (int64_t i = 0; i < l.inner; ++i)
          y[at(o, c, i)] = (x[at(o, c, i)] - mean[c]) * f + offset[c];
      }
    std::vector<Tensor> out = {nn::from_doubles(in[0]->dtype(), in[0]->shape(), y),
                               nn::from_doubles(u, {l.c}, batch_mean),
                               nn::from_doubles(u, {l.c}, batch_var),
                               nn::from_doubles(u, {l.c}, mean), nn::from_doubles(u, {l.c}, var)};
    if (node.op == "FusedBatchNormV3") out.push_back(Tensor(u, {}));
    return out;
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    BnLayout l = bn_layout(node, node.input_type(0).shape);
    DType u = node.input_type(1).dtype;
    if (node.op == "FusedBatchNormV3")
      ctx.code() << ctx.output(5) << "[0] = " << cpp_literal(u, 0) << ";\n";
    if (l.c == 0) return;
    std::string ucpp = dtype_cpp(u);
    std::string eps = cpp_literal(u, node.attr_float("epsilon", 1e-4f));
    std::string dims = fmt::format("{}, {}, {}", l.outer, l.c, l.inner);
    auto& os = ctx.code();
    if (!training(node)) {
      os << "tfaot_kernels::batch_norm_inference<" << dims << ">(" << ctx.input(0) << ", "
         << ctx.input(1) << ", " << ctx.input(2) << ", " << ctx.input(3) << ", " << ctx.input(4)
         << ", " << eps << ", " << ctx.output(0) << ", " << ctx.output(1) << ", " << ctx.output(2)
         << ", " << ctx.output(3) << ", " << ctx.output(4) << ");\n";
      return;
    }
    float factor = node.attr_float("exponential_avg_factor", 1.0f);
    bool blend = factor != 1.0f;
    // Unblended training never reads mean/variance (they may be empty).
    std::string old_mean = blend ? ctx.input(3) : "static_cast<const " + ucpp + "*>(nullptr)";
    std::string old_var = blend ? ctx.input(4) : "static_cast<const " + ucpp + "*>(nullptr)";
    os << "tfaot_kernels::batch_norm_training<" << dims << ", " << nn::bool_arg(blend) << ">("
       << ctx.input(0) << ", " << ctx.input(1) << ", " << ctx.input(2) << ", " << old_mean << ", "
       << old_var << ", " << eps << ", " << cpp_literal(u, factor) << ", " << ctx.output(0) << ", "
       << ctx.output(1) << ", " << ctx.output(2) << ", " << ctx.output(3) << ", " << ctx.output(4)
       << ");\n";
  }

 private:
  const char* name_;
};

}  // namespace

std::vector<const Op*> fused_batch_norm_ops() {
  static const FusedBatchNormOp v1("FusedBatchNorm"), v2("FusedBatchNormV2"),
      v3("FusedBatchNormV3");
  return {&v1, &v2, &v3};
}

}  // namespace tfaot::ops
