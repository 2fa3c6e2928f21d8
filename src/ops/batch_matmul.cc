// BatchMatMul, BatchMatMulV2, BatchMatMulV3: out[..., M, N] = adj(x)[..., M, K] adj(y)[..., K, N]
// over leading batch dims (adj = transpose for real types when adj_x / adj_y). V1 needs equal
// batch dims; V2/V3 broadcast them numpy-style (ranks may differ, each operand rank >= 2). V3
// has Ta, Tb, Tout; tfaot supports Ta == Tb == Tout. Reference accumulates in double (floats)
// or wrapping 64-bit integers; generated code in the element type.
#include "ops/nn_util.h"

namespace tfaot::ops {
namespace {

struct BmmShape {
  int64_t m, n, k;
  Shape batch;                        // broadcast batch dims of the output
  std::vector<int64_t> x_bs, y_bs;    // batch strides (elements) of x and y, 0 on broadcast
};

BmmShape bmm_shape(const ir::Node& node, const Shape& x, const Shape& y) {
  if (x.size() < 2 || y.size() < 2)
    fail("{}: operands must have rank >= 2, got {} and {}", node.describe(), shape_str(x),
         shape_str(y));
  bool adj_x = node.attr_bool("adj_x", false), adj_y = node.attr_bool("adj_y", false);
  size_t rx = x.size(), ry = y.size();
  BmmShape s;
  s.m = adj_x ? x[rx - 1] : x[rx - 2];
  s.k = adj_x ? x[rx - 2] : x[rx - 1];
  int64_t ky = adj_y ? y[ry - 1] : y[ry - 2];
  s.n = adj_y ? y[ry - 2] : y[ry - 1];
  if (s.k != ky)
    fail("{}: contracted dimensions differ: x {}{} vs y {}{}", node.describe(), shape_str(x),
         adj_x ? " (adjoint)" : "", shape_str(y), adj_y ? " (adjoint)" : "");
  Shape xb(x.begin(), x.end() - 2), yb(y.begin(), y.end() - 2);
  if (node.op == "BatchMatMul" && xb != yb)
    fail("{}: batch dimensions must be equal (BatchMatMul does not broadcast): {} vs {}",
         node.describe(), shape_str(x), shape_str(y));
  s.batch = broadcast_shapes(node, xb, yb);
  auto strides = [&](const Shape& b, int64_t matrix) {
    auto st = broadcast_strides(b, s.batch);
    for (auto& v : st) v *= matrix;
    return st;
  };
  s.x_bs = strides(xb, x[rx - 1] * x[rx - 2]);
  s.y_bs = strides(yb, y[ry - 1] * y[ry - 2]);
  return s;
}

// Batch offsets of x and y for every output batch entry (row-major).
void batch_offsets(const BmmShape& s, std::vector<int64_t>& xo, std::vector<int64_t>& yo) {
  int64_t count = num_elements(s.batch);
  for (int64_t p = 0; p < count; ++p) {
    auto idx = unravel(p, s.batch);
    int64_t a = 0, b = 0;
    for (size_t d = 0; d < idx.size(); ++d) {
      a += idx[d] * s.x_bs[d];
      b += idx[d] * s.y_bs[d];
    }
    xo.push_back(a);
    yo.push_back(b);
  }
}

class BatchMatMulOp final : public Op {
 public:
  explicit BatchMatMulOp(const char* name) : name_(name) {}
  std::string_view name() const override { return name_; }
  uint64_t flops(const ir::Node& node) const override {  // 2 K per output element
    auto s = bmm_shape(node, node.input_type(0).shape, node.input_type(1).shape);
    return 2 * elementwise_flops(node) * static_cast<uint64_t>(s.k);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    const std::initializer_list<DType> types = {DType::Float, DType::Double, DType::Int32,
                                                DType::Int64};
    DType t;
    if (node.op == "BatchMatMulV3") {
      t = check_type_attr(node, "Ta", {0}, types);
      DType tb = check_type_attr(node, "Tb", {1}, types);
      DType tout = node.attr_type("Tout", t);
      if (tb != t || tout != t)
        fail("{}: mixed types Ta={} Tb={} Tout={} are not supported (they must be equal)",
             node.describe(), dtype_name(t), dtype_name(tb), dtype_name(tout));
    } else {
      t = check_type_attr(node, "T", {0, 1}, types);
    }
    auto s = bmm_shape(node, node.input_type(0).shape, node.input_type(1).shape);
    Shape out = s.batch;
    out.push_back(s.m);
    out.push_back(s.n);
    node.outputs = {ir::TensorType{t, out, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[0];
    const Tensor& y = *in[1];
    auto s = bmm_shape(node, x.shape(), y.shape());
    bool adj_x = node.attr_bool("adj_x", false), adj_y = node.attr_bool("adj_y", false);
    std::vector<int64_t> xo, yo;
    batch_offsets(s, xo, yo);
    Shape out_shape = s.batch;
    out_shape.push_back(s.m);
    out_shape.push_back(s.n);
    Tensor out(x.dtype(), out_shape);
    bool is_float = dtype_is_float(x.dtype());
    for (size_t p = 0; p < xo.size(); ++p)
      for (int64_t i = 0; i < s.m; ++i)
        for (int64_t j = 0; j < s.n; ++j) {
          double accf = 0;
          uint64_t acci = 0;
          for (int64_t k = 0; k < s.k; ++k) {
            int64_t ix = xo[p] + (adj_x ? k * s.m + i : i * s.k + k);
            int64_t iy = yo[p] + (adj_y ? j * s.k + k : k * s.n + j);
            if (is_float) accf += x.get_double(ix) * y.get_double(iy);
            else acci += uint64_t(x.get_int(ix)) * uint64_t(y.get_int(iy));
          }
          int64_t o = (int64_t(p) * s.m + i) * s.n + j;
          if (is_float) out.set_double(o, accf);
          else if (x.dtype() == DType::Int32) out.data<int32_t>()[o] = int32_t(uint32_t(acci));
          else out.data<int64_t>()[o] = int64_t(acci);
        }
    return {out};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    auto s = bmm_shape(node, node.input_type(0).shape, node.input_type(1).shape);
    bool adj_x = node.attr_bool("adj_x", false), adj_y = node.attr_bool("adj_y", false);
    nn::GemmCall g;
    g.m = s.m, g.n = s.n, g.k = s.k;
    g.am = adj_x ? 1 : s.k;
    g.ak = adj_x ? s.m : 1;
    g.bk = adj_y ? 1 : s.n;
    g.bn = adj_y ? s.k : 1;
    g.cm = s.n, g.cn = 1;
    batch_offsets(s, g.a_off, g.b_off);
    for (size_t p = 0; p < g.a_off.size(); ++p) g.c_off.push_back(int64_t(p) * s.m * s.n);
    nn::emit_gemm(ctx, g, ctx.input(0), ctx.input(1), ctx.output(0));
  }

 private:
  const char* name_;
};

}  // namespace

std::vector<const Op*> batch_matmul_ops() {
  static const BatchMatMulOp v1("BatchMatMul"), v2("BatchMatMulV2"), v3("BatchMatMulV3");
  return {&v1, &v2, &v3};
}

}  // namespace tfaot::ops
