#include "ops/op_util.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tfaot::ops {

const std::initializer_list<DType> kFloatTypes = {DType::Float, DType::Double};
const std::initializer_list<DType> kNumberTypes = {
    DType::Float, DType::Double, DType::Int32,  DType::Int64,  DType::Int8,  DType::Int16,
    DType::UInt8, DType::UInt16, DType::UInt32, DType::UInt64};
const std::initializer_list<DType> kIndexTypes = {DType::Int32, DType::Int64};
const std::initializer_list<DType> kAllTypes = {
    DType::Float, DType::Double, DType::Int32,  DType::Int64,  DType::Int8,  DType::Int16,
    DType::UInt8, DType::UInt16, DType::UInt32, DType::UInt64, DType::Bool};

void check_num_inputs(const ir::Node& node, int n) {
  if (static_cast<int>(node.inputs.size()) != n)
    fail("{}: expects {} inputs, has {}", node.describe(), n, node.inputs.size());
}

void check_min_inputs(const ir::Node& node, int n) {
  if (static_cast<int>(node.inputs.size()) < n)
    fail("{}: expects at least {} inputs, has {}", node.describe(), n, node.inputs.size());
}

void check_dtype(const ir::Node& node, DType t, std::initializer_list<DType> allowed,
                 const char* what) {
  for (DType a : allowed)
    if (a == t) return;
  fail("{}: {} has unsupported dtype {}", node.describe(), what, dtype_name(t));
}

DType check_type_attr(const ir::Node& node, const char* attr, std::initializer_list<int> inputs,
                      std::initializer_list<DType> allowed) {
  DType t = node.has_attr(attr) ? node.attr_type(attr)
                                : (inputs.size() ? node.input_type(*inputs.begin()).dtype
                                                 : DType::Invalid);
  check_dtype(node, t, allowed, (std::string("attribute '") + attr + "'").c_str());
  for (int i : inputs) {
    DType it = node.input_type(i).dtype;
    if (it != t)
      fail("{}: input {} is {} but {} is {}", node.describe(), i, dtype_name(it), attr,
           dtype_name(t));
  }
  return t;
}

const Tensor& require_const(const ir::Node& node, int input, const char* operand) {
  const Tensor* t = node.const_input(input);
  if (!t)
    fail("{}: {} operand (input {}) must be a compile-time constant", node.describe(), operand,
         input);
  return *t;
}

void check_static_inputs(const ir::Node& node) {
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const auto& t = node.input_type(static_cast<int>(i));
    if (!t.is_static())
      fail("{}: input {} has no static shape ({})", node.describe(), i, t.str());
  }
}

std::vector<int64_t> row_major_strides(const Shape& shape) {
  std::vector<int64_t> s(shape.size());
  int64_t acc = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

Shape broadcast_shapes(const ir::Node& node, const Shape& a, const Shape& b) {
  size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da == db || db == 1) out[i] = da;
    else if (da == 1) out[i] = db;
    else
      fail("{}: incompatible shapes for broadcasting: {} and {}", node.describe(), shape_str(a),
           shape_str(b));
  }
  return out;
}

std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<int64_t> s(out.size(), 0);
  auto rs = row_major_strides(in);
  size_t off = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) s[off + i] = in[i] == 1 ? 0 : rs[i];
  return s;
}

int64_t normalize_axis(const ir::Node& node, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    fail("{}: axis {} is out of range for rank {}", node.describe(), axis, rank);
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> unravel(int64_t i, const Shape& shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] ? i % shape[d] : 0;
    if (shape[d]) i /= shape[d];
  }
  return idx;
}

LoopNest simplify(LoopNest nest) {
  LoopNest out;
  out.bases = nest.bases;
  out.strides.resize(nest.strides.size());
  for (size_t d = 0; d < nest.dims.size(); ++d) {
    if (nest.dims[d] == 1) continue;
    out.dims.push_back(nest.dims[d]);
    for (size_t k = 0; k < nest.strides.size(); ++k) out.strides[k].push_back(nest.strides[k][d]);
  }
  // Merge dim d-1 into d when every operand steps over d-1 exactly as a full run of d.
  for (size_t d = out.dims.size(); d-- > 1;) {
    bool mergeable = true;
    for (const auto& s : out.strides)
      if (s[d - 1] != s[d] * out.dims[d]) mergeable = false;
    if (!mergeable) continue;
    out.dims[d - 1] *= out.dims[d];
    out.dims.erase(out.dims.begin() + d);
    for (auto& s : out.strides) {
      s[d - 1] = s[d];
      s.erase(s.begin() + d);
    }
  }
  return out;
}

