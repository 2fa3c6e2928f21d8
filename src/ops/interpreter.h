// The reference interpreter: runs a whole graph with every op's evaluate(). It is the oracle
// for generated code (tests, tfaot-validate --reference) and what constant folding runs.
#pragma once

#include <map>
#include <vector>

#include "ir/graph.h"

namespace tfaot::ops {

// Runs `graph` on `inputs` (one per graph.inputs entry, in that order); returns one tensor per
// graph.outputs entry. Node types must be inferred (static). If `trace` is given, it receives
// every node output computed.
std::vector<Tensor> interpret(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                              std::map<ir::Value, Tensor>* trace = nullptr);

// Evaluates one node on the given input values (checks the op exists and output count).
std::vector<Tensor> evaluate_node(const ir::Node& node, const std::vector<const Tensor*>& inputs);

}  // namespace tfaot::ops
