// _FusedDense: tfaot-internal op made by passes/fuse_dense.h from MatMul(x, W) [+ BiasAdd(b)]
// [+ Relu/Relu6/Tanh/Sigmoid]: y = act(x W + b) with x float32 [M,K], W a float32 Const
// [K,N], b a float32 Const [N]. Attribute `activation`: None, Relu, Relu6, Tanh, Sigmoid.
// Generated code prepacks W into the panel layout of tfaot_kernels::gemm_packed (at compile
// time) and runs the register-blocked GEMM/GEMV with bias and activation in its epilogue.
// The reference accumulates in double; generated code accumulates in float (like TF's Eigen
// kernel) and evaluates tanh/sigmoid within 2 ulp.
#include "backend/gemm_packing.h"
#include "ops/fused_activation.h"
#include "ops/op_util.h"

namespace tfaot::ops {
namespace {

int activation_index(const ir::Node& node) {
  return fused_activation(node, node.attr_string("activation", "None"));
}

class FusedDenseOp final : public Op {
 public:
  std::string_view name() const override { return "_FusedDense"; }
  uint64_t flops(const ir::Node& node) const override {  // 2 M N K + bias + activation
    return elementwise_flops(node) * (2 * static_cast<uint64_t>(node.input_type(0).shape[1]) + 2);
  }

  void infer(ir::Node& node) const override {
    check_num_inputs(node, 3);
    check_static_inputs(node);
    check_type_attr(node, "T", {0, 1, 2}, {DType::Float});
    activation_index(node);
    const Shape& x = node.input_type(0).shape;
    const Shape& w = node.input_type(1).shape;
    const Shape& b = node.input_type(2).shape;
    if (x.size() != 2 || w.size() != 2 || b.size() != 1 || x[1] != w[0] || b[0] != w[1])
      fail("{}: expects x [M,K], weights [K,N], bias [N]; got {}, {}, {}", node.describe(),
           shape_str(x), shape_str(w), shape_str(b));
    require_const(node, 1, "weights");
    require_const(node, 2, "bias");
    node.outputs = {ir::TensorType{DType::Float, {x[0], w[1]}, true}};
  }

  std::vector<Tensor> evaluate(const ir::Node& node,
                               std::span<const Tensor* const> in) const override {
    const Tensor& x = *in[0];
    const Tensor& w = *in[1];
    const Tensor& b = *in[2];
    const int64_t m = x.shape()[0], k = x.shape()[1], n = w.shape()[1];
    const int act = activation_index(node);
    Tensor y(DType::Float, {m, n});
    const float* xd = x.data<float>();
    const float* wd = w.data<float>();
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = b.data<float>()[j];
        for (int64_t kk = 0; kk < k; ++kk) s += double(xd[i * k + kk]) * wd[kk * n + j];
        y.data<float>()[i * n + j] = static_cast<float>(fused_activate(act, s));
      }
    return {y};
  }

  void emit(const ir::Node& node, EmitContext& ctx) const override {
    const int64_t m = node.input_type(0).shape[0], k = node.input_type(0).shape[1];
    const int64_t n = node.input_type(1).shape[1];
    const int act = activation_index(node);
    if (m == 0 || n == 0) return;
    if (k == 0) {  // no products: y = act(b) on every row
      const std::string bias = ctx.input(2);
      const std::string i = ctx.fresh("i"), j = ctx.fresh("j");
      ctx.code() << "for (std::int64_t " << i << " = 0; " << i << " < " << m << "; ++" << i
                 << ")\n  for (std::int64_t " << j << " = 0; " << j << " < " << n << "; ++" << j
                 << ") " << ctx.output(0) << "[" << i << " * " << n << " + " << j << "] = " << bias
                 << "[" << j << "];\n";
      ctx.code() << "tfaot_kernels::gemm_activate<" << kFusedActivations[act].kernel << ">("
                 << ctx.output(0) << ", " << m * n << ");\n";
      return;
    }
    const backend::GemmPacking pk = backend::gemm_packing_for(ctx.targets());
    const Tensor* w = node.const_input(1);
    const Tensor* b = node.const_input(2);
    if (!w || !b) fail("internal error: {}: weights and bias must be constants", node.describe());
    const std::string packed = ctx.constant(backend::pack_gemm_weights(*w, false, pk.nr, pk.group));
    const std::string packed_bias = ctx.constant(backend::pack_gemm_bias(*b, pk.nr));
    ctx.code() << "tfaot_kernels::gemm_packed<" << m << ", " << n << ", " << k << ", " << pk.nr << ", "
               << kFusedActivations[act].kernel << ", " << pk.group << ">(" << ctx.input(0) << ", " << packed << ", "
               << packed_bias << ", " << ctx.output(0) << ");\n";
  }
};

}  // namespace

std::vector<const Op*> fused_dense_ops() {
  static const FusedDenseOp op;
  return {&op};
}

}  // namespace tfaot::ops
