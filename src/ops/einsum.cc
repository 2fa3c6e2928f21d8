// Einsum with one or two operands: explicit ("abc,cd->abd") and implicit ("ij,jk") equations,
// repeated labels within an operand (diagonals), labels summed away, and "..." with numpy
// broadcasting of the ellipsis dims. Named labels must have equal sizes everywhere.
// Generated code maps the contraction onto one strided batched matrix product: labels in both
// operands and the output are batch dims, labels of one operand and the output are the matrix
// rows / columns, the others are contracted. An operand (or the output) whose label groups do
// not collapse to single strides is first copied into a [batch, rows, contracted] temp buffer.
#include <algorithm>
#include <optional>

#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

// Labels are ints: letters by their character code, ellipsis dims as -E..-1 (right-aligned).
struct EinsumPlan {
  std::vector<int> labels;                    // distinct labels
  std::vector<int64_t> dim;                   // per label
  std::vector<std::vector<int64_t>> stride;   // per input, per label (0 if absent/broadcast)
  std::vector<std::vector<bool>> present;     // per input, per label (with size > 1 there)
  std::vector<int64_t> out_stride;            // per label (0 if not in the output)
  std::vector<int> out;                       // output label indices in order
  Shape out_shape;
};

std::vector<int> parse_subscripts(const ir::Node& node, const std::string& s, int64_t rank,
                                  bool is_output, int64_t ellipsis_rank) {
  std::vector<int> letters;
  bool ellipsis = false;
  size_t ellipsis_at = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "...") == 0) {
      if (ellipsis) fail("{}: equation has more than one '...' in '{}'", node.describe(), s);
      ellipsis = true;
      ellipsis_at = letters.size();
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(s[i]))) {
      letters.push_back(s[i]);
    } else {
      fail("{}: invalid character '{}' in einsum subscripts '{}'", node.describe(), s[i], s);
    }
  }
  int64_t e = is_output ? (ellipsis ? ellipsis_rank : 0)
                        : rank - static_cast<int64_t>(letters.size());
  if (!is_output && (e < 0 || (!ellipsis && e != 0)))
    fail("{}: subscripts '{}' do not match the operand rank {}", node.describe(), s, rank);
  std::vector<int> out(letters.begin(), letters.begin() + ellipsis_at);
  for (int64_t i = e; i > 0; --i) out.push_back(static_cast<int>(-i));
  out.insert(out.end(), letters.begin() + ellipsis_at, letters.end());
  return out;
}

