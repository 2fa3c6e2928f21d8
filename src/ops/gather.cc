// Data-dependent selection: GatherV2 / Gather (rows picked by run-time indices), OneHot and
// SelectV2 / Select (elementwise choice by a bool condition, with broadcasting).
// Out-of-range indices give zeros (Gather) or off values (OneHot) instead of TF's run-time
// error, in the reference and in generated code alike.
#include <cstring>
#include <tuple>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

class GatherOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  explicit GatherOp(bool v2) : v2_(v2) {}
  std::string_view name() const override { return v2_ ? "GatherV2" : "Gather"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, v2_ ? 3 : 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "params");
    check_dtype(node, node.input_type(1).dtype, kIndexTypes, "indices");
    if (node.attr_int("batch_dims", 0) != 0)
      fail("{}: batch_dims != 0 is not supported", node.describe());
    int64_t a = axis(node);
    const Shape& p = node.input_type(0).shape;
    const Shape& idx = node.input_type(1).shape;
    Shape out(p.begin(), p.begin() + a);
    out.insert(out.end(), idx.begin(), idx.end());
    out.insert(out.end(), p.begin() + a + 1, p.end());
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto [outer, dim, inner] = split(node);
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    int64_t n = in[1]->num_elements();
    size_t es = dtype_size(ot.dtype);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < n; ++k) {
        int64_t idx = in[1]->get_int(k);
        if (idx < 0 || idx >= dim) continue;  // stays zero
        std::memcpy(out.raw() + (o * n + k) * inner * es, in[0]->raw() + (o * dim + idx) * inner * es,
                    static_cast<size_t>(inner) * es);
      }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto [outer, dim, inner] = split(node);
    int64_t n = node.input_type(1).num_elements();
    if (outer * n * inner == 0) return;
    ctx.code() << "tfaot_kernels::gather<" << outer << ", " << n << ", " << dim << ", " << inner
               << ">(" << ctx.input(0) << ", " << ctx.input(1) << ", " << ctx.output(0) << ");\n";
  }

 private:
  int64_t axis(const ir::Node& node) const {
    int64_t rank = static_cast<int64_t>(node.input_type(0).shape.size());
    if (!v2_) {
      if (rank == 0) fail("{}: params must have rank >= 1", node.describe());
      return 0;
    }
    const Tensor& a = require_const(node, 2, "axis");
    if (a.num_elements() != 1) fail("{}: axis must be a scalar", node.describe());
    return normalize_axis(node, a.get_int(0), rank);
  }
  std::tuple<int64_t, int64_t, int64_t> split(const ir::Node& node) const {
    const Shape& p = node.input_type(0).shape;
    int64_t a = axis(node), outer = 1, inner = 1;
    for (int64_t d = 0; d < a; ++d) outer *= p[d];
    for (size_t d = a + 1; d < p.size(); ++d) inner *= p[d];
    return {outer, p[a], inner};
  }
  bool v2_;
};

class OneHotOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "OneHot"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 4);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype,
                {DType::Int32, DType::Int64, DType::UInt8, DType::Int8}, "indices");
    DType t = node.input_type(2).dtype;
    check_dtype(node, t, kAllTypes, "on_value");
    if (node.input_type(3).dtype != t || !node.input_type(2).shape.empty() ||
        !node.input_type(3).shape.empty())
      fail("{}: on_value and off_value must be scalars of one type, got {} and {}",
           node.describe(), node.input_type(2).str(), node.input_type(3).str());
    auto [outer, depth, inner] = split(node);
    (void)outer;
    (void)inner;
    Shape out = node.input_type(0).shape;
    out.insert(out.begin() + axis(node), depth);
    node.outputs = {ir::TensorType{t, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto [outer, depth, inner] = split(node);
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    size_t es = dtype_size(ot.dtype);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t d = 0; d < depth; ++d)
        for (int64_t i = 0; i < inner; ++i) {
          bool on = in[0]->get_int(o * inner + i) == d;
          std::memcpy(out.raw() + ((o * depth + d) * inner + i) * es, in[on ? 2 : 3]->raw(), es);
        }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto [outer, depth, inner] = split(node);
    if (outer * depth * inner == 0) return;
    ctx.code() << "tfaot_kernels::one_hot<" << outer << ", " << depth << ", " << inner << ">("
               << ctx.input(0) << ", " << ctx.input(2) << ", " << ctx.input(3) << ", "
               << ctx.output(0) << ");\n";
  }

 private:
  static int64_t axis(const ir::Node& node) {
    int64_t rank = static_cast<int64_t>(node.input_type(0).shape.size());
    int64_t a = node.attr_int("axis", -1);
    if (a == -1) return rank;
    if (a < 0 || a > rank)
      fail("{}: axis {} is out of range for indices of rank {}", node.describe(), a, rank);
    return a;
  }
  static std::tuple<int64_t, int64_t, int64_t> split(const ir::Node& node) {
    const Tensor& d = require_const(node, 1, "depth");
    if (d.num_elements() != 1 || d.get_int(0) < 0)
      fail("{}: depth must be a non-negative scalar", node.describe());
    const Shape& s = node.input_type(0).shape;
    int64_t a = axis(node), outer = 1, inner = 1;
    for (int64_t k = 0; k < a; ++k) outer *= s[k];
    for (size_t k = a; k < s.size(); ++k) inner *= s[k];
    return {outer, d.get_int(0), inner};
  }
};

