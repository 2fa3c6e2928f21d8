// FuseDense: turns Keras Dense layers into one `_FusedDense` node (src/ops/fused_dense.cc)
// that the back end runs as a prepacked, register-blocked GEMM with bias and activation in
// its epilogue. Matches, on float32 with static shapes,
//
//   [Mul(z, s)] -> [Add/AddV2(., t)] -> MatMul(x, W) -> epilogue chain
//
// where W (rank 2, transpose_a = false, any transpose_b) and s, t are Consts; s, t have
// shape [], [K] or [1,K] (the decomposed inference BatchNorm Keras emits before a Dense,
// x*scale + shift), and the epilogue chain is passes/fusion_util.h's: per-column bias /
// scale / batch norm, then Relu | Relu6 | Tanh | Sigmoid. Optional parts are folded only when
// their result has no other use (no other node, no signature output). The preceding
// scale/shift fold into the weights: (z*s + t) W + b = z (diag(s) W) + (t W + b); the
// epilogue's per-column scale a and shift c into (W diag(a), b a + c).
//
// Invariant afterwards: no float32 MatMul with a constant 2-D right operand and a
// non-transposed left operand remains. Results change only by float rounding: the folded
// weights and bias are computed in double and rounded to float32 once.
// Nodes made unused are left for DeadCodeElimination.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class FuseDense final : public Pass {
 public:
  std::string_view name() const override { return "fuse-dense"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
