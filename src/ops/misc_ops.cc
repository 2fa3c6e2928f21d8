// Assorted ops: Range (constant operands only: its shape depends on their values), Cumsum
// (scan along a constant axis, exclusive / reverse), Bucketize (boundaries attr), LeakyRelu
// (alpha attr), GatherNd (run-time indices; out-of-range index tuples give zeros),
// ClipByValue, TopKV2, EnsureShape (checked at compile time) and the inference-time
// identities StopGradient / PreventGradient / Snapshot / CheckNumerics (generated code cannot
// raise TF's NaN error, so CheckNumerics passes values through).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

class RangeOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "Range"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    check_static_inputs(node);
    DType t = node.input_type(0).dtype;
    check_dtype(node, t, {DType::Float, DType::Double, DType::Int32, DType::Int64}, "start");
    for (int i = 1; i < 3; ++i)
      if (node.input_type(i).dtype != t)
        fail("{}: input {} is {} but start is {}", node.describe(), i,
             dtype_name(node.input_type(i).dtype), dtype_name(t));
    node.outputs = {ir::TensorType{t, {count(node)}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    int64_t n = count(node);
    Tensor out(node.output_type(0).dtype, {n});
    dispatch_dtype(out.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      // TF adds delta repeatedly (not start + i * delta).
      T v = in[0]->data<T>()[0];
      const T delta = in[2]->data<T>()[0];
      for (int64_t i = 0; i < n; ++i, v = T(v + delta)) out.data<T>()[i] = v;
    });
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    int64_t n = count(node);
    if (n == 0) return;
    std::string y = ctx.fresh("y"), v = ctx.fresh("v"), i = ctx.fresh("i");
    ctx.code() << "{\n  auto* " << y << " = " << ctx.output(0) << ";\n  auto " << v << " = "
               << ctx.input(0) << "[0];\n  for (std::int64_t " << i << " = 0; " << i << " < "
               << n << "; ++" << i << ", " << v << " += " << ctx.input(2) << "[0]) " << y << "["
               << i << "] = " << v << ";\n}\n";
  }

 private:
  static int64_t count(const ir::Node& node) {
    double start = scalar(node, 0, "start"), limit = scalar(node, 1, "limit"),
           delta = scalar(node, 2, "delta");
    if (delta == 0) fail("{}: delta must not be 0", node.describe());
    if ((delta > 0 && start > limit) || (delta < 0 && start < limit))
      fail("{}: start {} and limit {} do not match the sign of delta {}", node.describe(), start,
           limit, delta);
    if (dtype_is_float(node.input_type(0).dtype))
      return static_cast<int64_t>(std::ceil(std::fabs((limit - start) / delta)));
    int64_t s = node.const_input(0)->get_int(0), l = node.const_input(1)->get_int(0),
            d = node.const_input(2)->get_int(0);
    int64_t span = l > s ? l - s : s - l, ad = d > 0 ? d : -d;
    return (span + ad - 1) / ad;
  }
  static double scalar(const ir::Node& node, int i, const char* what) {
    const Tensor& t = require_const(node, i, what);
    if (t.num_elements() != 1) fail("{}: {} must be a scalar", node.describe(), what);
    return t.get_double(0);
  }
};

