#include "frontend/inliner.h"

#include <charconv>
#include <set>
#include <unordered_map>

#include "frontend/tensor_proto.h"
#include "support/limits.h"

namespace tfaot::frontend {

namespace {
constexpr int kMaxCallDepth = 64;  // deeper nesting is a recursive function
constexpr int kMaxPathLength = 200000;  // longest data path; fits the loader's 1 GiB stack

bool parse_int(const std::string& s, int& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && out >= 0;
}
}  // namespace

std::pair<std::string, int> parse_tensor_name(const std::string& ref) {
  if (!ref.empty() && ref[0] == '^') return {ref.substr(1), -1};
  auto colon = ref.rfind(':');
  int idx = 0;
  if (colon != std::string::npos && parse_int(ref.substr(colon + 1), idx))
    return {ref.substr(0, colon), idx};
  return {ref, 0};
}

struct Inliner::Scope {
  Scope* parent = nullptr;
  const tensorflow::NodeDef* call = nullptr;  // call node in the parent (null for main)
  const tensorflow::FunctionDef* fn = nullptr;
  std::string prefix;  // flat-name prefix of body nodes ("call/")
  int depth = 0;
  std::unordered_map<std::string, const tensorflow::NodeDef*> nodes;
  std::unordered_map<std::string, int> arg_index;
  std::vector<std::optional<ir::Value>> args;  // resolved lazily through the parent
  std::vector<ir::Node*> call_controls;        // the call's control inputs, flattened
  bool call_controls_done = false;
  std::unordered_map<std::string, std::unique_ptr<Scope>> callees;
  std::unordered_map<std::string, ir::Node*> emitted;
  std::set<std::string> in_progress;
  // For ops of unknown layout: the single output arg name used with each node.
  std::unordered_map<std::string, std::string> unknown_arg;
  std::optional<std::vector<ir::Node*>> controls;  // of the whole function (for ^call)
};

Inliner::Inliner(const tensorflow::GraphDef& graph, const OpDefs& ops, ir::Graph& out,
                 std::string source)
    : graph_(graph), ops_(ops), out_(out), source_(std::move(source)) {
  for (const auto& f : graph.library().function()) functions_[f.signature().name()] = &f;
  main_ = std::make_unique<Scope>();
  for (const auto& n : graph.node()) {
    if (!main_->nodes.emplace(n.name(), &n).second)
      fail("{}: duplicate node name '{}'", source_, n.name());
  }
  on_unfed_placeholder = [this](const tensorflow::NodeDef& nd, int index) -> ir::Value {
    if (nd.op() == "PlaceholderWithDefault") {
      if (nd.input_size() < 1) fail("{}: node '{}' (PlaceholderWithDefault) has no input", source_, nd.name());
      ir::Value def = data(*main_, nd.input(0), nd.name());
      ir::Node* id = out_.add_node(nd.name(), "Identity");
      for (const auto& [k, v] : nd.attr()) id->attrs[k] = v;
      id->attrs["T"].set_type(nd.attr().count("dtype") ? nd.attr().at("dtype").type()
                                                       : tensorflow::DT_FLOAT);
      id->inputs = {def};
      return {id, index};
    }
    fail("{}: placeholder '{}' is needed by the outputs but is not an input (feed or pin it)",
         source_, nd.name());
  };
}

Inliner::~Inliner() = default;

void Inliner::substitute(const std::string& node, int index, ir::Value value) {
  subst_[{node, index}] = value;
}

const tensorflow::NodeDef* Inliner::main_node(const std::string& name) const {
  auto it = main_->nodes.find(name);
  return it == main_->nodes.end() ? nullptr : it->second;
}

ir::Value Inliner::tensor(const std::string& ref) { return data(*main_, ref, "(requested output)"); }

std::vector<ir::Node*> Inliner::control(const std::string& name) {
  return control(*main_, name, "(requested output)");
}

std::string Inliner::where(const Scope& s) const {
  if (!s.fn) return source_;
  return fmt::format("{}: function '{}' (called by '{}')", source_, s.fn->signature().name(),
                     s.prefix.substr(0, s.prefix.size() - 1));
}

std::string Inliner::function_of(const tensorflow::NodeDef& nd) const {
  if (nd.op() == "StatefulPartitionedCall" || nd.op() == "PartitionedCall") {
    auto it = nd.attr().find("f");
    if (it == nd.attr().end() || it->second.func().name().empty())
      fail("{}: node '{}' ({}) has no function attribute 'f'", source_, nd.name(), nd.op());
    return it->second.func().name();
  }
  return functions_.count(nd.op()) ? nd.op() : std::string();
}

Inliner::Scope& Inliner::callee(Scope& s, const tensorflow::NodeDef& call) {
  auto& slot = s.callees[call.name()];
  if (slot) return *slot;
  std::string fname = function_of(call);
  auto it = functions_.find(fname);
  if (it == functions_.end())
    fail("{}: node '{}' calls function '{}' which is not in the library", where(s), call.name(),
         fname);
  if (s.depth >= kMaxCallDepth)
    fail("{}: node '{}' calls '{}' nested more than {} deep (recursive function?)", where(s),
         call.name(), fname, kMaxCallDepth);
  auto c = std::make_unique<Scope>();
  c->parent = &s;
  c->call = &call;
  c->fn = it->second;
  c->depth = s.depth + 1;
  c->prefix = s.prefix + call.name() + "/";
  for (const auto& n : c->fn->node_def())
    if (!c->nodes.emplace(n.name(), &n).second)
      fail("{}: duplicate node name '{}'", where(*c), n.name());
  const auto& sig = c->fn->signature();
  for (int i = 0; i < sig.input_arg_size(); ++i) c->arg_index[sig.input_arg(i).name()] = i;
  int data_inputs = 0;
  for (const auto& in : call.input())
    if (in.empty() || in[0] != '^') ++data_inputs;
  if (data_inputs != sig.input_arg_size())
    fail("{}: node '{}' passes {} inputs to function '{}' which takes {}", where(s), call.name(),
         data_inputs, fname, sig.input_arg_size());
  c->args.resize(sig.input_arg_size());
  slot = std::move(c);
  return *slot;
}

ir::Value Inliner::arg_value(Scope& s, int index) {
  auto& a = s.args[index];
  if (a) return *a;
  std::string key = "arg:" + std::to_string(index);
  if (!s.in_progress.insert(key).second)
    fail("{}: cycle through argument {} of node '{}'", where(*s.parent), index, s.call->name());
  int seen = 0;
  for (const auto& in : s.call->input()) {
    if (!in.empty() && in[0] == '^') continue;
    if (seen++ == index) {
      a = data(*s.parent, in, s.call->name());
      break;
    }
  }
  s.in_progress.erase(key);
  return *a;
}

ir::Value Inliner::call_output(Scope& s, const tensorflow::NodeDef& call, int index) {
  Scope& c = callee(s, call);
  const auto& sig = c.fn->signature();
  if (index < 0 || index >= sig.output_arg_size())
    fail("{}: output {} of node '{}' does not exist (function '{}' has {} outputs)", where(s),
         index, call.name(), sig.name(), sig.output_arg_size());
  const std::string& out_name = sig.output_arg(index).name();
  auto it = c.fn->ret().find(out_name);
  if (it == c.fn->ret().end())
    fail("{}: function '{}' has no ret for output '{}'", source_, sig.name(), out_name);
  std::string key = "ret:" + std::to_string(index);
  if (!c.in_progress.insert(key).second)
    fail("{}: cycle through output {} of node '{}'", where(s), index, call.name());
  ir::Value v = data(c, it->second, "(ret " + out_name + ")");
  c.in_progress.erase(key);
  return v;
}

ir::Value Inliner::data(Scope& s, const std::string& ref, const std::string& user) {
  if (ref.empty() || ref[0] == '^')
    fail("{}: node '{}' has an invalid data input '{}'", where(s), user, ref);
  std::string name = ref, arg;
  int index = 0;
  bool three_part = false;
  if (s.fn) {
    // Function bodies: "arg_name" or "node:out_arg:index".
    auto c1 = ref.find(':');
    if (c1 == std::string::npos) {
      auto a = s.arg_index.find(ref);
      if (a != s.arg_index.end()) return arg_value(s, a->second);
    } else {
      auto c2 = ref.find(':', c1 + 1);
      name = ref.substr(0, c1);
      if (c2 == std::string::npos) {
        if (!parse_int(ref.substr(c1 + 1), index))
          fail("{}: node '{}' has a malformed input '{}'", where(s), user, ref);
      } else {
        three_part = true;
        arg = ref.substr(c1 + 1, c2 - c1 - 1);
        if (!parse_int(ref.substr(c2 + 1), index))
          fail("{}: node '{}' has a malformed input '{}'", where(s), user, ref);
      }
    }
  } else {
    std::tie(name, index) = parse_tensor_name(ref);
    auto sub = subst_.find({name, index});
    if (sub != subst_.end()) return sub->second;
  }
  auto it = s.nodes.find(name);
  if (it == s.nodes.end())
    fail("{}: node '{}' has input '{}' but there is no node '{}'", where(s), user, ref, name);
  const tensorflow::NodeDef& nd = *it->second;
  if (three_part) {
    auto flat = ops_.flat_index(nd, arg, index);
    if (!flat) {
      // Unknown op: safe only while every reference uses the same output arg.
      auto [u, fresh] = s.unknown_arg.emplace(nd.name(), arg);
      if (!fresh && u->second != arg)
        fail("{}: op '{}' of node '{}' is unknown and its outputs '{}' and '{}' cannot be "
             "ordered (no OpDef in the model)", where(s), nd.op(), nd.name(), u->second, arg);
    } else {
      index = *flat;
    }
  }
  if (!function_of(nd).empty()) return call_output(s, nd, index);
  ir::Node* n = emit(s, nd);
  if (n->op == "Placeholder" || n->op == "PlaceholderWithDefault") return {n, index};
  auto count = ops_.num_outputs(nd);
  if (count && index >= *count)
    fail("{}: node '{}' has input '{}' but node '{}' ({}) has only {} output(s)", where(s), user,
         ref, name, nd.op(), *count);
  return {n, index};
}

std::vector<ir::Node*> Inliner::control(Scope& s, const std::string& name, const std::string& user) {
  auto it = s.nodes.find(name);
  if (it == s.nodes.end())
    fail("{}: node '{}' has control input '^{}' but there is no node '{}'", where(s), user, name,
         name);
  const tensorflow::NodeDef& nd = *it->second;
  if (!s.fn && (subst_.count({name, 0}) || nd.op() == "Placeholder")) return {};
  if (function_of(nd).empty()) return {emit(s, nd)};
  Scope& c = callee(s, nd);
  if (c.controls) return *c.controls;
  if (!c.in_progress.insert("controls").second)
    fail("{}: cycle through control input '^{}'", where(s), name);
  // ^call waits for all the function's outputs and its control_ret nodes.
  std::vector<ir::Node*> out;
  for (int i = 0; i < c.fn->signature().output_arg_size(); ++i)
    out.push_back(call_output(s, nd, i).node);
  for (const auto& [k, target] : c.fn->control_ret()) {
    auto more = control(c, target, "(control_ret " + k + ")");
    out.insert(out.end(), more.begin(), more.end());
  }
  c.in_progress.erase("controls");
  c.controls = out;
  return out;
}

ir::Node* Inliner::emit(Scope& s, const tensorflow::NodeDef& nd) {
  if (auto it = s.emitted.find(nd.name()); it != s.emitted.end()) return it->second;
  // Bounded recursion: a clean error rather than a stack overflow on absurdly deep graphs.
  struct Depth {
    int& d;
    explicit Depth(int& d) : d(d) { ++d; }
    ~Depth() { --d; }
  } depth(depth_);
  if (depth_ > kMaxPathLength)
    fail("{}: the graph is deeper than {} nodes at node '{}'", where(s), kMaxPathLength, nd.name());
  if (!s.in_progress.insert(nd.name()).second) {
    static const std::set<std::string> v1_loop = {"Merge", "NextIteration", "Switch", "Enter",
                                                  "Exit", "LoopCond", "RefMerge", "RefEnter"};
    if (v1_loop.count(nd.op()))
      fail("{}: TF1 while loop (Enter/Merge/NextIteration cycle) through node '{}' ({}) is not "
           "supported; export the model with TF2 control flow (functional While)", where(s),
           nd.name(), nd.op());
    fail("{}: cycle in the graph through node '{}'", where(s), nd.name());
  }
  if (!s.fn && (nd.op() == "Placeholder" || nd.op() == "PlaceholderWithDefault")) {
    ir::Value v = on_unfed_placeholder(nd, 0);
    s.in_progress.erase(nd.name());
    s.emitted[nd.name()] = v.node;
    return v.node;
  }
  std::vector<ir::Value> inputs;
  std::vector<ir::Node*> controls;
  for (const auto& in : nd.input()) {
    if (!in.empty() && in[0] == '^') {
      auto c = control(s, in.substr(1), nd.name());
      controls.insert(controls.end(), c.begin(), c.end());
    } else {
      inputs.push_back(data(s, in, nd.name()));
    }
  }
  if (s.fn && inputs.empty() && controls.empty()) {
    // A source node inside a function runs after the call's control inputs.
    if (!s.call_controls_done) {
      for (const auto& in : s.call->input())
        if (!in.empty() && in[0] == '^') {
          auto c = control(*s.parent, in.substr(1), s.call->name());
          s.call_controls.insert(s.call_controls.end(), c.begin(), c.end());
        }
      s.call_controls_done = true;
    }
    controls = s.call_controls;
  }
  // Inlining multiplies functions by their call sites: bound what a small file can expand to.
  check_limit(Limit::GraphNodes, static_cast<int64_t>(out_.nodes().size()) + 1,
              fmt::format("{}: the graph after function inlining (at node '{}')", where(s), nd.name()));
  ir::Node* n = out_.add_node(s.prefix + nd.name(), nd.op());
  for (const auto& [k, v] : nd.attr()) n->attrs[k] = v;
  n->inputs = std::move(inputs);
  for (ir::Node* c : controls)
    if (std::find(n->control_inputs.begin(), n->control_inputs.end(), c) == n->control_inputs.end())
      n->control_inputs.push_back(c);
  if (nd.op() == "Const") {
    std::string what = fmt::format("{}: node '{}' (Const)", where(s), nd.name());
    auto v = nd.attr().find("value");
    if (v == nd.attr().end() || v->second.value_case() != tensorflow::AttrValue::kTensor)
      fail("{} has no tensor attribute 'value'", what);
    Tensor t = tensor_from_proto(v->second.tensor(), what);
    auto d = nd.attr().find("dtype");
    if (d != nd.attr().end() && dtype_from_tf(d->second.type()) != t.dtype())
      fail("{}: attribute dtype {} does not match its value's {}", what,
           dtype_name(dtype_from_tf(d->second.type())), dtype_name(t.dtype()));
    n->set_attr_type("dtype", t.dtype());
    n->outputs = {ir::TensorType{t.dtype(), t.shape(), true}};
    n->value = std::make_shared<const Tensor>(std::move(t));
  }
  s.in_progress.erase(nd.name());
  s.emitted[nd.name()] = n;
  return n;
}

}  // namespace tfaot::frontend
