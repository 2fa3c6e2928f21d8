#include "ir/graph.h"

#include <algorithm>
#include <set>

namespace tfaot::ir {

bool TensorType::is_static() const {
  return rank_known && std::all_of(shape.begin(), shape.end(), [](int64_t d) { return d >= 0; });
}

std::string TensorType::str() const {
  return dtype_name(dtype) + (rank_known ? shape_str(shape) : std::string("[*]"));
}

std::string Value::str() const {
  return fmt::format("{}:{}", node ? node->name : std::string("<null>"), index);
}

bool Value::operator<(const Value& o) const {
  if (node != o.node) return std::less<Node*>()(node, o.node);
  return index < o.index;
}

const TensorType& Node::output_type(int i) const {
  if (i < 0 || i >= static_cast<int>(outputs.size()))
    fail("{} has no typed output {}", describe(), i);
  return outputs[i];
}

const TensorType& Node::input_type(int i) const {
  if (i < 0 || i >= static_cast<int>(inputs.size())) fail("{} has no input {}", describe(), i);
  return inputs[i].node->output_type(inputs[i].index);
}

const Tensor* Node::const_input(int i) const {
  if (i < 0 || i >= static_cast<int>(inputs.size())) return nullptr;
  const Node* n = inputs[i].node;
  return n->is_const() ? n->value.get() : nullptr;
}

const tensorflow::AttrValue* Node::find_attr(std::string_view name) const {
  auto it = attrs.find(std::string(name));
  return it == attrs.end() ? nullptr : &it->second;
}

namespace {
template <typename T>
T missing(const Node& n, std::string_view name, const std::optional<T>& dflt) {
  if (dflt) return *dflt;
  fail("{}: missing attribute '{}'", n.describe(), name);
}
[[noreturn]] void wrong_kind(const Node& n, std::string_view name, const char* kind) {
  fail("{}: attribute '{}' is not {}", n.describe(), name, kind);
}
}  // namespace

int64_t Node::attr_int(std::string_view name, std::optional<int64_t> dflt) const {
  const auto* a = find_attr(name);
  if (!a) return missing(*this, name, dflt);
  if (a->value_case() != tensorflow::AttrValue::kI) wrong_kind(*this, name, "an int");
  return a->i();
}

float Node::attr_float(std::string_view name, std::optional<float> dflt) const {
  const auto* a = find_attr(name);
  if (!a) return missing(*this, name, dflt);
  if (a->value_case() != tensorflow::AttrValue::kF) wrong_kind(*this, name, "a float");
  return a->f();
}

bool Node::attr_bool(std::string_view name, std::optional<bool> dflt) const {
  const auto* a = find_attr(name);
  if (!a) return missing(*this, name, dflt);
  if (a->value_case() != tensorflow::AttrValue::kB) wrong_kind(*this, name, "a bool");
  return a->b();
}

std::string Node::attr_string(std::string_view name, std::optional<std::string> dflt) const {
  const auto* a = find_attr(name);
  if (!a) return missing(*this, name, dflt);
  if (a->value_case() != tensorflow::AttrValue::kS) wrong_kind(*this, name, "a string");
  return a->s();
}

DType Node::attr_type(std::string_view name, std::optional<DType> dflt) const {
  const auto* a = find_attr(name);
  if (!a) return missing(*this, name, dflt);
  if (a->value_case() != tensorflow::AttrValue::kType) wrong_kind(*this, name, "a type");
  return dtype_from_tf(a->type());
}

std::vector<int64_t> Node::attr_ints(std::string_view name,
                                     std::optional<std::vector<int64_t>> dflt) const {
  const auto* a = find_attr(name);
  if (!a) return missing(*this, name, dflt);
  // An empty list may be serialized with no oneof set.
  if (a->value_case() == tensorflow::AttrValue::VALUE_NOT_SET) return {};
  if (a->value_case() != tensorflow::AttrValue::kList) wrong_kind(*this, name, "a list of ints");
  return {a->list().i().begin(), a->list().i().end()};
}

void Node::set_attr_type(const std::string& name, DType t) {
  attrs[name].set_type(static_cast<tensorflow::DataType>(t));
}

void Node::set_attr_int(const std::string& name, int64_t v) { attrs[name].set_i(v); }

std::string Node::describe() const { return fmt::format("node '{}' ({})", name, op); }

Node* Graph::add_node(std::string name, std::string op) {
  if (by_name_.count(name)) {
    for (int i = 1;; ++i) {
      std::string candidate = fmt::format("{}_{}", name, i);
      if (!by_name_.count(candidate)) {
        name = std::move(candidate);
        break;
      }
    }
  }
  auto node = std::make_unique<Node>();
  node->name = std::move(name);
  node->op = std::move(op);
  Node* raw = node.get();
  by_name_[raw->name] = raw;
  nodes_.push_back(std::move(node));
  return raw;
}

Node* Graph::add_const(std::string name, Tensor value) {
  Node* n = add_node(std::move(name), "Const");
  n->set_attr_type("dtype", value.dtype());
  n->outputs = {TensorType{value.dtype(), value.shape(), true}};
  n->value = std::make_shared<const Tensor>(std::move(value));
  return n;
}

Node* Graph::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

void Graph::remove_nodes(const std::function<bool(const Node&)>& dead) {
  std::set<const Node*> doomed;
  for (const auto& n : nodes_)
    if (dead(*n)) doomed.insert(n.get());
  if (doomed.empty()) return;
  for (const auto& n : nodes_) {
    if (doomed.count(n.get())) continue;
    for (const auto& v : n->inputs)
      if (doomed.count(v.node))
        fail("internal: removing {} which {} still uses", v.node->describe(), n->describe());
    auto& ci = n->control_inputs;
    ci.erase(std::remove_if(ci.begin(), ci.end(), [&](Node* c) { return doomed.count(c) > 0; }),
             ci.end());
  }
  for (const auto& o : outputs)
    if (doomed.count(o.value.node))
      fail("internal: removing {} which output '{}' uses", o.value.node->describe(), o.key);
  for (const auto& in : inputs)
    if (doomed.count(in.node)) fail("internal: removing input placeholder '{}'", in.key);
  for (const Node* n : doomed) by_name_.erase(n->name);
  nodes_.erase(std::remove_if(nodes_.begin(), nodes_.end(),
                              [&](const std::unique_ptr<Node>& n) { return doomed.count(n.get()) > 0; }),
               nodes_.end());
}

int Graph::replace_uses(Value from, Value to) {
  int count = 0;
  for (const auto& n : nodes_)
    for (auto& v : n->inputs)
      if (v == from) {
        v = to;
        ++count;
      }
  for (auto& o : outputs)
    if (o.value == from) {
      o.value = to;
      ++count;
    }
  return count;
}

std::vector<Node*> Graph::topo_order() const {
  // Iterative DFS; node order of nodes_ keeps the result deterministic.
  enum class Mark { None, Active, Done };
  std::map<const Node*, Mark> mark;
  std::vector<Node*> order;
  order.reserve(nodes_.size());
  for (const auto& root : nodes_) {
    if (mark[root.get()] != Mark::None) continue;
    std::vector<std::pair<Node*, size_t>> stack{{root.get(), 0}};
    mark[root.get()] = Mark::Active;
    while (!stack.empty()) {
      auto& [n, next] = stack.back();
      size_t n_deps = n->inputs.size() + n->control_inputs.size();
      if (next < n_deps) {
        Node* dep = next < n->inputs.size() ? n->inputs[next].node
                                            : n->control_inputs[next - n->inputs.size()];
        ++next;
        if (!dep) fail("{} has a null input", n->describe());
        Mark m = mark[dep];
        if (m == Mark::Active) fail("graph has a cycle through {}", dep->describe());
        if (m == Mark::None) {
          mark[dep] = Mark::Active;
          stack.push_back({dep, 0});
        }
      } else {
        mark[n] = Mark::Done;
        order.push_back(n);
        stack.pop_back();
      }
    }
  }
  return order;
}

std::map<const Node*, std::vector<Node*>> Graph::users() const {
  std::map<const Node*, std::vector<Node*>> u;
  for (const auto& n : nodes_) {
    for (const auto& v : n->inputs) {
      auto& list = u[v.node];
      if (list.empty() || list.back() != n.get()) list.push_back(n.get());
    }
    for (Node* c : n->control_inputs) u[c].push_back(n.get());
  }
  return u;
}

void Graph::verify() const {
  std::set<const Node*> owned;
  for (const auto& n : nodes_) owned.insert(n.get());
  auto check_value = [&](const Value& v, const std::string& where) {
    if (!owned.count(v.node)) fail("internal: {} refers to a node outside the graph", where);
    if (!v.node->outputs.empty() && v.index >= static_cast<int>(v.node->outputs.size()))
      fail("{} refers to output {} of {}, which has {} outputs", where, v.index,
           v.node->describe(), v.node->outputs.size());
    if (v.index < 0) fail("{} refers to a negative output index", where);
  };
  for (const auto& n : nodes_) {
    if (find(n->name) != n.get()) fail("internal: node name '{}' is not unique", n->name);
    for (size_t i = 0; i < n->inputs.size(); ++i)
      check_value(n->inputs[i], fmt::format("input {} of {}", i, n->describe()));
    for (Node* c : n->control_inputs)
      if (!owned.count(c)) fail("internal: control input of {} is outside the graph", n->describe());
    for (const auto& sg : n->subgraphs) {
      if (!sg) fail("internal: {} has a null subgraph", n->describe());
      sg->verify();
    }
  }
  for (const auto& o : outputs) check_value(o.value, fmt::format("signature output '{}'", o.key));
  (void)topo_order();
}

std::unique_ptr<Graph> Graph::clone() const {
  auto g = std::make_unique<Graph>();
  std::map<const Node*, Node*> map;
  for (const auto& n : nodes_) {
    Node* c = g->add_node(n->name, n->op);
    c->attrs = n->attrs;
    c->outputs = n->outputs;
    c->value = n->value;
    for (const auto& sg : n->subgraphs)
      c->subgraphs.push_back(sg ? std::shared_ptr<Graph>(sg->clone()) : nullptr);
    map[n.get()] = c;
  }
  for (const auto& n : nodes_) {
    Node* c = map[n.get()];
    for (const auto& v : n->inputs) c->inputs.push_back({map.at(v.node), v.index});
    for (Node* ci : n->control_inputs) c->control_inputs.push_back(map.at(ci));
  }
  for (const auto& in : inputs) g->inputs.push_back({in.key, in.tensor_name, in.type, map.at(in.node)});
  for (const auto& o : outputs)
    g->outputs.push_back({o.key, o.tensor_name, o.type, {map.at(o.value.node), o.value.index}});
  g->variables = variables;
  g->source = source;
  g->signature_key = signature_key;
  g->library = library;
  return g;
}

}  // namespace tfaot::ir
