// Reductions over constant axes: Sum, Mean, Prod, Max, Min, All, Any (reduction_indices,
// keep_dims) and ArgMax / ArgMin (one axis, first index of the extreme value).
// Reference: floats accumulate in double, integers in wrapping int64 (Mean divides the
// wrapped element-type sum, truncating); generated code accumulates in the element type in
// the same order, so float sums agree to about n ulp. Max/Min propagate NaN; the empty
// reduction gives the identity (0, 1, -inf/lowest, +inf/max, true, false; Mean: 0/0).
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

enum class R { Sum, Mean, Prod, Max, Min, All, Any };

struct ReducePlan {
  Shape kept_dims;                   // input dims not reduced, in order
  std::vector<int64_t> kept_strides;  // their input strides
  Shape red_dims;
  std::vector<int64_t> red_strides;
  Shape out_shape;
};

ReducePlan plan_reduce(const ir::Node& node, const Shape& in, const std::vector<int64_t>& axes_in,
                       bool keep_dims) {
  int64_t rank = static_cast<int64_t>(in.size());
  std::vector<bool> red(in.size(), false);
  for (int64_t a : axes_in) red[normalize_axis(node, a, rank)] = true;
  auto s = row_major_strides(in);
  ReducePlan p;
  for (int64_t d = 0; d < rank; ++d) {
    if (red[d]) {
      p.red_dims.push_back(in[d]);
      p.red_strides.push_back(s[d]);
      if (keep_dims) p.out_shape.push_back(1);
    } else {
      p.kept_dims.push_back(in[d]);
      p.kept_strides.push_back(s[d]);
      p.out_shape.push_back(in[d]);
    }
  }
  return p;
}

class ReduceOp final : public Op {
 public:
  ReduceOp(const char* name, R kind) : name_(name), kind_(kind) {}
  std::string_view name() const override { return name_; }
  uint64_t flops(const ir::Node& node) const override {  // one per input element
    return static_cast<uint64_t>(node.input_type(0).num_elements());
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    DType t = node.input_type(0).dtype;
    if (kind_ == R::All || kind_ == R::Any) check_dtype(node, t, {DType::Bool}, "input");
    else check_dtype(node, t, kNumberTypes, "input");
    check_dtype(node, node.input_type(1).dtype, kIndexTypes, "reduction_indices");
    auto p = plan(node);
    node.outputs = {ir::TensorType{t, p.out_shape, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[0];
    auto p = plan(node);
    Tensor out(x.dtype(), node.output_type(0).shape);
    int64_t count = num_elements(p.red_dims);
    bool is_float = dtype_is_float(x.dtype());
    for (int64_t o = 0; o < out.num_elements(); ++o) {
      auto oi = unravel(o, p.kept_dims);
      int64_t base = 0;
      for (size_t d = 0; d < oi.size(); ++d) base += oi[d] * p.kept_strides[d];
      double accf = init_double();
      uint64_t acci = kind_ == R::Prod ? 1 : 0;
      int64_t best = 0;
      for (int64_t r = 0; r < count; ++r) {
        auto ri = unravel(r, p.red_dims);
        int64_t idx = base;
        for (size_t d = 0; d < ri.size(); ++d) idx += ri[d] * p.red_strides[d];
        if (is_float) {
          double v = x.get_double(idx);
          switch (kind_) {
            case R::Sum: case R::Mean: accf += v; break;
            case R::Prod: accf *= v; break;
            case R::Max: accf = (std::isnan(accf) || std::isnan(v)) ? NAN : std::max(accf, v); break;
            case R::Min: accf = (std::isnan(accf) || std::isnan(v)) ? NAN : std::min(accf, v); break;
            default: break;
          }
        } else {
          int64_t v = x.get_int(idx);
          switch (kind_) {
            case R::Sum: case R::Mean: acci += uint64_t(v); break;
            case R::Prod: acci *= uint64_t(v); break;
            case R::Max: best = r == 0 ? v : std::max(best, v); break;
            case R::Min: best = r == 0 ? v : std::min(best, v); break;
            case R::All: best = r == 0 ? v : (best && v); break;
            case R::Any: best = r == 0 ? v : (best || v); break;
          }
        }
      }
      if (is_float) {
        out.set_double(o, kind_ == R::Mean ? accf / double(count) : accf);
        continue;
      }
      dispatch_dtype(x.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        T r;
        if (kind_ == R::Sum || kind_ == R::Prod || kind_ == R::Mean) r = static_cast<T>(acci);
        else if (count == 0) r = empty_identity<T>();
        else r = static_cast<T>(best);
        if constexpr (!std::is_same_v<T, bool>)
          if (kind_ == R::Mean) {
            // Like the kernel's f_div: the count in T (it may wrap), x / 0 = 0.
            const T c = static_cast<T>(count);
            r = c == T(0) ? T(0) : static_cast<T>(r / c);
          }
        out.data<T>()[o] = r;
      });
    }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto p = plan(node);
    DType t = node.input_type(0).dtype;
    int64_t count = num_elements(p.red_dims);
    if (node.output_type(0).num_elements() == 0) return;
    std::string T = dtype_cpp(t);
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), acc = ctx.fresh("acc");
    auto& os = ctx.code();
    os << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y << " = "
       << ctx.output(0) << ";\n";
    LoopNest outer = simplify({p.kept_dims, {0, 0}, {row_major_strides(p.kept_dims), p.kept_strides}});
    LoopNest inner = simplify({p.red_dims, {0}, {p.red_strides}});
    emit_loops(ctx, outer, [&](const std::vector<std::string>& oi) {
      os << T << " " << acc << " = " << init_literal(t) << ";\n";
      emit_loops(ctx, inner, [&](const std::vector<std::string>& ri) {
        os << acc << " = " << step(acc, x + "[" + oi[1] + " + " + ri[0] + "]") << ";";
      });
      if (kind_ == R::Mean)
        os << acc << " = tfaot_kernels::f_div{}(" << acc << ", " << T << "(" << count << "));\n";
      os << y << "[" << oi[0] << "] = " << acc << ";";
    });
    os << "}\n";
  }

