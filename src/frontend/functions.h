// Library functions as IR subgraphs: the cond/body of functional loops (While/StatelessWhile)
// become ir::Graphs attached to the loop node (ir::Node::subgraphs), so that later stages never
// look at FunctionDefs again.
#pragma once

#include <memory>
#include <string>

#include "function.pb.h"
#include "ir/graph.h"

namespace tfaot::frontend {

// The body of function `name` as a graph: one Placeholder input per argument (keys
// "arg0".."argN", dtype from the signature, shape unknown), one output per result (keys
// "out0".."outM"); nested function calls are inlined, nested loops get subgraphs too.
std::unique_ptr<ir::Graph> function_to_graph(const std::string& name,
                                             const tensorflow::FunctionDefLibrary& library,
                                             const std::string& source);

// Attaches {cond, body} subgraphs to every While/StatelessWhile node of `g` that has none,
// from g.library. Throws naming the node when a function is missing or has the wrong arity.
void attach_loop_subgraphs(ir::Graph& g);

}  // namespace tfaot::frontend