class CumsumOp final : public Op {
 public:
  std::string_view name() const override { return "Cumsum"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kNumberTypes, "x");
    split(node);
    node.outputs = {node.input_type(0)};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const auto dims = split(node);  // not a structured binding: captured below (clang 14)
    const int64_t outer = std::get<0>(dims), n = std::get<1>(dims), inner = std::get<2>(dims);
    bool excl = node.attr_bool("exclusive", false), rev = node.attr_bool("reverse", false);
    Tensor out(in[0]->dtype(), in[0]->shape());
    dispatch_dtype(out.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* x = in[0]->data<T>();
      T* y = out.data<T>();
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i) {
          T acc = T(0);
          for (int64_t s = 0; s < n; ++s) {
            int64_t k = rev ? n - 1 - s : s;
            int64_t at = (o * n + k) * inner + i;
            if (excl) {
              y[at] = acc;
              acc = add(acc, x[at]);
            } else {
              acc = add(acc, x[at]);
              y[at] = acc;
            }
          }
        }
    });
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto [outer, n, inner] = split(node);
    if (outer * n * inner == 0) return;
    bool excl = node.attr_bool("exclusive", false), rev = node.attr_bool("reverse", false);
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), o = ctx.fresh("o"), i = ctx.fresh("i"),
                s = ctx.fresh("s"), acc = ctx.fresh("acc"), at = ctx.fresh("at");
    std::string k = rev ? "(" + std::to_string(n - 1) + " - " + s + ")" : s;
    std::string T = dtype_cpp(node.input_type(0).dtype);
    auto& os = ctx.code();
    os << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y << " = "
       << ctx.output(0) << ";\n  for (std::int64_t " << o << " = 0; " << o << " < " << outer
       << "; ++" << o << ")\n    for (std::int64_t " << i << " = 0; " << i << " < " << inner
       << "; ++" << i << ") {\n      " << T << " " << acc << " = " << T << "(0);\n"
       << "      for (std::int64_t " << s << " = 0; " << s << " < " << n << "; ++" << s
       << ") {\n        const std::int64_t " << at << " = (" << o << " * " << n << " + " << k
       << ") * " << inner << " + " << i << ";\n";
    std::string step = acc + " = tfaot_kernels::f_add{}(" + acc + ", " + x + "[" + at + "]);";
    std::string store = y + "[" + at + "] = " + acc + ";";
    os << "        " << (excl ? store + " " + step : step + " " + store) << "\n      }\n    }\n}\n";
  }

 private:
  template <class T>
  static T add(T a, T b) {
    if constexpr (std::is_integral_v<T>)
      return static_cast<T>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    else
      return a + b;
  }
  static std::tuple<int64_t, int64_t, int64_t> split(const ir::Node& node) {
    const Tensor& a = require_const(node, 1, "axis");
    if (a.num_elements() != 1) fail("{}: axis must be a scalar", node.describe());
    const Shape& s = node.input_type(0).shape;
    if (s.empty()) fail("{}: input must have rank >= 1", node.describe());
    int64_t ax = normalize_axis(node, a.get_int(0), static_cast<int64_t>(s.size()));
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < ax; ++d) outer *= s[d];
    for (size_t d = ax + 1; d < s.size(); ++d) inner *= s[d];
    return {outer, s[ax], inner};
  }
};

class BucketizeOp final : public Op {
 public:
  std::string_view name() const override { return "Bucketize"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype,
                {DType::Float, DType::Double, DType::Int32, DType::Int64}, "input");
    auto b = boundaries(node);
    for (size_t i = 1; i < b.size(); ++i)
      if (b[i] < b[i - 1]) fail("{}: boundaries must be sorted", node.describe());
    node.outputs = {ir::TensorType{DType::Int32, node.input_type(0).shape, true}};
  }

  // Index of the first boundary greater than x (std::upper_bound).
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto b = boundaries(node);
    Tensor out(DType::Int32, in[0]->shape());
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      double x = in[0]->get_double(i);
      int32_t k = 0;
      while (k < static_cast<int32_t>(b.size()) && !(x < b[k])) ++k;
      out.data<int32_t>()[i] = k;
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto b = boundaries(node);
    int64_t n = node.output_type(0).num_elements();
    if (n == 0) return;
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), i = ctx.fresh("i"), bd = ctx.fresh("bd"),
                k = ctx.fresh("k");
    auto& os = ctx.code();
    os << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y << " = "
       << ctx.output(0) << ";\n";
    if (!b.empty()) {
      os << "  static const float " << bd << "[] = {";
      for (size_t j = 0; j < b.size(); ++j) os << (j ? ", " : "") << cpp_literal(DType::Float, b[j]);
      os << "};\n";
    }
    os << "  for (std::int64_t " << i << " = 0; " << i << " < " << n << "; ++" << i
       << ") {\n    std::int32_t " << k << " = 0;\n";
    if (!b.empty())
      os << "    while (" << k << " < " << b.size() << " && !(double(" << x << "[" << i
         << "]) < double(" << bd << "[" << k << "]))) ++" << k << ";\n";
    os << "    " << y << "[" << i << "] = " << k << ";\n  }\n}\n";
  }

 private:
  // The attr is a list of floats; compare in double like the reference.
  static std::vector<double> boundaries(const ir::Node& node) {
    const auto* a = node.find_attr("boundaries");
    if (!a) fail("{}: missing attribute 'boundaries'", node.describe());
    return {a->list().f().begin(), a->list().f().end()};
  }
};