 private:
  ReducePlan plan(const ir::Node& node) const {
    auto axes = require_const(node, 1, "reduction_indices").to_int_vector();
    return plan_reduce(node, node.input_type(0).shape, axes, node.attr_bool("keep_dims", false));
  }
  double init_double() const {
    switch (kind_) {
      case R::Prod: return 1;
      case R::Max: return -INFINITY;
      case R::Min: return INFINITY;
      default: return 0;
    }
  }
  template <class T>
  T empty_identity() const {
    switch (kind_) {
      case R::Max: return std::numeric_limits<T>::lowest();
      case R::Min: return std::numeric_limits<T>::max();
      case R::All: return T(1);
      default: return T(0);
    }
  }
  std::string init_literal(DType t) const {
    std::string lim = "std::numeric_limits<" + dtype_cpp(t) + ">::";
    bool f = dtype_is_float(t);
    switch (kind_) {
      case R::Prod: return dtype_cpp(t) + "(1)";
      case R::Max: return f ? "-" + lim + "infinity()" : lim + "lowest()";
      case R::Min: return f ? lim + "infinity()" : lim + "max()";
      case R::All: return "true";
      case R::Any: return "false";
      default: return dtype_cpp(t) + "(0)";
    }
  }
  std::string step(const std::string& acc, const std::string& v) const {
    switch (kind_) {
      case R::Sum: case R::Mean: return "tfaot_kernels::f_add{}(" + acc + ", " + v + ")";
      case R::Prod: return "tfaot_kernels::f_mul{}(" + acc + ", " + v + ")";
      case R::Max: return "tfaot_kernels::f_max{}(" + acc + ", " + v + ")";
      case R::Min: return "tfaot_kernels::f_min{}(" + acc + ", " + v + ")";
      case R::All: return acc + " && " + v;
      default: return acc + " || " + v;
    }
  }
  const char* name_;
  R kind_;
};

