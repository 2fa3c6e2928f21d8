// MatMul: C = op(A) op(B) on rank-2 tensors, op = transpose when transpose_a / transpose_b.
// Reference accumulates in double (floats) or wrapping int64 (ints), then rounds; generated
// code accumulates in the element type (like TF's Eigen kernel), so float results agree to
// about K ulp of the sum of |a||b| terms.
#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

struct Dims {
  int64_t m, n, k;
};

Dims matmul_dims(const ir::Node& node, const Shape& a, const Shape& b, bool ta, bool tb) {
  int64_t m = ta ? a[1] : a[0], ka = ta ? a[0] : a[1];
  int64_t kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
  if (ka != kb)
    fail("{}: inner dimensions differ: a {}{} vs b {}{}", node.describe(), shape_str(a),
         ta ? " (transposed)" : "", shape_str(b), tb ? " (transposed)" : "");
  return {m, n, ka};
}

class MatMulOp final : public Op {
 public:
  std::string_view name() const override { return "MatMul"; }
  uint64_t flops(const ir::Node& node) const override {  // 2 M N K
    const Shape& a = node.input_type(0).shape;
    return 2 * elementwise_flops(node) * static_cast<uint64_t>(a[node.attr_bool("transpose_a", false) ? 0 : 1]);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 2);
    check_static_inputs(node);
    check_type_attr(node, "T", {0, 1},
                    {DType::Float, DType::Double, DType::Int32, DType::Int64});
    const Shape& a = node.input_type(0).shape;
    const Shape& b = node.input_type(1).shape;
    if (a.size() != 2 || b.size() != 2)
      fail("{}: operands must be matrices, got {} and {}", node.describe(), shape_str(a),
           shape_str(b));
    auto d = matmul_dims(node, a, b, node.attr_bool("transpose_a", false),
                         node.attr_bool("transpose_b", false));
    node.outputs = {ir::TensorType{node.input_type(0).dtype, {d.m, d.n}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& a = *in[0];
    const Tensor& b = *in[1];
    bool ta = node.attr_bool("transpose_a", false), tb = node.attr_bool("transpose_b", false);
    auto d = matmul_dims(node, a.shape(), b.shape(), ta, tb);
    Tensor c(a.dtype(), {d.m, d.n});
    bool is_float = dtype_is_float(a.dtype());
    for (int64_t i = 0; i < d.m; ++i)
      for (int64_t j = 0; j < d.n; ++j) {
        double accf = 0;
        uint64_t acci = 0;
        for (int64_t k = 0; k < d.k; ++k) {
          int64_t ia = ta ? k * d.m + i : i * d.k + k;
          int64_t ib = tb ? j * d.k + k : k * d.n + j;
          if (is_float) accf += a.get_double(ia) * b.get_double(ib);
          else acci += uint64_t(a.get_int(ia)) * uint64_t(b.get_int(ib));
        }
        if (is_float) c.set_double(i * d.n + j, accf);
        else if (a.dtype() == DType::Int32) c.data<int32_t>()[i * d.n + j] = int32_t(acci);
        else c.data<int64_t>()[i * d.n + j] = int64_t(acci);
      }
    return {c};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    bool ta = node.attr_bool("transpose_a", false), tb = node.attr_bool("transpose_b", false);
    auto d = matmul_dims(node, node.input_type(0).shape, node.input_type(1).shape, ta, tb);
    const char* tbool[] = {"false", "true"};
    ctx.code() << "tfaot_kernels::matmul<" << d.m << ", " << d.n << ", " << d.k << ", "
               << tbool[ta] << ", " << tbool[tb] << ">(" << ctx.input(0) << ", " << ctx.input(1)
               << ", " << ctx.output(0) << ");\n";
  }
};

}  // namespace

std::vector<const Op*> matmul_ops() {
  static const MatMulOp op;
  return {&op};
}

}  // namespace tfaot::ops
