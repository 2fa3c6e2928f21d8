// StridedSlice (input, begin, end, strides) and Slice (input, begin, size): exactly
// TensorFlow's ValidateStridedSliceOp semantics (tensorflow/core/util/strided_slice_op.cc):
// the sparse spec (one entry per begin element, with ellipsis/new-axis/shrink masks) is
// expanded to a dense spec over the input dims, begin/end are made canonical (negative counts
// from the end, clamped; masked ones take the full range in the stride's direction), and the
// output is the processing shape with new axes inserted and shrunk axes removed.
#include <algorithm>
#include <cstring>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

// Per input dim: first index, step and count of the selected elements.
struct SliceDim {
  int64_t begin = 0, stride = 1, size = 0;
};

struct SlicePlan {
  std::vector<SliceDim> dims;  // one per input dim
  Shape out_shape;
};

SlicePlan plan_strided_slice(const ir::Node& node, const Shape& in) {
  std::vector<int64_t> sb = require_const(node, 1, "begin").to_int_vector();
  std::vector<int64_t> se = require_const(node, 2, "end").to_int_vector();
  std::vector<int64_t> ss = require_const(node, 3, "strides").to_int_vector();
  if (node.const_input(1)->rank() != 1 || se.size() != sb.size() || ss.size() != sb.size())
    fail("{}: begin, end and strides must be vectors of equal length, got {}, {}, {}",
         node.describe(), shape_str(node.const_input(1)->shape()),
         shape_str(node.const_input(2)->shape()), shape_str(node.const_input(3)->shape()));
  int64_t begin_mask = node.attr_int("begin_mask", 0), end_mask = node.attr_int("end_mask", 0);
  int64_t ellipsis_mask = node.attr_int("ellipsis_mask", 0);
  int64_t new_axis_mask = node.attr_int("new_axis_mask", 0);
  int64_t shrink_mask = node.attr_int("shrink_axis_mask", 0);
  if (ellipsis_mask & (ellipsis_mask - 1))
    fail("{}: multiple ellipses in slice spec not allowed", node.describe());
  int64_t sparse_dims = static_cast<int64_t>(sb.size());
  if (sparse_dims > 32) fail("{}: slice spec has more than 32 entries", node.describe());
  // Without an ellipsis, one is implied after the last entry.
  if (!ellipsis_mask) {
    ellipsis_mask = int64_t(1) << sparse_dims;
    ++sparse_dims;
  }
  auto bit = [](int64_t mask, int64_t i) { return (mask >> i) & 1; };
  int64_t rank = static_cast<int64_t>(in.size());
  constexpr int64_t kNewAxis = -1, kShrink = -2;
  struct Dense {
    int64_t begin = 0, end = 0, stride = 1;
    bool begin_masked = false, end_masked = false, shrink = false;
  };
  std::vector<Dense> dense(static_cast<size_t>(rank));
  std::vector<int64_t> gather;  // per output dim: dense dim, kNewAxis; kShrink is dropped
  int64_t full = 0;
  for (int64_t i = 0; i < sparse_dims; ++i) {
    if (bit(ellipsis_mask, i)) {
      int64_t new_after = 0;
      for (int64_t j = i + 1; j < sparse_dims; ++j) new_after += bit(new_axis_mask, j);
      int64_t next = std::min(rank - (sparse_dims - i) + 1 + new_after, rank);
      for (; full < next; ++full) {
        dense[full] = {0, 0, 1, true, true, false};
        gather.push_back(full);
      }
    } else if (bit(new_axis_mask, i)) {
      gather.push_back(kNewAxis);
    } else {
      if (full >= rank)
        fail("{}: index {} of the slice spec is out of range for input of rank {}",
             node.describe(), i, rank);
      Dense& d = dense[full];
      d.begin = sb[i];
      d.end = se[i];
      d.stride = ss[i];
      d.begin_masked = bit(begin_mask, i);
      d.end_masked = bit(end_mask, i);
      d.shrink = bit(shrink_mask, i);
      gather.push_back(d.shrink ? kShrink : full);
      ++full;
    }
  }
  SlicePlan plan;
  for (int64_t i = 0; i < rank; ++i) {
    Dense& d = dense[i];
    int64_t dim = in[i];
    if (d.stride == 0) fail("{}: stride of dim {} is 0", node.describe(), i);
    int64_t b, e;
    if (d.shrink) {
      b = d.begin < 0 ? dim + d.begin : d.begin;
      e = b + 1;
      if (b < 0 || b >= dim)
        fail("{}: slice index {} of dim {} is out of bounds (size {})", node.describe(), d.begin,
             i, dim);
      if (d.stride <= 0)
        fail("{}: only stride 1 allowed on non-range indexing (dim {})", node.describe(), i);
    } else {
      // Valid range: [0, dim] going forward, [-1, dim-1] going backward.
      int64_t lo = d.stride > 0 ? 0 : -1, hi = d.stride > 0 ? dim : dim - 1;
      auto canonical = [&](int64_t x, bool masked, bool is_end) {
        if (masked) return (d.stride > 0) == is_end ? hi : lo;
        int64_t f = x < 0 ? dim + x : x;
        return f < lo ? lo : std::min(f, hi);
      };
      b = canonical(d.begin, d.begin_masked, false);
      e = canonical(d.end, d.end_masked, true);
    }
    int64_t len = e - b, size;
    if (len == 0 || ((len < 0) != (d.stride < 0))) size = 0;
    else size = len / d.stride + (len % d.stride != 0 ? 1 : 0);
    plan.dims.push_back({b, d.stride, size});
  }
  for (int64_t g : gather) {
    if (g >= 0) plan.out_shape.push_back(plan.dims[g].size);
    else if (g == kNewAxis) plan.out_shape.push_back(1);
  }
  return plan;
}

