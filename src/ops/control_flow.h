// Functional control flow (While/StatelessWhile loops, If/StatelessIf/Case/StatelessCase
// conditionals) and their subgraphs.
//
// A loop node carries ir::Node::subgraphs = {cond, body} as built by the front end (pristine:
// Placeholder types are dtype only); a conditional carries its branches ({then, else} for If,
// one per entry of `branches` for Case) and appends their specialized copies likewise
// (conditional.cc). Its infer() appends the specialized copies {cond', body'}
// (Placeholders typed from the loop's inputs, constant pass-through variables substituted,
// optimized with the registered subgraph optimizer) and re-derives them whenever the input
// types change; evaluate() and emit() use the specialized copies. Loop variables must keep
// their type across iterations.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "ir/graph.h"

namespace tfaot::ops {

// Optimizes a subgraph whose Placeholders are typed (passes::optimize). Registered by the
// pass pipeline; without one, subgraphs are only shape-inferred node by node.
void set_subgraph_optimizer(std::function<void(ir::Graph&)> optimizer);

// Number of leading pristine subgraphs (from the front end) of a functional control-flow node:
// 2 for loops and If, the branch count for Case; 0 for any other node.
size_t pristine_subgraph_count(const ir::Node& node);

// The argument (Placeholder index, the same in every pristine subgraph) that holds the value of
// input `input` of `node` whenever a subgraph runs, or -1: an If/Case's branch selector, or a
// loop variable the body changes. Constant inputs may be substituted there.
int invariant_argument(const ir::Node& node, int input);

// Clone of `g` with Placeholder i typed types[i]; inputs with consts[i] set are replaced by
// that constant inside the clone. Optimized with the registered subgraph optimizer when
// `optimize` is set, else only shape-inferred node by node.
std::shared_ptr<ir::Graph> specialize_subgraph(const ir::Graph& g,
                                               const std::vector<ir::TensorType>& types,
                                               const std::vector<const Tensor*>& consts,
                                               bool optimize);

// Makes node.subgraphs[n + k] (n = pristine count) the specialization of pristine subgraph k
// for argument types `types` and constants `consts` (specialize_subgraph, optimized), for each
// k with wanted[k] (the others become null). Keeps existing copies made for the same types,
// constant positions and wanted set: shape inference re-infers nodes often.
void specialize_subgraphs(ir::Node& node, const std::vector<ir::TensorType>& types,
                          const std::vector<const Tensor*>& consts, const std::vector<bool>& wanted);

// The value a subgraph output ultimately forwards (through Identity).
const ir::Node* forwarded_producer(const ir::Value& v);

// Branch of an If/Case node that `selector` (its input 0's value) runs: If: 0 then, 1 else.
int selected_branch(const ir::Node& node, const Tensor& selector);
// The branch an If/Case runs whatever the input values (a constant selector, or an If
// predicate of static non-scalar shape), if known.
std::optional<int> static_branch(const ir::Node& node);

// Indices into ir::Node::subgraphs of a loop node.
inline constexpr int kCond = 0, kBody = 1, kCondSpecialized = 2, kBodySpecialized = 3;

// The specialized cond/body of an inferred loop node (Error naming the node if not inferred).
const ir::Graph& loop_subgraph(const ir::Node& loop, int which);

// Attribute set on a TensorListReserve whose element shape is not static: its output type
// is a placeholder until the loop that fills it derives the shape from the items it sets.
inline constexpr const char* kUnresolvedListAttr = "_tfaot_unresolved_element_shape";
inline constexpr const char* kListElementShapeAttr = "_tfaot_element_shape";

}  // namespace tfaot::ops