class ArgOp final : public Op {
 public:
  ArgOp(const char* name, bool max) : name_(name), max_(max) {}
  std::string_view name() const override { return name_; }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_dtype(node, node.input_type(0).dtype, kNumberTypes, "input");
    DType ot = node.attr_type("output_type", DType::Int64);
    check_dtype(node, ot, kIndexTypes, "attribute 'output_type'");
    auto [outer, n, inner] = split(node);
    (void)outer;
    (void)inner;
    if (n == 0) fail("{}: reduction axis is empty", node.describe());
    Shape out = node.input_type(0).shape;
    out.erase(out.begin() + axis(node));
    node.outputs = {ir::TensorType{ot, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    auto [outer, n, inner] = split(node);
    const auto& ot = node.output_type(0);
    Tensor out(ot.dtype, ot.shape);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t best = 0;
        for (int64_t k = 1; k < n; ++k) {
          double v = in[0]->get_double((o * n + k) * inner + i);
          double b = in[0]->get_double((o * n + best) * inner + i);
          if (max_ ? v > b : v < b) best = k;
        }
        out.set_double(o * inner + i, double(best));
      }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto [outer, n, inner] = split(node);
    if (outer * inner == 0) return;
    std::string x = ctx.fresh("x"), y = ctx.fresh("y"), o = ctx.fresh("o"), i = ctx.fresh("i"),
                k = ctx.fresh("k"), best = ctx.fresh("best"), p = ctx.fresh("p");
    ctx.code() << "{\n  const auto* " << x << " = " << ctx.input(0) << ";\n  auto* " << y << " = "
               << ctx.output(0) << ";\n  for (std::int64_t " << o << " = 0; " << o << " < "
               << outer << "; ++" << o << ")\n    for (std::int64_t " << i << " = 0; " << i
               << " < " << inner << "; ++" << i << ") {\n      const auto* " << p << " = " << x
               << " + " << o << " * " << n * inner << " + " << i << ";\n      std::int64_t "
               << best << " = 0;\n      for (std::int64_t " << k << " = 1; " << k << " < " << n
               << "; ++" << k << ")\n        if (" << p << "[" << k << " * " << inner << "] "
               << (max_ ? ">" : "<") << " " << p << "[" << best << " * " << inner << "]) "
               << best << " = " << k << ";\n      " << y << "[" << o << " * " << inner << " + "
               << i << "] = " << best << ";\n    }\n}\n";
  }

 private:
  static int64_t axis(const ir::Node& node) {
    const Tensor& a = require_const(node, 1, "dimension");
    if (a.num_elements() != 1) fail("{}: dimension must be a scalar", node.describe());
    return normalize_axis(node, a.get_int(0),
                          static_cast<int64_t>(node.input_type(0).shape.size()));
  }
  static std::tuple<int64_t, int64_t, int64_t> split(const ir::Node& node) {
    const Shape& s = node.input_type(0).shape;
    int64_t a = axis(node), outer = 1, inner = 1;
    for (int64_t d = 0; d < a; ++d) outer *= s[d];
    for (size_t d = a + 1; d < s.size(); ++d) inner *= s[d];
    return {outer, s[a], inner};
  }
  const char* name_;
  bool max_;
};

}  // namespace

std::vector<const Op*> reduce_ops() {
  static const ReduceOp sum("Sum", R::Sum), mean("Mean", R::Mean), prod("Prod", R::Prod),
      max("Max", R::Max), min("Min", R::Min), all("All", R::All), any("Any", R::Any);
  static const ArgOp argmax("ArgMax", true), argmin("ArgMin", false);
  return {&sum, &mean, &prod, &max, &min, &all, &any, &argmax, &argmin};
}

}  // namespace tfaot::ops
