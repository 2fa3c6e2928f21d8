// Binary elementwise ops with numpy broadcasting: arithmetic (AddV2, Sub, Mul, RealDiv, ...),
// comparisons (Greater, Equal, ... -> bool) and logical ops. One table row per op.
//
// Reference semantics: floats are computed in double and rounded to the element type (exact
// for + - * / since double holds every float product/quotient rounding correctly); integers in
// int64 with wrap-around, then converted to the element type (two's-complement wrap, as TF
// behaves on CPU). Integer division by zero yields 0 (TF raises an error at run time, which
// compiled code cannot); INT_MIN / -1 wraps.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

enum class Kind { Arith, Compare, Logical };

using FloatFn = double (*)(double, double);
using IntFn = int64_t (*)(int64_t, int64_t);

int64_t wrap_add(int64_t a, int64_t b) { return static_cast<int64_t>(uint64_t(a) + uint64_t(b)); }
int64_t wrap_sub(int64_t a, int64_t b) { return static_cast<int64_t>(uint64_t(a) - uint64_t(b)); }
int64_t wrap_mul(int64_t a, int64_t b) { return static_cast<int64_t>(uint64_t(a) * uint64_t(b)); }
int64_t trunc_div(int64_t a, int64_t b) {
  if (b == 0) return 0;
  if (b == -1) return wrap_sub(0, a);
  return a / b;
}
int64_t floor_div(int64_t a, int64_t b) {
  if (b == 0) return 0;
  if (b == -1) return wrap_sub(0, a);
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
int64_t trunc_mod(int64_t a, int64_t b) { return (b == 0 || b == -1) ? 0 : a % b; }
int64_t floor_mod(int64_t a, int64_t b) {
  if (b == 0 || b == -1) return 0;
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
int64_t int_pow(int64_t a, int64_t b) {
  if (b < 0) return 0;
  int64_t r = 1;
  for (; b > 0; b /= 2, a = wrap_mul(a, a))
    if (b & 1) r = wrap_mul(r, a);
  return r;
}
double nan_max(double a, double b) {
  return (std::isnan(a) || std::isnan(b)) ? std::numeric_limits<double>::quiet_NaN()
                                          : std::max(a, b);
}
double nan_min(double a, double b) {
  return (std::isnan(a) || std::isnan(b)) ? std::numeric_limits<double>::quiet_NaN()
                                          : std::min(a, b);
}
double float_mod(double a, double b) {
  double r = std::fmod(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

struct BinaryDef {
  const char* name;
  const char* functor;  // kernel functor in tfaot_kernels_elementwise.h
  Kind kind;
  bool ints;    // integer element types allowed
  bool floats;  // float/double allowed
  bool bools;   // bool allowed
  FloatFn f;
  IntFn i;
};

// clang-format off
const BinaryDef kDefs[] = {
  {"Add",  "f_add", Kind::Arith, true, true, false, [](double a, double b) { return a + b; }, wrap_add},
  {"AddV2", "f_add", Kind::Arith, true, true, false, [](double a, double b) { return a + b; }, wrap_add},
  {"Sub",  "f_sub", Kind::Arith, true, true, false, [](double a, double b) { return a - b; }, wrap_sub},
  {"Mul",  "f_mul", Kind::Arith, true, true, false, [](double a, double b) { return a * b; }, wrap_mul},
  {"RealDiv", "f_div", Kind::Arith, true, true, false, [](double a, double b) { return a / b; }, trunc_div},
  {"Div",  "f_div", Kind::Arith, true, true, false, [](double a, double b) { return a / b; }, trunc_div},
  {"TruncateDiv", "f_div", Kind::Arith, true, false, false, nullptr, trunc_div},
  {"FloorDiv", "f_floordiv", Kind::Arith, true, true, false,
   [](double a, double b) { return std::floor(a / b); }, floor_div},
  {"DivNoNan", "f_div_no_nan", Kind::Arith, false, true, false,
   [](double a, double b) { return b == 0 ? 0.0 : a / b; }, nullptr},
  {"TruncateMod", "f_truncmod", Kind::Arith, true, true, false,
   [](double a, double b) { return std::fmod(a, b); }, trunc_mod},
  {"Mod", "f_truncmod", Kind::Arith, true, true, false,
   [](double a, double b) { return std::fmod(a, b); }, trunc_mod},
  {"Atan2", "f_atan2", Kind::Arith, false, true, false,
   [](double a, double b) { return std::atan2(a, b); }, nullptr},
  {"FloorMod", "f_floormod", Kind::Arith, true, true, false, float_mod, floor_mod},
  {"Maximum", "f_max", Kind::Arith, true, true, false, nan_max,
   [](int64_t a, int64_t b) { return std::max(a, b); }},
  {"Minimum", "f_min", Kind::Arith, true, true, false, nan_min,
   [](int64_t a, int64_t b) { return std::min(a, b); }},
  {"SquaredDifference", "f_squared_difference", Kind::Arith, true, true, false,
   [](double a, double b) { return (a - b) * (a - b); },
   [](int64_t a, int64_t b) { return wrap_mul(wrap_sub(a, b), wrap_sub(a, b)); }},
  {"Pow", "f_pow", Kind::Arith, true, true, false, [](double a, double b) { return std::pow(a, b); },
   int_pow},
  {"Greater", "f_greater", Kind::Compare, true, true, false,
   [](double a, double b) { return double(a > b); }, [](int64_t a, int64_t b) { return int64_t(a > b); }},
  {"GreaterEqual", "f_greater_equal", Kind::Compare, true, true, false,
   [](double a, double b) { return double(a >= b); }, [](int64_t a, int64_t b) { return int64_t(a >= b); }},
  {"Less", "f_less", Kind::Compare, true, true, false,
   [](double a, double b) { return double(a < b); }, [](int64_t a, int64_t b) { return int64_t(a < b); }},
  {"LessEqual", "f_less_equal", Kind::Compare, true, true, false,
   [](double a, double b) { return double(a <= b); }, [](int64_t a, int64_t b) { return int64_t(a <= b); }},
  {"Equal", "f_equal", Kind::Compare, true, true, true,
   [](double a, double b) { return double(a == b); }, [](int64_t a, int64_t b) { return int64_t(a == b); }},
  {"NotEqual", "f_not_equal", Kind::Compare, true, true, true,
   [](double a, double b) { return double(a != b); }, [](int64_t a, int64_t b) { return int64_t(a != b); }},
  {"LogicalAnd", "f_logical_and", Kind::Logical, false, false, true, nullptr,
   [](int64_t a, int64_t b) { return int64_t(a && b); }},
  {"LogicalOr", "f_logical_or", Kind::Logical, false, false, true, nullptr,
   [](int64_t a, int64_t b) { return int64_t(a || b); }},
};
// clang-format on

// uint64 is left out: the int64 reference domain cannot order values above INT64_MAX.
const std::initializer_list<DType> kIntTypes = {DType::Int32, DType::Int64, DType::Int8,
                                                DType::Int16, DType::UInt8, DType::UInt16,
                                                DType::UInt32};

class BinaryOp final : public Op {
 public:
  explicit BinaryOp(const BinaryDef& d) : d_(d) {}
  std::string_view name() const override { return d_.name; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    DType t = node.input_type(0).dtype;
    bool ok = (d_.floats && dtype_is_float(t) && t != DType::Half && t != DType::BFloat16) ||
              (d_.bools && t == DType::Bool);
    if (d_.ints)
      for (DType it : kIntTypes) ok = ok || it == t;
    ok = ok || (t == DType::String && is_equality());  // bytewise string (in)equality
    if (!ok) fail("{}: unsupported dtype {}", node.describe(), dtype_name(t));
    check_type_attr(node, "T", {0, 1}, {t});
    const Shape& a = node.input_type(0).shape;
    const Shape& b = node.input_type(1).shape;
    DType out_t = d_.kind == Kind::Arith ? t : DType::Bool;
    if (incompatible_scalar(node)) {
      node.outputs = {ir::TensorType{out_t, {}, true}};
      return;
    }
    node.outputs = {ir::TensorType{out_t, broadcast_shapes(node, a, b), true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& a = *in[0];
    const Tensor& b = *in[1];
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    if (incompatible_scalar(node)) {
      // Equal/NotEqual with incompatible_shape_error=false on incompatible shapes.
      out.set_double(0, std::string_view(d_.name) == "NotEqual" ? 1 : 0);
      return {out};
    }
    auto sa = broadcast_strides(a.shape(), ot.shape);
    auto sb = broadcast_strides(b.shape(), ot.shape);
    bool is_float = dtype_is_float(a.dtype());
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      auto idx = unravel(i, ot.shape);
      int64_t ia = 0, ib = 0;
      for (size_t d = 0; d < idx.size(); ++d) {
        ia += idx[d] * sa[d];
        ib += idx[d] * sb[d];
      }
      if (a.dtype() == DType::String) {
        bool equal = a.strings()[ia] == b.strings()[ib];
        out.data<bool>()[i] = std::string_view(d_.name) == "NotEqual" ? !equal : equal;
      } else if (is_float) {
        out.set_double(i, d_.f(a.get_double(ia), b.get_double(ib)));
      } else {
        int64_t r = d_.i(a.get_int(ia), b.get_int(ib));
        set_int_wrapped(out, i, r);
      }
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    if (incompatible_scalar(node)) {
      ctx.code() << ctx.output(0) << "[0] = "
                 << (std::string_view(d_.name) == "NotEqual" ? "true" : "false") << ";\n";
      return;
    }
    emit_broadcast_binary(ctx, std::string("tfaot_kernels::") + d_.functor + "{}",
                          node.input_type(0).shape, node.input_type(1).shape,
                          node.output_type(0).shape);
  }

  int inplace_input(const ir::Node& node) const override {
    // Same index in input and output when shapes match, so overwriting is safe.
    const auto& o = node.output_type(0);
    for (int i = 0; i < 2; ++i) {
      const auto& t = node.input_type(i);
      if (t.dtype == o.dtype && t.shape == o.shape) return i;
    }
    return -1;
  }

 private:
  bool is_equality() const {
    return std::string_view(d_.name) == "Equal" || std::string_view(d_.name) == "NotEqual";
  }
  bool incompatible_scalar(const ir::Node& node) const {
    if (d_.kind != Kind::Compare || node.attr_bool("incompatible_shape_error", true)) return false;
    try {
      broadcast_shapes(node, node.input_type(0).shape, node.input_type(1).shape);
      return false;
    } catch (const Error&) {
      return true;
    }
  }

  // Stores an int64 result into an integer or bool element with two's-complement wrap.
  static void set_int_wrapped(Tensor& out, int64_t i, int64_t v) {
    dispatch_dtype(out.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (std::is_same_v<T, bool>) out.data<T>()[i] = v != 0;
      else out.data<T>()[i] = static_cast<T>(v);
    });
  }

  const BinaryDef& d_;
};

}  // namespace

std::vector<const Op*> binary_elementwise_ops() {
  static const std::vector<BinaryOp> ops = [] {
    std::vector<BinaryOp> v;
    for (const auto& d : kDefs) v.emplace_back(d);
    return v;
  }();
  std::vector<const Op*> out;
  for (const auto& op : ops) out.push_back(&op);
  return out;
}

}  // namespace tfaot::ops
