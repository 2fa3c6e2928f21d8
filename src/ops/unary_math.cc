// Unary elementwise ops (Tanh, Rsqrt, Sigmoid, Relu, ...). One table row per op.
// Reference: floats computed in double and rounded to the element type; integers in int64
// with two's-complement wrap. Generated code calls the float/double <cmath> function of the
// element type through the kernel functor, so results agree within a few ulp.
#include <cmath>
#include <limits>
#include <map>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

using FloatFn = double (*)(double);
using IntFn = int64_t (*)(int64_t);

enum class Out { Same, Bool };

struct UnaryDef {
  const char* name;
  const char* functor;
  FloatFn f;  // nullptr: float types not accepted
  IntFn i;    // nullptr: integer types not accepted
  Out out = Out::Same;
  bool bools = false;  // bool input accepted (LogicalNot)
};

int64_t wrap_neg(int64_t x) { return static_cast<int64_t>(uint64_t(0) - uint64_t(x)); }
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
double selu(double x) {
  const double scale = 1.0507009873554804934193349852946;
  const double alpha = 1.6732632423543772848170429916717;
  return x < 0 ? scale * alpha * std::expm1(x) : scale * x;
}
template <class V>
V sign(V x) {
  return x > 0 ? V(1) : (x < 0 ? V(-1) : x);
}

// clang-format off
const UnaryDef kDefs[] = {
  {"Tanh", "f_tanh", [](double x) { return std::tanh(x); }, nullptr},
  {"Rsqrt", "f_rsqrt", [](double x) { return 1.0 / std::sqrt(x); }, nullptr},
  {"Sqrt", "f_sqrt", [](double x) { return std::sqrt(x); }, nullptr},
  {"Sigmoid", "f_sigmoid", sigmoid, nullptr},
  {"Exp", "f_exp", [](double x) { return std::exp(x); }, nullptr},
  {"Expm1", "f_expm1", [](double x) { return std::expm1(x); }, nullptr},
  {"Log", "f_log", [](double x) { return std::log(x); }, nullptr},
  {"Log1p", "f_log1p", [](double x) { return std::log1p(x); }, nullptr},
  {"Floor", "f_floor", [](double x) { return std::floor(x); }, nullptr},
  {"Ceil", "f_ceil", [](double x) { return std::ceil(x); }, nullptr},
  {"Round", "f_round", [](double x) { return std::nearbyint(x); }, [](int64_t x) { return x; }},
  {"Sin", "f_sin", [](double x) { return std::sin(x); }, nullptr},
  {"Cos", "f_cos", [](double x) { return std::cos(x); }, nullptr},
  {"Tan", "f_tan", [](double x) { return std::tan(x); }, nullptr},
  {"Asin", "f_asin", [](double x) { return std::asin(x); }, nullptr},
  {"Acos", "f_acos", [](double x) { return std::acos(x); }, nullptr},
  {"Atan", "f_atan", [](double x) { return std::atan(x); }, nullptr},
  {"Sinh", "f_sinh", [](double x) { return std::sinh(x); }, nullptr},
  {"Cosh", "f_cosh", [](double x) { return std::cosh(x); }, nullptr},
  {"Asinh", "f_asinh", [](double x) { return std::asinh(x); }, nullptr},
  {"Acosh", "f_acosh", [](double x) { return std::acosh(x); }, nullptr},
  {"Atanh", "f_atanh", [](double x) { return std::atanh(x); }, nullptr},
  {"Rint", "f_round", [](double x) { return std::nearbyint(x); }, nullptr},
  {"Erf", "f_erf", [](double x) { return std::erf(x); }, nullptr},
  {"Reciprocal", "f_reciprocal", [](double x) { return 1.0 / x; }, nullptr},
  {"Inv", "f_reciprocal", [](double x) { return 1.0 / x; }, nullptr},
  {"Softplus", "f_softplus", softplus, nullptr},
  {"Softsign", "f_softsign", [](double x) { return x / (1.0 + std::fabs(x)); }, nullptr},
  {"Elu", "f_elu", [](double x) { return x < 0 ? std::expm1(x) : x; }, nullptr},
  {"Selu", "f_selu", selu, nullptr},
  {"Relu", "f_relu", [](double x) { return x < 0 ? 0.0 : x; },
   [](int64_t x) { return x < 0 ? int64_t(0) : x; }},
  {"Relu6", "f_relu6", [](double x) { return x < 0 ? 0.0 : (x > 6 ? 6.0 : x); },
   [](int64_t x) { return x < 0 ? int64_t(0) : (x > 6 ? int64_t(6) : x); }},
  {"Neg", "f_neg", [](double x) { return -x; }, wrap_neg},
  {"Abs", "f_abs", [](double x) { return std::fabs(x); },
   [](int64_t x) { return x < 0 ? wrap_neg(x) : x; }},
  {"Square", "f_square", [](double x) { return x * x; },
   [](int64_t x) { return static_cast<int64_t>(uint64_t(x) * uint64_t(x)); }},
  {"Sign", "f_sign", [](double x) { return std::isnan(x) ? x : sign(x); }, sign<int64_t>},
  {"IsNan", "f_is_nan", [](double x) { return double(std::isnan(x)); }, nullptr, Out::Bool},
  {"IsInf", "f_is_inf", [](double x) { return double(std::isinf(x)); }, nullptr, Out::Bool},
  {"IsFinite", "f_is_finite", [](double x) { return double(std::isfinite(x)); }, nullptr, Out::Bool},
  {"LogicalNot", "f_logical_not", nullptr, nullptr, Out::Same, true},
};
// clang-format on

