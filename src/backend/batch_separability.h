// Batch separability: may a model evaluated on N batch rows be computed block by block, each
// block of rows by the code compiled for that block's size? (The dynamic-batch entry of
// docs/generated-code.md relies on it.)
//
// The proof works on the same model specialized and optimized at two batch sizes na != nb
// (both > 1). It holds when
//   - both graphs have the same nodes (name, op, inputs): the program does not depend on N;
//   - every value either has the same type at both sizes (batch-independent) or differs only
//     in a leading dim equal to the batch size (batched); every signature input and output is
//     batched;
//   - constants are equal at both sizes, except shape operands (Reshape's shape, ...) and
//     batched constants whose rows are all identical (a folded Fill);
//   - every node touching a batched value is row-independent along axis 0 (per-op rule in
//     row_independence.cc): output row r depends only on row r of its batched inputs, and a
//     node with a batched input has only batched outputs (nothing reduces over the batch).
// Then output row r of the model depends only on input row r, with the same function at every
// batch size, so any split of the rows gives the same results as one call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ir/graph.h"

namespace tfaot::backend {

struct Separability {
  bool separable = false;
  std::string reason;  // why not (names the node), empty when separable
};

Separability check_batch_separable(const ir::Graph& a, int64_t na, const ir::Graph& b, int64_t nb);

// Per-op rule (row_independence.cc): empty if `node`, whose values marked by `batched` carry
// the batch in their leading dim, computes output row r from row r of its batched inputs
// only; else the reason.
std::string row_independent(const ir::Node& node, const std::function<bool(const ir::Value&)>& batched);

// True if input `i` of `node` is a shape operand that may legitimately differ between batch
// sizes (Reshape's shape, Fill's dims, ...); row_independent() checks how it is used.
bool is_shape_operand(const ir::Node& node, int i);

}  // namespace tfaot::backend