EinsumPlan einsum_plan(const ir::Node& node, const std::vector<Shape>& shapes) {
  std::string eq;
  for (char ch : node.attr_string("equation"))
    if (ch != ' ') eq += ch;
  size_t arrow = eq.find("->");
  std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> subs;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    subs.push_back(lhs.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (subs.size() != shapes.size())
    fail("{}: equation '{}' has {} operands but the node has {} inputs", node.describe(), eq,
         subs.size(), shapes.size());
  if (shapes.size() > 2)
    fail("{}: einsum with {} operands is not supported (1 or 2)", node.describe(), shapes.size());
  EinsumPlan p;
  std::vector<std::vector<int>> in_labels;
  int64_t ellipsis_rank = 0;
  auto index_of = [&](int l) {
    auto it = std::find(p.labels.begin(), p.labels.end(), l);
    if (it != p.labels.end()) return static_cast<size_t>(it - p.labels.begin());
    p.labels.push_back(l);
    p.dim.push_back(1);
    return p.labels.size() - 1;
  };
  for (size_t i = 0; i < subs.size(); ++i) {
    in_labels.push_back(
        parse_subscripts(node, subs[i], static_cast<int64_t>(shapes[i].size()), false, 0));
    for (int l : in_labels[i]) ellipsis_rank = std::max<int64_t>(ellipsis_rank, l < 0 ? -l : 0);
  }
  // Sizes: named labels must agree; ellipsis dims broadcast (1 stretches).
  std::vector<bool> sized;
  for (size_t i = 0; i < subs.size(); ++i)
    for (size_t d = 0; d < in_labels[i].size(); ++d) {
      int l = in_labels[i][d];
      size_t li = index_of(l);
      sized.resize(p.labels.size(), false);
      int64_t n = shapes[i][d];
      int64_t& cur = p.dim[li];
      if (!sized[li]) {
        cur = n;
        sized[li] = true;
      } else if (cur != n) {
        if (l < 0 && (cur == 1 || n == 1)) cur = std::max(cur, n);
        else
          fail("{}: label '{}' has sizes {} and {} in equation '{}'", node.describe(),
               l < 0 ? '.' : static_cast<char>(l), cur, n, eq);
      }
    }
  std::vector<int> out_labels;
  if (arrow != std::string::npos) {
    out_labels = parse_subscripts(node, eq.substr(arrow + 2), 0, true, ellipsis_rank);
  } else {
    for (int64_t i = ellipsis_rank; i > 0; --i) out_labels.push_back(static_cast<int>(-i));
    std::vector<int> once;
    for (int l : p.labels) {
      if (l < 0) continue;
      int count = 0;
      for (const auto& v : in_labels) count += static_cast<int>(std::count(v.begin(), v.end(), l));
      if (count == 1) once.push_back(l);
    }
    std::sort(once.begin(), once.end());
    out_labels.insert(out_labels.end(), once.begin(), once.end());
  }
  size_t nl = p.labels.size();
  p.stride.assign(subs.size(), std::vector<int64_t>(nl, 0));
  p.present.assign(subs.size(), std::vector<bool>(nl, false));
  for (size_t i = 0; i < subs.size(); ++i) {
    auto rs = row_major_strides(shapes[i]);
    for (size_t d = 0; d < in_labels[i].size(); ++d) {
      size_t li = index_of(in_labels[i][d]);
      if (shapes[i][d] == 1 && p.dim[li] != 1) continue;  // broadcast: stride 0
      p.stride[i][li] += rs[d];
      p.present[i][li] = p.dim[li] > 1;
    }
  }
  for (int l : out_labels) {
    auto it = std::find(p.labels.begin(), p.labels.end(), l);
    if (it == p.labels.end())
      fail("{}: output label '{}' of equation '{}' is in no operand", node.describe(),
           static_cast<char>(l), eq);
    int li = static_cast<int>(it - p.labels.begin());
    if (std::find(p.out.begin(), p.out.end(), li) != p.out.end())
      fail("{}: output label '{}' repeats in equation '{}'", node.describe(),
           static_cast<char>(l), eq);
    p.out.push_back(li);
    p.out_shape.push_back(p.dim[li]);
  }
  p.out_stride.assign(nl, 0);
  auto ors = row_major_strides(p.out_shape);
  for (size_t d = 0; d < p.out.size(); ++d) p.out_stride[p.out[d]] = ors[d];
  return p;
}

// The stride of a group of labels viewed as one dim, if they are nested row-major in `s`.
std::optional<int64_t> collapse(const std::vector<int>& group, const std::vector<int64_t>& dim,
                                const std::vector<int64_t>& s) {
  if (group.empty()) return 0;
  for (size_t i = 0; i + 1 < group.size(); ++i)
    if (s[group[i]] != s[group[i + 1]] * dim[group[i + 1]]) return std::nullopt;
  return s[group.back()];
}

class EinsumOp final : public Op {
 public:
  std::string_view name() const override { return "Einsum"; }
  // One multiply per extra operand and one add for every point of the full label space.
  uint64_t flops(const ir::Node& node) const override {
    std::vector<Shape> shapes;
    for (size_t i = 0; i < node.inputs.size(); ++i) shapes.push_back(node.input_type(static_cast<int>(i)).shape);
    auto p = einsum_plan(node, shapes);
    return static_cast<uint64_t>(num_elements(p.dim)) * std::max<uint64_t>(1, node.inputs.size());
  }

  void infer(ir::Node& node) const override {
    check_min_inputs(node, 1);
    check_static_inputs(node);
    std::vector<int> all;
    std::vector<Shape> shapes;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      all.push_back(static_cast<int>(i));
      shapes.push_back(node.input_type(static_cast<int>(i)).shape);
    }
    DType t = node.attr_type("T", node.input_type(0).dtype);
    check_dtype(node, t, {DType::Float, DType::Double, DType::Int32, DType::Int64},
                "attribute 'T'");
    for (size_t i = 0; i < node.inputs.size(); ++i)
      if (node.input_type(static_cast<int>(i)).dtype != t)
        fail("{}: input {} is {} but T is {}", node.describe(), i,
             dtype_name(node.input_type(static_cast<int>(i)).dtype), dtype_name(t));
    auto p = einsum_plan(node, shapes);
    node.outputs = {ir::TensorType{t, p.out_shape, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    std::vector<Shape> shapes;
    std::vector<std::vector<double>> vals;
    for (const Tensor* t : in) {
      shapes.push_back(t->shape());
      vals.push_back(nn::to_doubles(*t));
    }
    auto p = einsum_plan(node, shapes);
    std::vector<double> out(static_cast<size_t>(num_elements(p.out_shape)), 0.0);
    Shape all_dims = p.dim;
    int64_t total = num_elements(all_dims);
    for (int64_t flat = 0; flat < total; ++flat) {
      auto idx = unravel(flat, all_dims);
      double prod = 1;
      for (size_t i = 0; i < vals.size(); ++i) {
        int64_t off = 0;
        for (size_t l = 0; l < idx.size(); ++l) off += idx[l] * p.stride[i][l];
        prod *= vals[i][off];
      }
      int64_t o = 0;
      for (size_t l = 0; l < idx.size(); ++l) o += idx[l] * p.out_stride[l];
      out[o] += prod;
    }
    return {nn::from_doubles(in[0]->dtype(), p.out_shape, out)};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    std::vector<Shape> shapes;
    for (size_t i = 0; i < node.inputs.size(); ++i)
      shapes.push_back(node.input_type(static_cast<int>(i)).shape);
    auto p = einsum_plan(node, shapes);
    DType t = node.output_type(0).dtype;
    if (num_elements(p.out_shape) == 0) return;
    bool unary = shapes.size() == 1;
    std::vector<int64_t> sa = p.stride[0];
    std::vector<int64_t> sb = unary ? std::vector<int64_t>(p.labels.size(), 0) : p.stride[1];
    std::vector<int64_t> so = p.out_stride;
    std::string a = ctx.input(0);
    std::string b = unary ? ctx.constant(nn::from_doubles(t, {1}, {1.0})) : ctx.input(1);
    std::string c = ctx.output(0);
    // Label groups (labels of size 1 play no part).
    std::vector<int> batch, rows, cols, red;
    for (int li : p.out) {
      if (p.dim[li] == 1) continue;
      bool ia = p.present[0][li], ib = !unary && p.present[1][li];
      if (ia && ib) batch.push_back(li);
      else if (ia) rows.push_back(li);
      else if (ib) cols.push_back(li);
      else batch.push_back(li);  // broadcast-only dim: both operands read it with stride 0
    }
    for (size_t li = 0; li < p.labels.size(); ++li)
      if (p.dim[li] != 1 && p.out_stride[li] == 0 &&
          std::find(p.out.begin(), p.out.end(), int(li)) == p.out.end())
        red.push_back(static_cast<int>(li));
    auto concat = [](std::initializer_list<const std::vector<int>*> gs) {
      std::vector<int> v;
      for (auto* g : gs) v.insert(v.end(), g->begin(), g->end());
      return v;
    };
    // Copies operand/output data between `strides` and a row-major buffer over `labels`.
    auto gather = [&](const std::string& src, std::vector<int64_t>& strides,
                      const std::vector<int>& labels) {
      Shape dims;
      for (int l : labels) dims.push_back(p.dim[l]);
      std::string tmp = ctx.temp_buffer(t, num_elements(dims));
      auto rs = row_major_strides(dims);
      std::vector<int64_t> from;
      for (int l : labels) from.push_back(strides[l]);
      emit_copy(ctx, src, tmp, dims, 0, from, 0, rs);
      std::fill(strides.begin(), strides.end(), 0);
      for (size_t i = 0; i < labels.size(); ++i) strides[labels[i]] = rs[i];
      return tmp;
    };
    if (!collapse(rows, p.dim, sa) || !collapse(red, p.dim, sa))
      a = gather(a, sa, concat({&batch, &rows, &red}));
    if (!collapse(red, p.dim, sb) || !collapse(cols, p.dim, sb))
      b = gather(b, sb, concat({&batch, &red, &cols}));
    std::vector<int64_t> so_final = so;
    std::string c_final = c;
    bool scatter = !collapse(rows, p.dim, so) || !collapse(cols, p.dim, so);
    if (scatter) {
      Shape dims;
      auto labels = concat({&batch, &rows, &cols});
      for (int l : labels) dims.push_back(p.dim[l]);
      c = ctx.temp_buffer(t, num_elements(dims));
      auto rs = row_major_strides(dims);
      std::fill(so.begin(), so.end(), 0);
      for (size_t i = 0; i < labels.size(); ++i) so[labels[i]] = rs[i];
    }
    auto prod = [&](const std::vector<int>& g) {
      int64_t n = 1;
      for (int l : g) n *= p.dim[l];
      return n;
    };
    nn::GemmCall g;
    g.m = prod(rows), g.n = prod(cols), g.k = prod(red);
    g.am = *collapse(rows, p.dim, sa), g.ak = *collapse(red, p.dim, sa);
    g.bk = *collapse(red, p.dim, sb), g.bn = *collapse(cols, p.dim, sb);
    g.cm = *collapse(rows, p.dim, so), g.cn = *collapse(cols, p.dim, so);
    Shape bdims;
    for (int l : batch) bdims.push_back(p.dim[l]);
    for (int64_t q = 0; q < num_elements(bdims); ++q) {
      auto idx = unravel(q, bdims);
      int64_t oa = 0, ob = 0, oc = 0;
      for (size_t i = 0; i < batch.size(); ++i) {
        oa += idx[i] * sa[batch[i]];
        ob += idx[i] * sb[batch[i]];
        oc += idx[i] * so[batch[i]];
      }
      g.a_off.push_back(oa);
      g.b_off.push_back(ob);
      g.c_off.push_back(oc);
    }
    nn::emit_gemm(ctx, g, a, b, c);
    if (scatter) {
      auto labels = concat({&batch, &rows, &cols});
      Shape dims;
      std::vector<int64_t> from, to;
      for (int l : labels) {
        dims.push_back(p.dim[l]);
        from.push_back(so[l]);
        to.push_back(so_final[l]);
      }
      emit_copy(ctx, c, c_final, dims, 0, from, 0, to);
    }
  }
};

}  // namespace

std::vector<const Op*> einsum_ops() {
  static const EinsumOp op;
  return {&op};
}

}  // namespace tfaot::ops