const std::initializer_list<DType> kIntTypes = {DType::Int32, DType::Int64, DType::Int8,
                                                DType::Int16};

class UnaryOp final : public Op {
 public:
  explicit UnaryOp(const UnaryDef& d) : d_(d) {}
  std::string_view name() const override { return d_.name; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    DType t = node.input_type(0).dtype;
    bool ok = (d_.f && (t == DType::Float || t == DType::Double)) || (d_.bools && t == DType::Bool);
    if (d_.i)
      for (DType it : kIntTypes) ok = ok || it == t;
    if (!ok) fail("{}: unsupported dtype {}", node.describe(), dtype_name(t));
    if (node.has_attr("T")) check_type_attr(node, "T", {0}, {t});
    node.outputs = {
        ir::TensorType{d_.out == Out::Bool ? DType::Bool : t, node.input_type(0).shape, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[0];
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    for (int64_t i = 0; i < x.num_elements(); ++i) {
      if (x.dtype() == DType::Bool) {
        out.set_double(i, x.get_int(i) ? 0 : 1);  // LogicalNot
      } else if (dtype_is_float(x.dtype())) {
        out.set_double(i, d_.f(x.get_double(i)));
      } else {
        int64_t r = d_.i(x.get_int(i));
        dispatch_dtype(out.dtype(), [&](auto tag) {
          using T = typename decltype(tag)::type;
          out.data<T>()[i] = static_cast<T>(r);
        });
      }
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    // float32 exp/tanh/sigmoid/log/log1p: branch-free, vectorizing versions (<= 2 ulp,
    // tfaot_kernels_vmath.h) instead of the scalar <cmath> call.
    static const std::map<std::string_view, const char*> vmath = {
        {"f_tanh", "tfaot_kernels::vm::tanh1"}, {"f_exp", "tfaot_kernels::vm::exp1"},
        {"f_sigmoid", "tfaot_kernels::vm::sigmoid1"}, {"f_log", "tfaot_kernels::vm::log1"},
        {"f_log1p", "tfaot_kernels::vm::log1p1"}};
    auto v = vmath.find(d_.functor);
    if (node.output_type(0).dtype == DType::Float && v != vmath.end()) {
      emit_unary_map(ctx, v->second, node.output_type(0).num_elements());
      return;
    }
    emit_unary_map(ctx, std::string("tfaot_kernels::") + d_.functor + "{}",
                   node.output_type(0).num_elements());
  }

  int inplace_input(const ir::Node& node) const override {
    return node.input_type(0).dtype == node.output_type(0).dtype ? 0 : -1;
  }

 private:
  const UnaryDef& d_;
};

}  // namespace

std::vector<const Op*> unary_math_ops() {
  static const std::vector<UnaryOp> ops = [] {
    std::vector<UnaryOp> v;
    for (const auto& d : kDefs) v.emplace_back(d);
    return v;
  }();
  std::vector<const Op*> out;
  for (const auto& op : ops) out.push_back(&op);
  return out;
}

}  // namespace tfaot::ops
