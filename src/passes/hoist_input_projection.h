// HoistInputProjection: the input projection of a recurrent layer (Keras LSTM/GRU/SimpleRNN)
// leaves the loop. In a While body,
//
//   MatMul(TensorListGetItem(xs, t, shape), W)     xs a loop-invariant list argument [T,B,K],
//                                                  W constant [K,N] (or [N,K], transpose_b)
//
// becomes TensorListGetItem(xws, t, -1), where xws = Reshape(MatMul(Reshape(xs, [T*B, K]), W),
// [T, B, N]) is computed once before the loop (one GEMM over all time steps, which FuseDense
// turns into the prepacked kernel) and enters it as a new loop-invariant variable (appended;
// the While gets one more output). TensorLists are dense [T, ...] tensors in tfaot, so the
// list itself is the tensor to reshape. Needs static outer types (runs after ShapeInference).
//
// Invariant afterwards: no such MatMul in a pristine While body; the loop computes the same
// values (row t of the big product is exactly the per-step product, up to summation order).
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class HoistInputProjection final : public Pass {
 public:
  std::string_view name() const override { return "hoist-input-projection"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
