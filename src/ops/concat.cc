// Joining and splitting along one axis: ConcatV2 (values..., axis), Pack (stack along a new
// axis), Unpack (unstack), Split / SplitV. All are block copies: a tensor viewed as
// [outer, axis*inner] where outer = product of the dims before the axis.
#include <cstring>
#include <tuple>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

int64_t prod(const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t d = from; d < to && d < s.size(); ++d) p *= s[d];
  return p;
}

// Copies a [outer, inner] block of input `in` into output `out` at column `offset` of rows of
// `row` elements (and the reverse for unstacking, via the strides).
void copy_block(std::span<const Tensor* const> in, int i, Tensor& out, int64_t outer, int64_t inner,
                int64_t row, int64_t offset) {
  size_t es = dtype_size(out.dtype());
  for (int64_t o = 0; o < outer; ++o)
    std::memcpy(out.raw() + (o * row + offset) * es, in[i]->raw() + o * inner * es,
                static_cast<size_t>(inner) * es);
}

void emit_block(EmitContext& ctx, int input, int output, int64_t outer, int64_t inner,
                int64_t in_row, int64_t in_offset, int64_t out_row, int64_t out_offset) {
  if (outer == 0 || inner == 0) return;
  std::string x = ctx.fresh("x"), y = ctx.fresh("y");
  ctx.code() << "{\n  const auto* " << x << " = " << ctx.input(input) << ";\n  auto* " << y
             << " = " << ctx.output(output) << ";\n";
  emit_copy(ctx, x, y, {outer, inner}, in_offset, {in_row, 1}, out_offset, {out_row, 1});
  ctx.code() << "}\n";
}