void emit_loops(EmitContext& ctx, const LoopNest& nest,
                const std::function<void(const std::vector<std::string>&)>& body) {
  for (int64_t d : nest.dims)
    if (d == 0) return;
  auto& os = ctx.code();
  std::vector<std::string> vars;
  std::string indent;
  for (size_t d = 0; d < nest.dims.size(); ++d) {
    vars.push_back(ctx.fresh("i"));
    os << indent << "for (std::int64_t " << vars[d] << " = 0; " << vars[d] << " < "
       << nest.dims[d] << "; ++" << vars[d] << ")\n";
    indent += "  ";
  }
  std::vector<std::string> idx;
  for (size_t k = 0; k < nest.strides.size(); ++k) {
    std::string e;
    int64_t base = k < nest.bases.size() ? nest.bases[k] : 0;
    if (base != 0) e = std::to_string(base);
    for (size_t d = 0; d < nest.dims.size(); ++d) {
      int64_t s = nest.strides[k][d];
      if (s == 0) continue;
      std::string term = s == 1 ? vars[d] : vars[d] + " * " + std::to_string(s);
      if (s < 0) term = vars[d] + " * (" + std::to_string(s) + ")";
      e = e.empty() ? term : e + " + " + term;
    }
    idx.push_back(e.empty() ? "0" : e);
  }
  os << indent << "{ ";
  body(idx);
  os << " }\n";
}

void emit_copy(EmitContext& ctx, const std::string& in, const std::string& out, const Shape& dims,
               int64_t in_base, const std::vector<int64_t>& in_strides, int64_t out_base,
               const std::vector<int64_t>& out_strides) {
  LoopNest nest = simplify({dims, {out_base, in_base}, {out_strides, in_strides}});
  emit_loops(ctx, nest, [&](const std::vector<std::string>& idx) {
    ctx.code() << out << "[" << idx[0] << "] = " << in << "[" << idx[1] << "];";
  });
}

std::string cpp_literal(DType t, double v) {
  switch (t) {
    case DType::Bool: return v != 0 ? "true" : "false";
    case DType::Float:
    case DType::Double: {
      std::string suffix = t == DType::Float ? "f" : "";
      std::string type = t == DType::Float ? "float" : "double";
      if (std::isnan(v)) return "std::numeric_limits<" + type + ">::quiet_NaN()";
      if (std::isinf(v))
        return std::string(v < 0 ? "-" : "") + "std::numeric_limits<" + type + ">::infinity()";
      return fmt::format("{:a}", t == DType::Float ? static_cast<double>(static_cast<float>(v)) : v) +
             suffix;
    }
    case DType::Int64: return fmt::format("std::int64_t({}LL)", static_cast<int64_t>(v));
    case DType::UInt64: return fmt::format("std::uint64_t({}ULL)", static_cast<uint64_t>(v));
    default: return fmt::format("{}({})", dtype_cpp(t), static_cast<int64_t>(v));
  }
}

}  // namespace tfaot::ops

namespace tfaot::ops {

void emit_broadcast_binary(EmitContext& ctx, const std::string& functor, const Shape& a,
                           const Shape& b, const Shape& out_shape) {
  auto& os = ctx.code();
  std::string pa = ctx.fresh("a"), pb = ctx.fresh("b"), po = ctx.fresh("o");
  os << "{\n  const auto* " << pa << " = " << ctx.input(0) << ";\n  const auto* " << pb << " = "
     << ctx.input(1) << ";\n  auto* " << po << " = " << ctx.output(0) << ";\n";
  LoopNest nest = simplify({out_shape,
                            {0, 0, 0},
                            {row_major_strides(out_shape), broadcast_strides(a, out_shape),
                             broadcast_strides(b, out_shape)}});
  emit_loops(ctx, nest, [&](const std::vector<std::string>& idx) {
    os << po << "[" << idx[0] << "] = " << functor << "(" << pa << "[" << idx[1] << "], " << pb
       << "[" << idx[2] << "]);";
  });
  os << "}\n";
}

void emit_unary_map(EmitContext& ctx, const std::string& functor, int64_t count) {
  if (count == 0) return;
  auto& os = ctx.code();
  std::string px = ctx.fresh("x"), py = ctx.fresh("y"), i = ctx.fresh("i");
  os << "{\n  const auto* " << px << " = " << ctx.input(0) << ";\n  auto* " << py << " = "
     << ctx.output(0) << ";\n  for (std::int64_t " << i << " = 0; " << i << " < " << count
     << "; ++" << i << ") " << py << "[" << i << "] = " << functor << "(" << px << "[" << i
     << "]);\n}\n";
}

}  // namespace tfaot::ops

namespace tfaot::ops {

Tensor strided_gather(const Tensor& in, const Shape& dims, int64_t base,
                      const std::vector<int64_t>& strides) {
  Tensor out(in.dtype(), dims);
  size_t es = dtype_size(in.dtype());
  for (int64_t i = 0; i < out.num_elements(); ++i) {
    auto idx = unravel(i, dims);
    int64_t src = base;
    for (size_t d = 0; d < idx.size(); ++d) src += idx[d] * strides[d];
    std::memcpy(out.raw() + i * es, in.raw() + src * es, es);
  }
  return out;
}

void emit_strided_gather(EmitContext& ctx, int input, int output, const Shape& dims,
                         int64_t base, const std::vector<int64_t>& strides) {
  if (num_elements(dims) == 0) return;
  std::string x = ctx.fresh("x"), y = ctx.fresh("y");
  ctx.code() << "{\n  const auto* " << x << " = " << ctx.input(input) << ";\n  auto* " << y
             << " = " << ctx.output(output) << ";\n";
  emit_copy(ctx, x, y, dims, base, strides, 0, row_major_strides(dims));
  ctx.code() << "}\n";
}

}  // namespace tfaot::ops
