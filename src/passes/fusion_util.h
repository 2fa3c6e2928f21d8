// Matching helpers shared by the fusion passes (FuseDense, FuseConv): use counts, constant
// per-channel operands, and the epilogue chain after a GEMM-like node, i.e. per-channel
// affine ops and at most one activation:
//   [BiasAdd | Add | AddV2 | Sub (x - c) | Mul (x * c) | FusedBatchNorm{,V2,V3} (inference,
//    channels last)]* -> [Relu | Relu6 | Tanh | Sigmoid]
// with constant per-channel operands ([], [n], [1,n] or BiasAdd's [n]). Each step must be the
// only consumer of the previous one (no other node, no signature output, no control edge),
// float32 with the chain's static shape, so the whole chain is y = act(z * scale + shift).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace tfaot::passes {

// Output 0 of `n` is a float32 tensor with a static shape (and n has one output).
bool is_float_static(const ir::Node& n);

// A float32 constant usable as a per-channel operand of length `len` ([], [len], [1,len]);
// its values broadcast to `len`, or false.
bool column_vector(const Tensor* t, int64_t len, std::vector<double>& out);

// Users of every node's outputs, captured once; rebuild after rewiring the graph.
class UseInfo {
 public:
  explicit UseInfo(const ir::Graph& g);
  // The only consumer of `n` (uses it exactly once, not a signature output, no control
  // users), or nullptr.
  ir::Node* sole_user(const ir::Node* n) const;
  // Index of the non-constant operand of a binary node whose other operand is a Const, or -1.
  static int variable_operand(const ir::Node& n);

 private:
  std::map<const ir::Node*, std::vector<ir::Node*>> users_;
  std::map<ir::Value, bool> outputs_;
};

// The epilogue chain after `start` (see the top of this file) on `channels` innermost
// channels: y = act(z * scale + shift). `last` is the chain's final node (start itself when
// nothing matched).
struct Epilogue {
  ir::Node* last = nullptr;
  std::vector<double> scale, shift;
  std::string activation = "None";
  bool has_affine = false, has_scale = false;
};
Epilogue match_epilogue(const UseInfo& uses, ir::Node* start, int64_t channels);

}  // namespace tfaot::passes
