// Cast: converts every element to DstT. Numeric -> numeric follows C++ conversion, except
// float -> integer: truncation toward zero, NaN -> 0 and saturation at the target's range
// (C++ leaves those undefined; TF's result is platform-dependent there). x -> bool is x != 0.
// The Truncate attr only matters for half/bfloat16 targets, which tfaot does not support.
#include <cmath>
#include <limits>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

template <class To>
To convert_double(double v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != 0;
  } else if constexpr (std::is_integral_v<To>) {
    if (std::isnan(v)) return To(0);
    if (v <= static_cast<double>(std::numeric_limits<To>::min()))
      return std::numeric_limits<To>::min();
    if (v >= std::ldexp(1.0, std::numeric_limits<To>::digits)) return std::numeric_limits<To>::max();
    return static_cast<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

class CastOp final : public Op {
 public:
  std::string_view name() const override { return "Cast"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    check_type_attr(node, "SrcT", {0}, kAllTypes);
    DType dst = node.attr_type("DstT");
    check_dtype(node, dst, kAllTypes, "attribute 'DstT'");
    node.outputs = {ir::TensorType{dst, node.input_type(0).shape, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[0];
    Tensor out(node.output_type(0).dtype, x.shape());
    dispatch_dtype(out.dtype(), [&](auto tag) {
      using To = typename decltype(tag)::type;
      To* o = out.data<To>();
      for (int64_t i = 0; i < x.num_elements(); ++i) {
        if (dtype_is_float(x.dtype())) {
          o[i] = convert_double<To>(x.get_double(i));
        } else if (x.dtype() == DType::UInt64) {
          o[i] = static_cast<To>(x.data<uint64_t>()[i]);
        } else {
          // Integers and bool: exact in int64; integer targets wrap (C++20 conversion).
          int64_t v = x.get_int(i);
          if constexpr (std::is_same_v<To, bool>) o[i] = v != 0;
          else o[i] = static_cast<To>(v);
        }
      }
    });
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    std::string fn = "tfaot_kernels::cast<" + dtype_cpp(node.output_type(0).dtype) + ", " +
                     dtype_cpp(node.input_type(0).dtype) + ">";
    emit_unary_map(ctx, fn, node.output_type(0).num_elements());
  }

  int inplace_input(const ir::Node& node) const override {
    return node.input_type(0).dtype == node.output_type(0).dtype ? 0 : -1;
  }
};

}  // namespace

std::vector<const Op*> cast_ops() {
  static const CastOp op;
  return {&op};
}

}  // namespace tfaot::ops
