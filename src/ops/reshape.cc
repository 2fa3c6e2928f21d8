// Ops that only change the shape, not the data (Reshape, ExpandDims, Squeeze), and the ops
// reporting a static shape (Shape, Size, Rank). Data is row-major, so the "view" ops are a
// copy, skipped when the back end lets the output reuse the input buffer.
#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

// Base of the view ops: evaluate = reshape, emit = copy unless aliased.
class ViewOp : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    return {in[0]->reshaped(node.output_type(0).shape)};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    int64_t n = node.output_type(0).num_elements();
    if (n == 0) return;
    auto& os = ctx.code();
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), i = ctx.fresh("i");
    os << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y << " = "
       << ctx.output(0) << ";\n  if (static_cast<const void*>(" << x
       << ") != static_cast<const void*>(" << y << "))\n    for (std::int64_t " << i << " = 0; "
       << i << " < " << n << "; ++" << i << ") " << y << "[" << i << "] = " << x << "[" << i
       << "];\n}\n";
  }
  int inplace_input(const ir::Node&) const override { return 0; }
};

class ReshapeOp final : public ViewOp {
 public:
  std::string_view name() const override { return "Reshape"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_type_attr(node, "Tshape", {1}, kIndexTypes);
    const Tensor& st = require_const(node, 1, "shape");
    if (st.rank() > 1) fail("{}: shape operand must be a vector, got {}", node.describe(),
                            shape_str(st.shape()));
    Shape shape = st.to_int_vector();
    const auto& in = node.input_type(0);
    int64_t known = 1, unknown = -1;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] == -1) {
        if (unknown >= 0) fail("{}: shape {} has more than one -1", node.describe(),
                               shape_str(shape));
        unknown = static_cast<int64_t>(d);
      } else if (shape[d] < 0) {
        fail("{}: shape has negative dim {}", node.describe(), shape[d]);
      } else {
        known *= shape[d];
      }
    }
    int64_t count = in.num_elements();
    if (unknown >= 0) {
      if (known == 0 || count % known != 0)
        fail("{}: cannot reshape {} elements ({}) to {}", node.describe(), count,
             shape_str(in.shape), shape_str(shape));
      shape[unknown] = count / known;
    } else if (known != count) {
      fail("{}: cannot reshape {} ({} elements) to {} ({} elements)", node.describe(),
           shape_str(in.shape), count, shape_str(shape), known);
    }
    node.outputs = {ir::TensorType{in.dtype, shape, true}};
  }
};

class ExpandDimsOp final : public ViewOp {
 public:
  std::string_view name() const override { return "ExpandDims"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_type_attr(node, "Tdim", {1}, kIndexTypes);
    const Tensor& at = require_const(node, 1, "axis");
    if (at.num_elements() != 1)
      fail("{}: axis must hold one value, got {}", node.describe(), shape_str(at.shape()));
    Shape shape = node.input_type(0).shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    int64_t axis = normalize_axis(node, at.get_int(0), rank + 1);
    shape.insert(shape.begin() + axis, 1);
    node.outputs = {ir::TensorType{node.input_type(0).dtype, shape, true}};
  }
};

class SqueezeOp final : public ViewOp {
 public:
  std::string_view name() const override { return "Squeeze"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    const Shape& in = node.input_type(0).shape;
    int64_t rank = static_cast<int64_t>(in.size());
    std::vector<bool> drop(in.size(), false);
    auto dims = node.attr_ints("squeeze_dims", std::vector<int64_t>{});
    if (dims.empty()) {
      for (size_t d = 0; d < in.size(); ++d) drop[d] = in[d] == 1;
    } else {
      for (int64_t a : dims) {
        int64_t d = normalize_axis(node, a, rank);
        if (in[d] != 1)
          fail("{}: cannot squeeze dim {} of size {} (input {})", node.describe(), d, in[d],
               shape_str(in));
        drop[d] = true;
      }
    }
    Shape out;
    for (size_t d = 0; d < in.size(); ++d)
      if (!drop[d]) out.push_back(in[d]);
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true}};
  }
};

// Shape / Size / Rank: values known from the static input type.
class ShapeInfoOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  enum Kind { kShape, kSize, kRank };
  ShapeInfoOp(const char* name, Kind kind) : name_(name), kind_(kind) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    DType t = kind_ == kRank ? DType::Int32 : node.attr_type("out_type", DType::Int32);
    check_dtype(node, t, kIndexTypes, "attribute 'out_type'");
    Shape s;
    if (kind_ == kShape) s = {static_cast<int64_t>(node.input_type(0).shape.size())};
    node.outputs = {ir::TensorType{t, s, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const>) const override {
    auto v = values(node);
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    for (size_t i = 0; i < v.size(); ++i) out.set_double(static_cast<int64_t>(i), double(v[i]));
    if (ot.dtype == DType::Int64)
      for (size_t i = 0; i < v.size(); ++i) out.data<int64_t>()[i] = v[i];
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto v = values(node);
    std::string o = ctx.output(0);
    for (size_t i = 0; i < v.size(); ++i)
      ctx.code() << o << "[" << i << "] = " << cpp_literal(node.output_type(0).dtype, double(v[i]))
                 << ";\n";
  }

 private:
  std::vector<int64_t> values(const ir::Node& node) const {
    const Shape& s = node.input_type(0).shape;
    if (kind_ == kShape) return s;
    if (kind_ == kSize) return {num_elements(s)};
    return {static_cast<int64_t>(s.size())};
  }
  const char* name_;
  Kind kind_;
};

}  // namespace

std::vector<const Op*> reshape_ops() {
  static const ReshapeOp reshape;
  static const ExpandDimsOp expand_dims;
  static const SqueezeOp squeeze;
  static const ShapeInfoOp shape("Shape", ShapeInfoOp::kShape), size("Size", ShapeInfoOp::kSize),
      rank("Rank", ShapeInfoOp::kRank);
  return {&reshape, &expand_dims, &squeeze, &shape, &size, &rank};
}

}  // namespace tfaot::ops