class LeakyReluOp final : public Op {
 public:
  std::string_view name() const override { return "LeakyRelu"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    check_type_attr(node, "T", {0}, kFloatTypes);
    node.outputs = {node.input_type(0)};
  }
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    double alpha = node.attr_float("alpha", 0.2f);
    Tensor out(in[0]->dtype(), in[0]->shape());
    dispatch_dtype(out.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      for (int64_t i = 0; i < out.num_elements(); ++i) {
        T x = in[0]->data<T>()[i];
        out.data<T>()[i] = x > T(0) ? x : T(x * T(alpha));
      }
    });
    return {out};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    int64_t n = node.output_type(0).num_elements();
    if (n == 0) return;
    DType t = node.output_type(0).dtype;
    std::string a = cpp_literal(t, node.attr_float("alpha", 0.2f));
    emit_unary_map(ctx, "[](auto v) { return v > 0 ? v : v * " + a + "; }", n);
  }
  int inplace_input(const ir::Node&) const override { return 0; }
};

class GatherNdOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "GatherNd"; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kAllTypes, "params");
    check_dtype(node, node.input_type(1).dtype, kIndexTypes, "indices");
    const Shape& p = node.input_type(0).shape;
    const Shape& idx = node.input_type(1).shape;
    if (idx.empty() || idx.back() > static_cast<int64_t>(p.size()))
      fail("{}: indices {} do not fit params {}", node.describe(), shape_str(idx), shape_str(p));
    Shape out(idx.begin(), idx.end() - 1);
    out.insert(out.end(), p.begin() + idx.back(), p.end());
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto [n, k, inner] = dims(node);
    const Shape& p = in[0]->shape();
    auto ps = row_major_strides(p);
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    size_t es = dtype_size(ot.dtype);
    for (int64_t r = 0; r < n; ++r) {
      int64_t off = 0;
      bool ok = true;
      for (int64_t j = 0; j < k; ++j) {
        int64_t v = in[1]->get_int(r * k + j);
        ok = ok && v >= 0 && v < p[j];
        off += v * ps[j];
      }
      if (ok)
        std::memcpy(out.raw() + r * inner * es, in[0]->raw() + off * es,
                    static_cast<size_t>(inner) * es);
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto [n, k, inner] = dims(node);
    if (n * inner == 0) return;
    const Shape& p = node.input_type(0).shape;
    auto ps = row_major_strides(p);
    std::string x = ctx.fresh("x"), ix = ctx.fresh("ix"), y = ctx.fresh("y"), r = ctx.fresh("r"),
                off = ctx.fresh("off"), ok = ctx.fresh("ok"), v = ctx.fresh("v"), i = ctx.fresh("i");
    auto& os = ctx.code();
    os << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  const auto* " << ix << " = "
       << ctx.input(1) << ";\n  auto* " << y << " = " << ctx.output(0) << ";\n  for (std::int64_t "
       << r << " = 0; " << r << " < " << n << "; ++" << r << ") {\n    std::int64_t " << off
       << " = 0;\n    bool " << ok << " = true;\n";
    for (int64_t j = 0; j < k; ++j)
      os << "    { const std::int64_t " << v << " = " << ix << "[" << r << " * " << k << " + " << j
         << "]; " << ok << " = " << ok << " && " << v << " >= 0 && " << v << " < " << p[j] << "; "
         << off << " += " << v << " * " << ps[j] << "; }\n";
    os << "    for (std::int64_t " << i << " = 0; " << i << " < " << inner << "; ++" << i << ") "
       << y << "[" << r << " * " << inner << " + " << i << "] = " << ok << " ? " << x << "["
       << off << " + " << i << "] : " << dtype_cpp(node.output_type(0).dtype) << "(0);\n  }\n}\n";
  }

 private:
  static std::tuple<int64_t, int64_t, int64_t> dims(const ir::Node& node) {
    const Shape& p = node.input_type(0).shape;
    const Shape& idx = node.input_type(1).shape;
    int64_t k = idx.back(), n = 1, inner = 1;
    for (size_t d = 0; d + 1 < idx.size(); ++d) n *= idx[d];
    for (size_t d = static_cast<size_t>(k); d < p.size(); ++d) inner *= p[d];
    return {n, k, inner};
  }
};

