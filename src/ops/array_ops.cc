// Data-movement ops whose every output element is one input element at a static position:
// Transpose, Tile, ReverseV2, BroadcastTo (strided copies), Pad/PadV2 (fill + copy), MirrorPad
// (gather through per-dim index tables), and the
// constant-producing Fill, ZerosLike, OnesLike; plus AddN (sum of N same-shape tensors).
#include <cstring>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

// A strided view of input 0: output (reshaped from `dims`) = in[base + idx . strides].
struct View {
  Shape dims;
  int64_t base = 0;
  std::vector<int64_t> strides;
};

class ViewCopyOp : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  virtual View view(const ir::Node& node) const = 0;
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    View v = view(node);
    return {strided_gather(*in[0], v.dims, v.base, v.strides).reshaped(node.output_type(0).shape)};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    View v = view(node);
    emit_strided_gather(ctx, 0, 0, v.dims, v.base, v.strides);
  }
};

std::vector<int64_t> const_ints(const ir::Node& node, int input, const char* what) {
  return require_const(node, input, what).to_int_vector();
}

class TransposeOp final : public ViewCopyOp {
 public:
  std::string_view name() const override { return "Transpose"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "x");
    check_dtype(node, node.input_type(1).dtype, kIndexTypes, "perm");
    auto perm = this->perm(node);
    Shape out;
    for (int64_t p : perm) out.push_back(node.input_type(0).shape[p]);
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true}};
  }
  View view(const ir::Node& node) const override {
    const Shape& in = node.input_type(0).shape;
    auto s = row_major_strides(in);
    View v;
    for (int64_t p : perm(node)) {
      v.dims.push_back(in[p]);
      v.strides.push_back(s[p]);
    }
    return v;
  }

 private:
  static std::vector<int64_t> perm(const ir::Node& node) {
    auto perm = const_ints(node, 1, "perm");
    size_t rank = node.input_type(0).shape.size();
    std::vector<bool> seen(rank, false);
    if (perm.size() != rank)
      fail("{}: perm has {} entries for input of rank {}", node.describe(), perm.size(), rank);
    for (auto& p : perm) {
      p = normalize_axis(node, p, static_cast<int64_t>(rank));
      if (seen[p]) fail("{}: perm repeats dim {}", node.describe(), p);
      seen[p] = true;
    }
    return perm;
  }
};

class TileOp final : public ViewCopyOp {
 public:
  std::string_view name() const override { return "Tile"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "input");
    auto m = multiples(node);
    Shape out = node.input_type(0).shape;
    for (size_t d = 0; d < out.size(); ++d) out[d] *= m[d];
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true}};
  }
  // Each output dim d is viewed as [multiple, in_dim]: the repeat index has stride 0.
  View view(const ir::Node& node) const override {
    const Shape& in = node.input_type(0).shape;
    auto s = row_major_strides(in);
    auto m = multiples(node);
    View v;
    for (size_t d = 0; d < in.size(); ++d) {
      v.dims.insert(v.dims.end(), {m[d], in[d]});
      v.strides.insert(v.strides.end(), {0, s[d]});
    }
    return v;
  }

 private:
  static std::vector<int64_t> multiples(const ir::Node& node) {
    auto m = const_ints(node, 1, "multiples");
    if (m.size() != node.input_type(0).shape.size())
      fail("{}: multiples has {} entries for input of rank {}", node.describe(), m.size(),
           node.input_type(0).shape.size());
    for (int64_t x : m)
      if (x < 0) fail("{}: negative multiple {}", node.describe(), x);
    return m;
  }
};

class ReverseOp final : public ViewCopyOp {
 public:
  std::string_view name() const override { return "ReverseV2"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "tensor");
    view(node);
    node.outputs = {node.input_type(0)};
  }
  View view(const ir::Node& node) const override {
    const Shape& in = node.input_type(0).shape;
    View v{in, 0, row_major_strides(in)};
    std::vector<bool> rev(in.size(), false);
    for (int64_t a : const_ints(node, 1, "axis")) {
      int64_t d = normalize_axis(node, a, static_cast<int64_t>(in.size()));
      if (rev[d]) fail("{}: axis {} given twice", node.describe(), d);
      rev[d] = true;
      if (in[d] > 0) v.base += (in[d] - 1) * v.strides[d];
      v.strides[d] = -v.strides[d];
    }
    return v;
  }
};

