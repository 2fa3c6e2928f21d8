// FuseConv: folds what follows a convolution into its epilogue. Matches, on float32 with
// static shapes,
//
//   Conv2D | DepthwiseConv2dNative (x, constant filter) -> [Squeeze | Reshape | ExpandDims]
//       -> epilogue chain (passes/fusion_util.h: BiasAdd / Add / Sub / Mul by per-channel
//          constants, inference FusedBatchNorm{,V2,V3}, then Relu | Relu6 | Tanh | Sigmoid)
//
// and replaces it with `_FusedConv2D` / `_FusedDepthwiseConv2dNative` (src/ops/fused_conv2d.cc;
// fused_ops [BiasAdd, activation]) whose filter carries the chain's per-channel scale and
// whose bias is its shift. The optional reshape between them is what Keras Conv1D emits
// (ExpandDims -> Conv2D -> Squeeze -> BiasAdd); any reshape that keeps the channels as the
// innermost dimension commutes with per-channel ops, so it moves after the fused node. A
// chain step is folded only when it is the sole use of the previous value (no other node,
// no signature output).
//
// Invariant afterwards: no such convolution is followed by a foldable chain step. Results
// change only by float rounding (folded filter and bias computed in double, rounded once).
// Nodes made unused are left for DeadCodeElimination.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class FuseConv final : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
