// Builds the flat ir::Graph from a GraphDef on demand: starting from the tensors the caller
// asks for, it emits exactly the nodes they need, inlining StatefulPartitionedCall,
// PartitionedCall and direct function calls recursively (body node names are prefixed with
// the call node's flat name). While/If/Case nodes stay nodes; their functions stay in the
// library. Fed and pinned main-graph tensors are substituted before anything behind them is
// looked at, so unused parts of the graph (and the nodes behind feeds) are never read.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "frontend/op_defs.h"
#include "graph.pb.h"
#include "ir/graph.h"

namespace tfaot::frontend {

// Splits a graph tensor reference "name:3" / "name" into {name, index}; "^name" is a control
// reference (index -1).
std::pair<std::string, int> parse_tensor_name(const std::string& ref);

class Inliner {
 public:
  // `graph` and `ops` must outlive the Inliner; nodes are added to `out`.
  Inliner(const tensorflow::GraphDef& graph, const OpDefs& ops, ir::Graph& out,
          std::string source);
  ~Inliner();

  // Main-graph tensor (node, index) is replaced by `value` everywhere.
  void substitute(const std::string& node, int index, ir::Value value);
  // Called for a main-graph Placeholder/PlaceholderWithDefault that is needed but not fed; it
  // returns the value to use (e.g. a new signature input) or throws. Default: PlaceholderWith-
  // Default becomes Identity of its default, Placeholder is an error.
  std::function<ir::Value(const tensorflow::NodeDef&, int index)> on_unfed_placeholder;

  // The flat value of a main-graph tensor reference ("name", "name:1").
  ir::Value tensor(const std::string& ref);
  // The flat nodes a control dependency on main-graph node `name` stands for.
  std::vector<ir::Node*> control(const std::string& name);
  const tensorflow::NodeDef* main_node(const std::string& name) const;

 private:
  struct Scope;
  ir::Value data(Scope& s, const std::string& ref, const std::string& user);
  std::vector<ir::Node*> control(Scope& s, const std::string& name, const std::string& user);
  ir::Node* emit(Scope& s, const tensorflow::NodeDef& nd);
  Scope& callee(Scope& s, const tensorflow::NodeDef& call);
  ir::Value call_output(Scope& s, const tensorflow::NodeDef& call, int index);
  ir::Value arg_value(Scope& s, int index);
  std::string where(const Scope& s) const;
  std::string function_of(const tensorflow::NodeDef& nd) const;

  const tensorflow::GraphDef& graph_;
  const OpDefs& ops_;
  ir::Graph& out_;
  std::string source_;
  std::map<std::string, const tensorflow::FunctionDef*> functions_;
  std::unique_ptr<Scope> main_;
  std::map<std::pair<std::string, int>, ir::Value> subst_;
  int depth_ = 0;  // current emit() recursion depth
};

}  // namespace tfaot::frontend