class BroadcastToOp final : public ViewCopyOp {
 public:
  std::string_view name() const override { return "BroadcastTo"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "input");
    Shape target = const_ints(node, 1, "shape");
    const Shape& in = node.input_type(0).shape;
    if (broadcast_shapes(node, in, target) != target)
      fail("{}: cannot broadcast {} to {}", node.describe(), shape_str(in), shape_str(target));
    node.outputs = {ir::TensorType{node.input_type(0).dtype, target, true}};
  }
  View view(const ir::Node& node) const override {
    const Shape& out = node.output_type(0).shape;
    return {out, 0, broadcast_strides(node.input_type(0).shape, out)};
  }
};

// Pad / PadV2: out = constant everywhere, then the input copied at offset `before`.
class PadOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  explicit PadOp(bool v2) : v2_(v2) {}
  std::string_view name() const override { return v2_ ? "PadV2" : "Pad"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, v2_ ? 3 : 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "input");
    if (v2_ && (node.input_type(2).dtype != node.input_type(0).dtype ||
                !node.input_type(2).shape.empty()))
      fail("{}: constant_values must be a scalar of the input type, got {}", node.describe(),
           node.input_type(2).str());
    auto p = pads(node);
    Shape out = node.input_type(0).shape;
    for (size_t d = 0; d < out.size(); ++d) out[d] += p[2 * d] + p[2 * d + 1];
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    double c = v2_ ? in[2]->get_double(0) : 0.0;
    for (int64_t i = 0; i < out.num_elements(); ++i) out.set_double(i, c);
    if (ot.dtype == DType::Int64 && v2_)
      for (int64_t i = 0; i < out.num_elements(); ++i) out.data<int64_t>()[i] = in[2]->get_int(0);
    auto p = pads(node);
    const Tensor& x = *in[0];
    auto os = row_major_strides(ot.shape);
    size_t es = dtype_size(x.dtype());
    for (int64_t i = 0; i < x.num_elements(); ++i) {
      auto idx = unravel(i, x.shape());
      int64_t dst = 0;
      for (size_t d = 0; d < idx.size(); ++d) dst += (idx[d] + p[2 * d]) * os[d];
      std::memcpy(out.raw() + dst * es, x.raw() + i * es, es);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const auto& ot = node.output_type(0);
    int64_t n = ot.num_elements();
    if (n == 0) return;
    auto p = pads(node);
    const Shape& in = node.input_type(0).shape;
    auto os = row_major_strides(ot.shape);
    int64_t base = 0;
    for (size_t d = 0; d < in.size(); ++d) base += p[2 * d] * os[d];
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), i = ctx.fresh("i");
    std::string value = v2_ ? ctx.input(2) + "[0]" : cpp_literal(ot.dtype, 0);
    ctx.code() << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y
               << " = " << ctx.output(0) << ";\n  for (std::int64_t " << i << " = 0; " << i
               << " < " << n << "; ++" << i << ") " << y << "[" << i << "] = " << value << ";\n";
    emit_copy(ctx, x, y, in, 0, row_major_strides(in), base, os);
    ctx.code() << "}\n";
  }

 private:
  static std::vector<int64_t> pads(const ir::Node& node) {
    const Tensor& t = require_const(node, 1, "paddings");
    size_t rank = node.input_type(0).shape.size();
    if (t.shape() != Shape{static_cast<int64_t>(rank), 2})
      fail("{}: paddings must be [{}, 2], got {}", node.describe(), rank, shape_str(t.shape()));
    auto p = t.to_int_vector();
    for (int64_t x : p)
      if (x < 0) fail("{}: negative padding {}", node.describe(), x);
    return p;
  }
  bool v2_;
};

