// Library functions as IR subgraphs: the cond/body of functional loops (While/StatelessWhile)
// and the branches of conditionals (If/StatelessIf: then, else; Case/StatelessCase: branches)
// become ir::Graphs attached to the node (ir::Node::subgraphs), so that later stages never
// look at FunctionDefs again.
#pragma once

#include <memory>
#include <string>

#include "function.pb.h"
#include "ir/graph.h"

namespace tfaot::frontend {

// The body of function `name` as a graph: one Placeholder input per argument (keys
// "arg0".."argN", dtype from the signature, shape unknown), one output per result (keys
// "out0".."outM"); nested function calls are inlined, nested loops and conditionals get
// subgraphs too.
std::unique_ptr<ir::Graph> function_to_graph(const std::string& name,
                                             const tensorflow::FunctionDefLibrary& library,
                                             const std::string& source);

// Attaches {cond, body} subgraphs to every While/StatelessWhile node of `g` that has none, and
// the branch subgraphs to every If/Case node, from g.library. Throws naming the node when a
// function is missing or has the wrong arity.
void attach_control_flow_subgraphs(ir::Graph& g);

}  // namespace tfaot::frontend
