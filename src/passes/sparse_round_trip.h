// SparseRoundTrip: removes the dense -> sparse -> dense round trip that feature columns build
// around a dense input x (tf.feature_column's to_sparse_input + SparseToDense):
//
//   mask    = NotEqual(x, ignore)                 ignore: a scalar constant (maybe Cast)
//   indices = Where(mask)                          [K, rank], K known only at run time
//   values  = f(GatherNd(x, indices))              f: elementwise chain (Identity, Cast,
//                                                  _TableFind on keys) with constant side inputs
//   dense   = SparseToDense(indices, Shape(x), values, default)
//
// is dense = SelectV2(mask, f(x), default): Where lists the set positions in row-major order,
// so every position gets f of its own element or the default. Where has a data-dependent
// output shape, which static shapes cannot carry; after this pass the graph has none.
//
// Invariant afterwards: no SparseToDense of this form remains (the Where/GatherNd/Shape nodes
// are left for DCE). A Where that is left over is reported by its infer at compile time.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class SparseRoundTrip final : public Pass {
 public:
  std::string_view name() const override { return "sparse-round-trip"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