// StopGradient, PreventGradient, Snapshot: identities at inference time.
class PassThroughOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  explicit PassThroughOp(const char* name) : name_(name) {}
  std::string_view name() const override { return name_; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    if (node.has_attr("T")) check_type_attr(node, "T", {0}, {node.input_type(0).dtype});
    node.outputs = {node.input_type(0)};
  }
  std::vector<Tensor> evaluate(const ir::Node&, std::span<const Tensor* const> in) const override {
    return {*in[0]};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    int64_t n = node.output_type(0).num_elements();
    if (n == 0) return;
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), i = ctx.fresh("i");
    ctx.code() << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y
               << " = " << ctx.output(0) << ";\n  if (static_cast<const void*>(" << x
               << ") != static_cast<const void*>(" << y << "))\n    for (std::int64_t " << i
               << " = 0; " << i << " < " << n << "; ++" << i << ") " << y << "[" << i
               << "] = " << x << "[" << i << "];\n}\n";
  }
  int inplace_input(const ir::Node&) const override { return 0; }

 private:
  const char* name_;
};

// ClipByValue(t, clip_value_min, clip_value_max): min(max(t, lo), hi), lo/hi broadcast.
class ClipByValueOp final : public Op {
 public:
  std::string_view name() const override { return "ClipByValue"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    check_static_inputs(node);
    check_type_attr(node, "T", {0, 1, 2}, kNumberTypes);
    const Shape& t = node.input_type(0).shape;
    for (int i = 1; i < 3; ++i)
      if (broadcast_shapes(node, t, node.input_type(i).shape) != t)
        fail("{}: clip bound {} does not broadcast to t {}", node.describe(),
             node.input_type(i).str(), shape_str(t));
    node.outputs = {node.input_type(0)};
  }
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Shape& t = node.output_type(0).shape;
    Tensor out(in[0]->dtype(), t);
    auto sl = broadcast_strides(in[1]->shape(), t), sh = broadcast_strides(in[2]->shape(), t);
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      auto idx = unravel(i, t);
      int64_t il = 0, ih = 0;
      for (size_t d = 0; d < idx.size(); ++d) {
        il += idx[d] * sl[d];
        ih += idx[d] * sh[d];
      }
      dispatch_dtype(out.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        T v = in[0]->data<T>()[i], lo = in[1]->data<T>()[il], hi = in[2]->data<T>()[ih];
        v = v < lo ? lo : v;
        out.data<T>()[i] = hi < v ? hi : v;
      });
    }
    return {out};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const Shape& t = node.output_type(0).shape;
    std::string x = ctx.fresh("x"), lo = ctx.fresh("lo"), hi = ctx.fresh("hi"), y = ctx.fresh("y"),
                v = ctx.fresh("v");
    auto& os = ctx.code();
    os << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  const auto* " << lo << " = "
       << ctx.input(1) << ";\n  const auto* " << hi << " = " << ctx.input(2) << ";\n  auto* " << y
       << " = " << ctx.output(0) << ";\n";
    LoopNest nest = simplify({t,
                              {0, 0, 0},
                              {row_major_strides(t), broadcast_strides(node.input_type(1).shape, t),
                               broadcast_strides(node.input_type(2).shape, t)}});
    emit_loops(ctx, nest, [&](const std::vector<std::string>& i) {
      os << "auto " << v << " = " << x << "[" << i[0] << "]; " << v << " = " << v << " < " << lo
         << "[" << i[1] << "] ? " << lo << "[" << i[1] << "] : " << v << "; " << y << "[" << i[0]
         << "] = " << hi << "[" << i[2] << "] < " << v << " ? " << hi << "[" << i[2] << "] : " << v
         << ";";
    });
    os << "}\n";
  }
  int inplace_input(const ir::Node&) const override { return 0; }
};