// Fill(dims, value), ZerosLike(x), OnesLike(x).
class FillOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  enum Kind { kFill, kZeros, kOnes };
  FillOp(const char* name, Kind kind) : name_(name), kind_(kind) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    if (kind_ == kFill) {
      check_num_inputs(node, 2);
      check_static_inputs(node);
      check_dtype(node, node.input_type(0).dtype, kIndexTypes, "dims");
      if (!node.input_type(1).shape.empty())
        fail("{}: value must be a scalar, got {}", node.describe(), node.input_type(1).str());
      check_dtype(node, node.input_type(1).dtype, kAllTypes, "value");
      Shape dims = require_const(node, 0, "dims").to_int_vector();
      for (int64_t d : dims)
        if (d < 0) fail("{}: negative dim in {}", node.describe(), shape_str(dims));
      node.outputs = {ir::TensorType{node.input_type(1).dtype, dims, true}};
    } else {
      check_num_inputs(node, 1);
      check_static_inputs(node);
      check_dtype(node, node.input_type(0).dtype, kAllTypes, "x");
      node.outputs = {node.input_type(0)};
    }
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    size_t es = dtype_size(ot.dtype);
    Tensor one(ot.dtype, {});
    one.set_double(0, 1);
    const Tensor* v = kind_ == kFill ? in[1] : kind_ == kOnes ? &one : nullptr;
    if (v)
      for (int64_t i = 0; i < out.num_elements(); ++i) std::memcpy(out.raw() + i * es, v->raw(), es);
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const auto& ot = node.output_type(0);
    int64_t n = ot.num_elements();
    if (n == 0) return;
    std::string value = kind_ == kFill ? ctx.input(1) + "[0]"
                                       : cpp_literal(ot.dtype, kind_ == kOnes ? 1 : 0);
    std::string y = ctx.fresh("y"), i = ctx.fresh("i");
    ctx.code() << "{\n  auto* " << y << " = " << ctx.output(0) << ";\n  for (std::int64_t " << i
               << " = 0; " << i << " < " << n << "; ++" << i << ") " << y << "[" << i
               << "] = " << value << ";\n}\n";
  }

 private:
  const char* name_;
  Kind kind_;
};

class AddNOp final : public Op {
 public:
  std::string_view name() const override { return "AddN"; }
  void infer(ir::Node& node) const override {
    check_min_inputs(node, 1);
    check_static_inputs(node);
    const auto& t = node.input_type(0);
    check_dtype(node, t.dtype, kNumberTypes, "inputs");
    for (size_t i = 1; i < node.inputs.size(); ++i)
      if (!(node.input_type(static_cast<int>(i)) == t))
        fail("{}: input {} is {} but input 0 is {}", node.describe(), i,
             node.input_type(static_cast<int>(i)).str(), t.str());
    node.outputs = {t};
  }
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      if (dtype_is_float(ot.dtype)) {
        // Summed left to right in the element type, as the generated code does.
        dispatch_dtype(ot.dtype, [&](auto tag) {
          using T = typename decltype(tag)::type;
          T acc = in[0]->data<T>()[i];
          for (size_t k = 1; k < in.size(); ++k) acc = T(acc + in[k]->data<T>()[i]);
          out.data<T>()[i] = acc;
        });
      } else {
        uint64_t acc = 0;
        for (const Tensor* t : in) acc += uint64_t(t->get_int(i));
        dispatch_dtype(ot.dtype, [&](auto tag) {
          using T = typename decltype(tag)::type;
          out.data<T>()[i] = static_cast<T>(acc);
        });
      }
    }
    return {out};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    int64_t n = node.output_type(0).num_elements();
    if (n == 0) return;
    std::string y = ctx.fresh("y"), i = ctx.fresh("i");
    auto& os = ctx.code();
    std::vector<std::string> xs;
    os << "{\n";
    for (size_t k = 0; k < node.inputs.size(); ++k) {
      xs.push_back(ctx.fresh("x"));
      os << "  const auto* " << xs.back() << " = " << ctx.input(static_cast<int>(k)) << ";\n";
    }
    os << "  auto* " << y << " = " << ctx.output(0) << ";\n  for (std::int64_t " << i << " = 0; "
       << i << " < " << n << "; ++" << i << ") {\n    auto acc = " << xs[0] << "[" << i << "];\n";
    for (size_t k = 1; k < xs.size(); ++k)
      os << "    acc = tfaot_kernels::f_add{}(acc, " << xs[k] << "[" << i << "]);\n";
    os << "    " << y << "[" << i << "] = acc;\n  }\n}\n";
  }
};

