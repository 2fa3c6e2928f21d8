// FuseTextVectorization: replaces the string pipeline of a Keras TextVectorization layer
// (output_mode "int", output_sequence_length L) by one _TextVectorize node
// (ops/text_vectorize.cc) with the static shape [N, L]:
//
//   s      = standardize(x)          Identity / Squeeze / Reshape / ExpandDims, StringLower
//                                    (encoding ""), StaticRegexReplace (one-byte pattern,
//                                    ops/byte_pattern.h; literal rewrite; global)
//   split  = StringSplitV2(s, "")    whitespace tokens; maxsplit -1
//   ids    = _TableFind(split.values, default, keys, values)   (Identity links allowed)
//   splits = RaggedFromValueRowIds:  ConcatV2([0], Cumsum((Dense)Bincount(split.indices[:, 0],
//            size = Minimum(nrows, Maximum(nrows, _)), weights = [])))  nrows = split.shape[0]
//   dense  = RaggedTensorToTensor(shape, ids, pad, splits)   ROW_SPLITS
//
// and then either the shape constant fixes the width ([_, L], L >= 0: TF truncates and pads
// to L), or the width is unknown and Keras (TF 2.3) pads or slices to L itself:
//
//   w = StridedSlice(Shape(dense))[1]
//   If(Less(w, L), Sub(L, w), dense)   then: Pad(dense, Pack([0, 0], Pack(0, L - w)))
//                                      else: StridedSlice(dense)[:, 0:L]
//
// which equals the first L ids of every row, padded with pad when pad == 0 (Pad's value).
// Uses of the fixed-width RaggedTensorToTensor, or of the If, read the fused node instead;
// DCE drops the rest. Any RaggedTensorToTensor that does not match is a compile-time error
// naming it and the first condition that failed (no other way exists to compile it).
//
// Runs on untyped graphs (before shape inference), matching the graph structure only.
#pragma once

#include "passes/pass.h"

namespace tfaot::passes {

class FuseTextVectorization final : public Pass {
 public:
  std::string_view name() const override { return "fuse-text-vectorization"; }
  bool run(ir::Graph& graph) override;
};

}  // namespace tfaot::passes