// TopKV2(input, k): the k largest entries of each last-axis row, descending; ties keep the
// lower index first (TF's documented order). Outputs values and int32 indices.
class TopKOp final : public Op {
 public:
  std::string_view name() const override { return "TopKV2"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kNumberTypes, "input");
    const Shape& s = node.input_type(0).shape;
    if (s.empty()) fail("{}: input must have rank >= 1", node.describe());
    int64_t k = this->k(node);
    if (k > s.back())
      fail("{}: k = {} exceeds the last dim {} of {}", node.describe(), k, s.back(), shape_str(s));
    Shape out = s;
    out.back() = k;
    node.outputs = {ir::TensorType{node.input_type(0).dtype, out, true},
                    ir::TensorType{DType::Int32, out, true}};
  }
  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Shape& s = in[0]->shape();
    int64_t n = s.back(), k = this->k(node), rows = n ? in[0]->num_elements() / n : 0;
    Tensor vals(in[0]->dtype(), node.output_type(0).shape), idx(DType::Int32, node.output_type(1).shape);
    size_t es = dtype_size(in[0]->dtype());
    for (int64_t r = 0; r < rows; ++r) {
      std::vector<int64_t> order(static_cast<size_t>(n));
      for (int64_t j = 0; j < n; ++j) order[j] = j;
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return in[0]->get_double(r * n + a) > in[0]->get_double(r * n + b);
      });
      for (int64_t j = 0; j < k; ++j) {
        std::memcpy(vals.raw() + (r * k + j) * es, in[0]->raw() + (r * n + order[j]) * es, es);
        idx.data<int32_t>()[r * k + j] = static_cast<int32_t>(order[j]);
      }
    }
    return {vals, idx};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const Shape& s = node.input_type(0).shape;
    int64_t n = s.back(), k = this->k(node);
    if (k == 0 || node.input_type(0).num_elements() == 0) return;
    ctx.code() << "tfaot_kernels::top_k<" << node.input_type(0).num_elements() / n << ", " << n
               << ", " << k << ">(" << ctx.input(0) << ", " << ctx.output(0) << ", "
               << ctx.output(1) << ");\n";
  }

 private:
  static int64_t k(const ir::Node& node) {
    const Tensor& t = require_const(node, 1, "k");
    if (t.num_elements() != 1 || t.get_int(0) < 0)
      fail("{}: k must be a non-negative scalar", node.describe());
    return t.get_int(0);
  }
};

// EnsureShape: checks at compile time that the static shape matches attr `shape`.
class EnsureShapeOp final : public Op {
 public:
  uint64_t flops(const ir::Node&) const override { return 0; }  // data movement
  std::string_view name() const override { return "EnsureShape"; }
  void infer(ir::Node& node) const override {
    check_num_inputs(node, 1);
    check_static_inputs(node);
    const auto* a = node.find_attr("shape");
    const Shape& s = node.input_type(0).shape;
    if (a && a->has_shape() && !a->shape().unknown_rank()) {
      bool ok = a->shape().dim_size() == static_cast<int>(s.size());
      for (int d = 0; ok && d < a->shape().dim_size(); ++d)
        ok = a->shape().dim(d).size() < 0 || a->shape().dim(d).size() == s[d];
      if (!ok) fail("{}: input shape {} does not match the ensured shape", node.describe(), shape_str(s));
    }
    node.outputs = {node.input_type(0)};
  }
  std::vector<Tensor> evaluate(const ir::Node&, std::span<const Tensor* const> in) const override {
    return {*in[0]};
  }
  void emit(const ir::Node& node, EmitContext& ctx) const override { pass_through_.emit(node, ctx); }
  int inplace_input(const ir::Node&) const override { return 0; }

 private:
  PassThroughOp pass_through_{"EnsureShape"};
};

}  // namespace

std::vector<const Op*> misc_ops() {
  static const RangeOp range;
  static const CumsumOp cumsum;
  static const BucketizeOp bucketize;
  static const LeakyReluOp leaky_relu;
  static const GatherNdOp gather_nd;
  static const PassThroughOp stop_gradient("StopGradient"), prevent_gradient("PreventGradient"),
      snapshot("Snapshot"), check_numerics("CheckNumerics");
  static const TopKOp top_k;
  static const EnsureShapeOp ensure_shape;
  static const ClipByValueOp clip;
  return {&range,         &cumsum,           &bucketize, &leaky_relu, &gather_nd,
          &stop_gradient, &prevent_gradient, &snapshot,  &clip,      &check_numerics,
          &top_k,         &ensure_shape};
}

}  // namespace tfaot::ops