class ConcatV2Op final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "ConcatV2"; }

  void infer(ir::Node& node) const override {
    check_min_inputs(node, 2);
    check_static_inputs(node);
    int n = static_cast<int>(node.inputs.size()) - 1;
    if (node.attr_int("N", n) != n)
      fail("{}: attribute N = {} but {} values given", node.describe(), node.attr_int("N"), n);
    check_type_attr(node, "Tidx", {n}, kIndexTypes);
    std::vector<int> values;
    for (int i = 0; i < n; ++i) values.push_back(i);
    DType t = node.input_type(0).dtype;
    for (int i : values)
      if (node.input_type(i).dtype != t)
        fail("{}: value {} is {} but value 0 is {}", node.describe(), i,
             dtype_name(node.input_type(i).dtype), dtype_name(t));
    check_dtype(node, t, kAllTypes, "values");
    const Tensor& at = require_const(node, n, "axis");
    if (at.num_elements() != 1) fail("{}: axis must be a scalar", node.describe());
    Shape out = node.input_type(0).shape;
    int64_t rank = static_cast<int64_t>(out.size());
    if (rank == 0) fail("{}: cannot concatenate scalars", node.describe());
    int64_t axis = normalize_axis(node, at.get_int(0), rank);
    out[axis] = 0;
    for (int i = 0; i < n; ++i) {
      const Shape& s = node.input_type(i).shape;
      bool ok = static_cast<int64_t>(s.size()) == rank;
      for (int64_t d = 0; ok && d < rank; ++d) ok = d == axis || s[d] == out[d];
      if (!ok)
        fail("{}: value {} has shape {}, incompatible with value 0 {} along axis {}",
             node.describe(), i, shape_str(s), shape_str(node.input_type(0).shape), axis);
      out[axis] += s[axis];
    }
    node.outputs = {ir::TensorType{t, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    int64_t axis = this->axis(node);
    int64_t outer = prod(ot.shape, 0, axis), row = prod(ot.shape, axis, ot.shape.size());
    int64_t offset = 0;
    for (int i = 0; i + 1 < static_cast<int>(in.size()); ++i) {
      int64_t inner = prod(in[i]->shape(), axis, in[i]->shape().size());
      copy_block(in, i, out, outer, inner, row, offset);
      offset += inner;
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const auto& ot = node.output_type(0);
    int64_t axis = this->axis(node);
    int64_t outer = prod(ot.shape, 0, axis), row = prod(ot.shape, axis, ot.shape.size());
    int64_t offset = 0;
    for (int i = 0; i + 1 < static_cast<int>(node.inputs.size()); ++i) {
      const Shape& s = node.input_type(i).shape;
      int64_t inner = prod(s, axis, s.size());
      emit_block(ctx, i, 0, outer, inner, inner, 0, row, offset);
      offset += inner;
    }
  }

 private:
  int64_t axis(const ir::Node& node) const {
    int n = static_cast<int>(node.inputs.size()) - 1;
    return normalize_axis(node, node.const_input(n)->get_int(0),
                          static_cast<int64_t>(node.output_type(0).shape.size()));
  }
};

class PackOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "Pack"; }

  void infer(ir::Node& node) const override {
    check_min_inputs(node, 1);
    check_static_inputs(node);
    int n = static_cast<int>(node.inputs.size());
    if (node.attr_int("N", n) != n)
      fail("{}: attribute N = {} but {} values given", node.describe(), node.attr_int("N"), n);
    const auto& t0 = node.input_type(0);
    check_dtype(node, t0.dtype, kAllTypes, "values");
    for (int i = 1; i < n; ++i)
      if (!(node.input_type(i) == t0))
        fail("{}: value {} is {} but value 0 is {}", node.describe(), i,
             node.input_type(i).str(), t0.str());
    Shape out = t0.shape;
    int64_t rank = static_cast<int64_t>(out.size());
    int64_t axis = normalize_axis(node, node.attr_int("axis", 0), rank + 1);
    out.insert(out.begin() + axis, n);
    node.outputs = {ir::TensorType{t0.dtype, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    auto [outer, inner] = split(node);
    int64_t n = static_cast<int64_t>(in.size());
    for (int i = 0; i < n; ++i) copy_block(in, i, out, outer, inner, n * inner, i * inner);
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto [outer, inner] = split(node);
    int64_t n = static_cast<int64_t>(node.inputs.size());
    for (int i = 0; i < n; ++i) emit_block(ctx, i, 0, outer, inner, inner, 0, n * inner, i * inner);
  }

 private:
  static std::pair<int64_t, int64_t> split(const ir::Node& node) {
    const Shape& s = node.input_type(0).shape;
    int64_t axis = normalize_axis(node, node.attr_int("axis", 0),
                                  static_cast<int64_t>(s.size()) + 1);
    return {prod(s, 0, axis), prod(s, axis, s.size())};
  }
};

class UnpackOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "Unpack"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    const auto& t = node.input_type(0);
    check_dtype(node, t.dtype, kAllTypes, "value");
    int64_t rank = static_cast<int64_t>(t.shape.size());
    if (rank == 0) fail("{}: cannot unpack a scalar", node.describe());
    int64_t axis = normalize_axis(node, node.attr_int("axis", 0), rank);
    int64_t num = node.attr_int("num", t.shape[axis]);
    if (num != t.shape[axis])
      fail("{}: num = {} but dim {} of {} is {}", node.describe(), num, axis, t.str(),
           t.shape[axis]);
    Shape out = t.shape;
    out.erase(out.begin() + axis);
    node.outputs.assign(static_cast<size_t>(num), ir::TensorType{t.dtype, out, true});
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto [outer, num, inner] = split(node);
    std::vector<Tensor> outs;
    size_t es = dtype_size(in[0]->dtype());
    for (int64_t i = 0; i < num; ++i) {
      Tensor o(in[0]->dtype(), node.output_type(static_cast<int>(i)).shape);
      for (int64_t r = 0; r < outer; ++r)
        std::memcpy(o.raw() + r * inner * es, in[0]->raw() + (r * num + i) * inner * es,
                    static_cast<size_t>(inner) * es);
      outs.push_back(std::move(o));
    }
    return outs;
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto [outer, num, inner] = split(node);
    for (int64_t i = 0; i < num; ++i)
      emit_block(ctx, 0, static_cast<int>(i), outer, inner, num * inner, i * inner, inner, 0);
  }

 private:
  static std::tuple<int64_t, int64_t, int64_t> split(const ir::Node& node) {
    const Shape& s = node.input_type(0).shape;
    int64_t axis = normalize_axis(node, node.attr_int("axis", 0), static_cast<int64_t>(s.size()));
    return {prod(s, 0, axis), s[axis], prod(s, axis + 1, s.size())};
  }
};