// MirrorPad(input, paddings), mode REFLECT (edge not repeated) or SYMMETRIC (edge repeated):
// every output index maps to one input index per dim, so it is a gather through per-dim
// index tables.
class MirrorPadOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "MirrorPad"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "input");
    auto t = tables(node);
    Shape out;
    for (const auto& d : t) out.push_back(static_cast<int64_t>(d.size()));
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto t = tables(node);
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    auto is = row_major_strides(in[0]->shape());
    size_t es = dtype_size(ot.dtype);
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      auto idx = unravel(i, ot.shape);
      int64_t src = 0;
      for (size_t d = 0; d < idx.size(); ++d) src += t[d][idx[d]] * is[d];
      std::memcpy(out.raw() + i * es, in[0]->raw() + src * es, es);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const auto& ot = node.output_type(0);
    if (ot.num_elements() == 0) return;
    auto t = tables(node);
    auto is = row_major_strides(node.input_type(0).shape);
    auto& os = ctx.code();
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), o = ctx.fresh("o");
    os << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y << " = "
       << ctx.output(0) << ";\n";
    // Per dim: input element offset of each output index.
    std::vector<std::string> tab, var;
    for (size_t d = 0; d < t.size(); ++d) {
      tab.push_back(ctx.fresh("tab"));
      var.push_back(ctx.fresh("i"));
      os << "  static const std::int64_t " << tab[d] << "[] = {";
      for (size_t k = 0; k < t[d].size(); ++k) os << (k ? ", " : "") << t[d][k] * is[d];
      os << "};\n";
    }
    os << "  std::int64_t " << o << " = 0;\n";
    for (size_t d = 0; d < t.size(); ++d)
      os << "  for (std::int64_t " << var[d] << " = 0; " << var[d] << " < " << t[d].size()
         << "; ++" << var[d] << ")\n";
    os << "    " << y << "[" << o << "++] = " << x << "[0";
    for (size_t d = 0; d < t.size(); ++d) os << " + " << tab[d] << "[" << var[d] << "]";
    os << "];\n}\n";
  }

 private:
  static std::vector<std::vector<int64_t>> tables(const ir::Node& node) {
    std::string mode = node.attr_string("mode");
    if (mode != "REFLECT" && mode != "SYMMETRIC")
      fail("{}: mode '{}' is not REFLECT or SYMMETRIC", node.describe(), mode);
    bool reflect = mode == "REFLECT";
    const Shape& in = node.input_type(0).shape;
    const Tensor& pt = require_const(node, 1, "paddings");
    if (pt.shape() != Shape{static_cast<int64_t>(in.size()), 2})
      fail("{}: paddings must be [{}, 2], got {}", node.describe(), in.size(), shape_str(pt.shape()));
    auto p = pt.to_int_vector();
    std::vector<std::vector<int64_t>> t;
    for (size_t d = 0; d < in.size(); ++d) {
      int64_t n = in[d], before = p[2 * d], after = p[2 * d + 1];
      int64_t limit = reflect ? n - 1 : n;
      if (before < 0 || after < 0 || before > limit || after > limit)
        fail("{}: paddings {} and {} of dim {} (size {}) exceed {} for mode {}", node.describe(),
             before, after, d, n, limit, mode);
      std::vector<int64_t> map;
      for (int64_t o = 0; o < n + before + after; ++o) {
        int64_t i = o - before;
        if (i < 0) i = reflect ? -i : -i - 1;
        else if (i >= n) i = reflect ? 2 * n - 2 - i : 2 * n - 1 - i;
        map.push_back(i);
      }
      t.push_back(std::move(map));
    }
    return t;
  }
};

}  // namespace

std::vector<const Op*> array_ops() {
  static const TransposeOp transpose;
  static const TileOp tile;
  static const ReverseOp reverse;
  static const BroadcastToOp broadcast_to;
  static const PadOp pad(false), pad_v2(true);
  static const FillOp fill("Fill", FillOp::kFill), zeros("ZerosLike", FillOp::kZeros),
      ones("OnesLike", FillOp::kOnes);
  static const AddNOp add_n;
  static const MirrorPadOp mirror_pad;
  return {&transpose, &tile, &reverse, &broadcast_to, &pad,   &pad_v2,
          &fill,      &zeros, &ones,   &add_n,        &mirror_pad};
}

}  // namespace tfaot::ops
