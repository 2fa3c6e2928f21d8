// RandomElimination: removes random values that cannot change a result. TF1 dropout computes
// `x / keep_prob * floor(keep_prob + RandomUniform[0,1))`; with keep_prob pinned to 1 the
// floor is exactly 1 whatever the random draw. The pass propagates the value interval of each
// RandomUniform through affine ops with constant scalar operands (Add/AddV2/Sub/Mul, evaluated
// at the interval ends in the node's float type, which is exact because these ops are
// monotonic under round-to-nearest) and replaces a Floor whose input interval lies within one
// integer step by that constant.
//
// Invariant afterwards: no Floor of such an interval remains. RandomUniforms that still reach
// an output are reported by optimize() as an Error naming them (tfaot does not generate
// random numbers in inference code).
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class RandomElimination final : public Pass {
 public:
  std::string_view name() const override { return "random-elimination"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