// Split(split_dim, value) into num_split equal parts; SplitV(value, size_splits, split_dim)
// into given sizes (one may be -1: the rest).
class SplitOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  explicit SplitOp(bool v) : v_(v) {}
  std::string_view name() const override { return v_ ? "SplitV" : "Split"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, v_ ? 3 : 2);
    check_static_inputs(node);
    const auto& t = node.input_type(value_input());
    check_dtype(node, t.dtype, kAllTypes, "value");
    int64_t axis = this->axis(node);
    node.outputs.clear();
    for (int64_t size : sizes(node, axis)) {
      Shape s = t.shape;
      s[axis] = size;
      node.outputs.push_back(ir::TensorType{t.dtype, s, true});
    }
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[value_input()];
    int64_t axis = this->axis(node);
    int64_t outer = prod(x.shape(), 0, axis), row = prod(x.shape(), axis, x.shape().size());
    int64_t inner = prod(x.shape(), axis + 1, x.shape().size());
    size_t es = dtype_size(x.dtype());
    std::vector<Tensor> outs;
    int64_t offset = 0;
    for (int64_t size : sizes(node, axis)) {
      Shape s = x.shape();
      s[axis] = size;
      Tensor o(x.dtype(), s);
      for (int64_t r = 0; r < outer; ++r)
        std::memcpy(o.raw() + r * size * inner * es, x.raw() + (r * row + offset) * es,
                    static_cast<size_t>(size * inner) * es);
      offset += size * inner;
      outs.push_back(std::move(o));
    }
    return outs;
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const Shape& s = node.input_type(value_input()).shape;
    int64_t axis = this->axis(node);
    int64_t outer = prod(s, 0, axis), row = prod(s, axis, s.size());
    int64_t inner = prod(s, axis + 1, s.size());
    int64_t offset = 0;
    int i = 0;
    for (int64_t size : sizes(node, axis)) {
      emit_block(ctx, value_input(), i++, outer, size * inner, row, offset, size * inner, 0);
      offset += size * inner;
    }
  }

 private:
  int value_input() const { return v_ ? 0 : 1; }
  int64_t axis(const ir::Node& node) const {
    const Tensor& a = require_const(node, v_ ? 2 : 0, "split_dim");
    if (a.num_elements() != 1) fail("{}: split_dim must be a scalar", node.describe());
    return normalize_axis(node, a.get_int(0),
                          static_cast<int64_t>(node.input_type(value_input()).shape.size()));
  }
  std::vector<int64_t> sizes(const ir::Node& node, int64_t axis) const {
    int64_t dim = node.input_type(value_input()).shape[axis];
    int64_t n = node.attr_int("num_split");
    if (n <= 0) fail("{}: num_split must be positive, got {}", node.describe(), n);
    if (!v_) {
      if (dim % n != 0)
        fail("{}: dim {} of size {} is not divisible by num_split {}", node.describe(), axis, dim,
             n);
      return std::vector<int64_t>(static_cast<size_t>(n), dim / n);
    }
    auto v = require_const(node, 1, "size_splits").to_int_vector();
    if (static_cast<int64_t>(v.size()) != n)
      fail("{}: size_splits has {} entries, num_split is {}", node.describe(), v.size(), n);
    int64_t known = 0, unknown = -1;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == -1 && unknown < 0) unknown = static_cast<int64_t>(i);
      else if (v[i] < 0) fail("{}: invalid size_splits entry {}", node.describe(), v[i]);
      else known += v[i];
    }
    if (unknown >= 0 && known <= dim) v[unknown] = dim - known;
    else if (unknown >= 0 || known != dim)
      fail("{}: size_splits sum to {}, dim {} has size {}", node.describe(), known, axis, dim);
    return v;
  }
  bool v_;
};

}  // namespace

std::vector<const Op*> concat_ops() {
  static const ConcatV2Op concat;
  static const PackOp pack;
  static const UnpackOp unpack;
  static const SplitOp split(false), split_v(true);
  return {&concat, &pack, &unpack, &split, &split_v};
}

}  // namespace tfaot::ops
