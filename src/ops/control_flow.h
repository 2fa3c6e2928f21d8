// Functional loops (While/StatelessWhile) and their subgraphs.
//
// A loop node carries ir::Node::subgraphs = {cond, body} as built by the front end (pristine:
// Placeholder types are dtype only). Its infer() appends the specialized copies {cond', body'}
// (Placeholders typed from the loop's inputs, constant pass-through variables substituted,
// optimized with the registered subgraph optimizer) and re-derives them whenever the input
// types change; evaluate() and emit() use the specialized copies. Loop variables must keep
// their type across iterations.
#pragma once

#include <functional>
#include <memory>

#include "ir/graph.h"

namespace tfaot::ops {

// Optimizes a subgraph whose Placeholders are typed (passes::optimize). Registered by the
// pass pipeline; without one, subgraphs are only shape-inferred node by node.
void set_subgraph_optimizer(std::function<void(ir::Graph&)> optimizer);

// Indices into ir::Node::subgraphs of a loop node.
inline constexpr int kCond = 0, kBody = 1, kCondSpecialized = 2, kBodySpecialized = 3;

// The specialized cond/body of an inferred loop node (Error naming the node if not inferred).
const ir::Graph& loop_subgraph(const ir::Node& loop, int which);

// Attribute set on a TensorListReserve whose element shape is not static: its output type
// is a placeholder until the loop that fills it derives the shape from the items it sets.
inline constexpr const char* kUnresolvedListAttr = "_tfaot_unresolved_element_shape";
inline constexpr const char* kListElementShapeAttr = "_tfaot_element_shape";

}  // namespace tfaot::ops