// SelectV2: numpy broadcasting of all three. Select (v1): condition has the shape of t/e, or
// is a vector selecting whole rows along the first dim.
class SelectOp final : public Op {
 public:
  explicit SelectOp(bool v2) : v2_(v2) {}
  std::string_view name() const override { return v2_ ? "SelectV2" : "Select"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, {DType::Bool}, "condition");
    DType t = node.input_type(1).dtype;
    check_dtype(node, t, kAllTypes, "t");
    if (node.input_type(2).dtype != t)
      fail("{}: t is {} but e is {}", node.describe(), dtype_name(t),
           dtype_name(node.input_type(2).dtype));
    const Shape& c = node.input_type(0).shape;
    const Shape& a = node.input_type(1).shape;
    const Shape& b = node.input_type(2).shape;
    Shape out;
    if (v2_) {
      out = broadcast_shapes(node, broadcast_shapes(node, c, a), b);
    } else {
      if (a != b) fail("{}: t {} and e {} differ", node.describe(), shape_str(a), shape_str(b));
      bool rows = c.size() == 1 && !a.empty() && c[0] == a[0];
      if (c != a && !rows && !c.empty())
        fail("{}: condition {} does not match t {}", node.describe(), shape_str(c), shape_str(a));
      out = a;
    }
    node.outputs = {ir::TensorType{t, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    auto s = strides(node);
    size_t es = dtype_size(ot.dtype);
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      auto idx = unravel(i, ot.shape);
      int64_t k[3] = {0, 0, 0};
      for (int op = 0; op < 3; ++op)
        for (size_t d = 0; d < idx.size(); ++d) k[op] += idx[d] * s[op][d];
      bool c = in[0]->data<bool>()[k[0]];
      std::memcpy(out.raw() + i * es, in[c ? 1 : 2]->raw() + k[c ? 1 : 2] * es, es);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const auto& ot = node.output_type(0);
    auto s = strides(node);
    std::string c = ctx.fresh("c"), a = ctx.fresh("t"), b = ctx.fresh("e"), y = ctx.fresh("y");
    auto& os = ctx.code();
    os << "{\n  const bool* " << c << " = " << ctx.input(0) << ";\n  const auto* " << a << " = "
       << ctx.input(1) << ";\n  const auto* " << b << " = " << ctx.input(2) << ";\n  auto* " << y
       << " = " << ctx.output(0) << ";\n";
    LoopNest nest = simplify({ot.shape, {0, 0, 0, 0}, {row_major_strides(ot.shape), s[0], s[1], s[2]}});
    emit_loops(ctx, nest, [&](const std::vector<std::string>& i) {
      os << y << "[" << i[0] << "] = " << c << "[" << i[1] << "] ? " << a << "[" << i[2] << "] : "
         << b << "[" << i[3] << "];";
    });
    os << "}\n";
  }

 private:
  std::vector<std::vector<int64_t>> strides(const ir::Node& node) const {
    const Shape& out = node.output_type(0).shape;
    const Shape& c = node.input_type(0).shape;
    std::vector<int64_t> cs;
    if (!v2_ && c.size() == 1 && out.size() > 1) {
      cs.assign(out.size(), 0);  // one condition per row
      cs[0] = 1;
    } else {
      cs = broadcast_strides(c, out);
    }
    return {cs, broadcast_strides(node.input_type(1).shape, out),
            broadcast_strides(node.input_type(2).shape, out)};
  }
  bool v2_;
};

}  // namespace

std::vector<const Op*> gather_ops() {
  static const GatherOp gather(false), gather_v2(true);
  static const OneHotOp one_hot;
  static const SelectOp select(false), select_v2(true);
  return {&gather, &gather_v2, &one_hot, &select, &select_v2};
}

}  // namespace tfaot::ops
