// The optimization pipeline between the front end and the back end.
#pragma once

#include <map>
#include <string>

#include "ir/graph.h"

namespace tfaot::passes {

struct SpecializeOptions {
  int64_t batch_size = 1;
  // Full input shapes by signature key; -1 in them stands for the batch size. Overrides the
  // declared shape (needed for unknown inner dims, unknown ranks, frozen-graph inputs).
  std::map<std::string, Shape> input_shapes;
};

// Makes every signature input static: the declared leading -1 becomes the batch size, any
// other unknown dim (or unknown rank) is an Error naming the input unless input_shapes gives
// it. Sets the Placeholder output types.
void specialize(ir::Graph& graph, const SpecializeOptions& options);

// Resolves conditionals whose predicate is a constant (pinned), in the graph and, recursively,
// in the pristine subgraphs of its loops and conditionals after substituting the constants
// they receive (SubgraphConstants): TF1 Switch/Merge, functional If/Case. Dead branches are
// removed. The first step of optimize().
void resolve_constant_control_flow(ir::Graph& graph);

// Shape/dtype inference, constant folding, dead-code and common-subexpression elimination to
// a fixpoint. Afterwards every node has static output types and a supported op, or an Error
// was thrown naming the first unsupported/invalid node.
void optimize(ir::Graph& graph);

// Op types of the graph that have no implementation, with the nodes using them (tfaot-check).
std::map<std::string, std::vector<std::string>> unsupported_ops(const ir::Graph& graph);

}  // namespace tfaot::passes
