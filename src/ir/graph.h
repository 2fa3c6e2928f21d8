// The IR: one flat dataflow graph of TensorFlow ops (after function inlining and variable
// resolution), with the model's signature. Node attributes stay TensorFlow AttrValue protos so
// that every op reads its attributes exactly as TF defines them.
//
// Invariants (checked by Graph::verify):
//  - every Value refers to a node owned by this graph and an output index < outputs.size()
//    once types are inferred;
//  - node names are unique;
//  - the graph is acyclic (control edges included).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attr_value.pb.h"
#include "function.pb.h"
#include "support/tensor.h"

namespace tfaot::ir {

// Type of one node output. `shape` dims are -1 when unknown; `rank_known` false = unknown rank.
struct TensorType {
  DType dtype = DType::Invalid;
  Shape shape;
  bool rank_known = true;

  bool is_static() const;  // rank known and no -1 dims
  int64_t num_elements() const { return tfaot::num_elements(shape); }
  std::string str() const;  // "float32[2,4]"
  bool operator==(const TensorType&) const = default;
};

struct Node;
class Graph;

// One output of a node.
struct Value {
  Node* node = nullptr;
  int index = 0;

  std::string str() const;  // "name:index"
  bool operator==(const Value&) const = default;
  bool operator<(const Value& o) const;
};

using AttrMap = std::map<std::string, tensorflow::AttrValue>;

struct Node {
  std::string name;
  std::string op;
  std::vector<Value> inputs;
  std::vector<Node*> control_inputs;
  AttrMap attrs;
  // Output types: set by the front end for Placeholder/Const and by shape inference otherwise.
  std::vector<TensorType> outputs;
  // Payload of a Const node.
  std::shared_ptr<const Tensor> value;
  // Functional control flow (While/StatelessWhile: {cond, body}; If: {then, else}; Case: the
  // branches): each subgraph's `inputs` are Placeholders, one per loop variable or branch
  // argument (keys "arg0".."argN"), its `outputs` the results (cond: one bool scalar; body: one
  // value per loop variable). Built by the front end from the library functions named by the
  // node's attributes; ops/control_flow.h appends specialized copies.
  std::vector<std::shared_ptr<Graph>> subgraphs;

  bool is_const() const { return op == "Const" && value != nullptr; }
  const TensorType& output_type(int i) const;
  const TensorType& input_type(int i) const;  // type of inputs[i]
  // Constant value of inputs[i] if it comes from a Const node, else nullptr.
  const Tensor* const_input(int i) const;

  // Attribute access; the typed getters throw an Error naming node and attribute when the
  // attribute is missing (unless a default is given) or has the wrong kind.
  const tensorflow::AttrValue* find_attr(std::string_view name) const;
  bool has_attr(std::string_view name) const { return find_attr(name) != nullptr; }
  int64_t attr_int(std::string_view name, std::optional<int64_t> dflt = {}) const;
  float attr_float(std::string_view name, std::optional<float> dflt = {}) const;
  bool attr_bool(std::string_view name, std::optional<bool> dflt = {}) const;
  std::string attr_string(std::string_view name, std::optional<std::string> dflt = {}) const;
  DType attr_type(std::string_view name, std::optional<DType> dflt = {}) const;
  std::vector<int64_t> attr_ints(std::string_view name,
                                 std::optional<std::vector<int64_t>> dflt = {}) const;
  void set_attr_type(const std::string& name, DType t);
  void set_attr_int(const std::string& name, int64_t v);

  // "node 'name' (Op)": how errors refer to a node.
  std::string describe() const;
};

// A signature input: the Placeholder that receives it.
struct SignatureInput {
  std::string key;          // signature key ("input"), or tensor name for frozen graphs
  std::string tensor_name;  // "serving_default_input:0"
  TensorType type;          // as declared (may have -1 dims)
  Node* node = nullptr;     // the Placeholder
};

struct SignatureOutput {
  std::string key;
  std::string tensor_name;
  TensorType type;  // as declared
  Value value;
};

// A resolved variable (for inspection; its value is already a Const in the graph).
struct VariableInfo {
  std::string name;            // variable / node name
  std::string checkpoint_key;  // key in the TensorBundle
  DType dtype = DType::Invalid;
  Shape shape;
  uint64_t bytes = 0;
};

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // Adds a node; the name is made unique by appending "_N" if taken.
  Node* add_node(std::string name, std::string op);
  // Adds a Const node holding `value`, with its output type set.
  Node* add_const(std::string name, Tensor value);
  Node* find(std::string_view name) const;
  // Removes nodes for which `dead` is true; they must have no remaining users.
  void remove_nodes(const std::function<bool(const Node&)>& dead);
  // Points every use of `from` (data inputs and signature outputs) to `to`. Returns count.
  int replace_uses(Value from, Value to);
  // Nodes in a topological order (inputs and control inputs first); throws on a cycle,
  // naming a node on it.
  std::vector<Node*> topo_order() const;
  // Users of each node (data and control), computed on demand.
  std::map<const Node*, std::vector<Node*>> users() const;
  // Checks the invariants in the header comment; throws Error describing the first violation.
  void verify() const;
  // Deep copy (constants are shared, they are immutable).
  std::unique_ptr<Graph> clone() const;

  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  size_t size() const { return nodes_.size(); }

  std::vector<SignatureInput> inputs;    // in signature key order (sorted)
  std::vector<SignatureOutput> outputs;  // in signature key order (sorted)
  std::vector<VariableInfo> variables;
  std::string source;          // model path, for messages
  std::string signature_key;   // "serving_default", empty for frozen graphs
  // Library functions still referenced by nodes (While/If bodies); calls are inlined.
  std::shared_ptr<const tensorflow::FunctionDefLibrary> library;

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, Node*, std::less<>> by_name_;
};

}  // namespace tfaot::ir