// Slice: begin and size (-1 = to the end), no masks.
SlicePlan plan_slice(const ir::Node& node, const Shape& in) {
  std::vector<int64_t> b = require_const(node, 1, "begin").to_int_vector();
  std::vector<int64_t> s = require_const(node, 2, "size").to_int_vector();
  if (b.size() != in.size() || s.size() != in.size())
    fail("{}: begin and size must have {} entries (input {}), got {} and {}", node.describe(),
         in.size(), shape_str(in), b.size(), s.size());
  SlicePlan plan;
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t size = s[i] == -1 ? in[i] - b[i] : s[i];
    if (b[i] < 0 || size < 0 || b[i] + size > in[i])
      fail("{}: slice [{}, +{}) is out of bounds of dim {} (size {})", node.describe(), b[i],
           s[i], i, in[i]);
    plan.dims.push_back({b[i], 1, size});
    plan.out_shape.push_back(size);
  }
  return plan;
}

class SliceOpBase : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  virtual SlicePlan plan(const ir::Node& node, const Shape& in) const = 0;
  virtual int num_inputs() const = 0;

  void infer(ir::Node& node) const override {
    check_num_inputs(node, num_inputs());
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "input");
    for (int i = 1; i < num_inputs(); ++i)
      check_dtype(node, node.input_type(i).dtype, kIndexTypes, "index operand");
    auto p = plan(node, node.input_type(0).shape);
    node.outputs = {ir::TensorType{node.input_type(0).dtype, p.out_shape, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[0];
    auto p = plan(node, x.shape());
    Tensor out(x.dtype(), node.output_type(0).shape);
    Shape sizes;
    for (const auto& d : p.dims) sizes.push_back(d.size);
    auto in_strides = row_major_strides(x.shape());
    size_t es = dtype_size(x.dtype());
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      auto idx = unravel(i, sizes);
      int64_t src = 0;
      for (size_t d = 0; d < idx.size(); ++d)
        src += (p.dims[d].begin + idx[d] * p.dims[d].stride) * in_strides[d];
      std::memcpy(out.raw() + i * es, x.raw() + src * es, es);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const Shape& in = node.input_type(0).shape;
    auto p = plan(node, in);
    auto in_strides = row_major_strides(in);
    Shape sizes;
    std::vector<int64_t> steps;
    int64_t base = 0;
    for (size_t d = 0; d < p.dims.size(); ++d) {
      sizes.push_back(p.dims[d].size);
      steps.push_back(p.dims[d].stride * in_strides[d]);
      base += p.dims[d].begin * in_strides[d];
    }
    if (num_elements(sizes) == 0) return;
    std::string x = ctx.fresh("x"), y = ctx.fresh("y");
    ctx.code() << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y
               << " = " << ctx.output(0) << ";\n";
    emit_copy(ctx, x, y, sizes, base, steps, 0, row_major_strides(sizes));
    ctx.code() << "}\n";
  }
};

class StridedSliceOp final : public SliceOpBase {
 public:
  std::string_view name() const override { return "StridedSlice"; }
  int num_inputs() const override { return 4; }
  SlicePlan plan(const ir::Node& node, const Shape& in) const override {
    return plan_strided_slice(node, in);
  }
};

class SliceOp final : public SliceOpBase {
 public:
  std::string_view name() const override { return "Slice"; }
  int num_inputs() const override { return 3; }
  SlicePlan plan(const ir::Node& node, const Shape& in) const override {
    return plan_slice(node, in);
  }
};

}  // namespace

std::vector<const Op*> strided_slice_ops() {
  static const StridedSliceOp strided_slice;
  static const SliceOp slice;
  return {&strided_slice, &slice};
}

}  // namespace tfaot::ops
