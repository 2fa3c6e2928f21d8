// TensorArray (V3) -> TensorList rewrite of a GraphDef (see tf1_loops.h for the mapping).
#include <deque>
#include <map>
#include <set>
#include <vector>

#include "frontend/inliner.h"
#include "frontend/tensor_proto.h"
#include "frontend/tf1_loops.h"
#include "support/error.h"

namespace tfaot::frontend {

namespace {

using tensorflow::NodeDef;

std::string base_op(const std::string& op) {
  static const std::set<std::string> ref = {"RefEnter", "RefMerge", "RefSwitch", "RefExit",
                                            "RefNextIteration", "RefIdentity"};
  return ref.count(op) ? op.substr(3) : op;
}

bool is_control(const std::string& ref) { return !ref.empty() && ref[0] == '^'; }

const tensorflow::AttrValue* attr(const NodeDef& n, const char* name) {
  auto it = n.attr().find(name);
  return it == n.attr().end() ? nullptr : &it->second;
}

class Rewriter {
 public:
  Rewriter(tensorflow::GraphDef& g, std::string source) : g_(g), src_(std::move(source)) {
    for (int i = 0; i < g_.node_size(); ++i) by_name_[g_.node(i).name()] = i;
  }
  bool run();

 private:
  NodeDef& node(const std::string& name, const std::string& user) {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
      fail("{}: node '{}' has input '{}' but there is no such node", src_, user, name);
    return *g_.mutable_node(it->second);
  }
  NodeDef* add_node(const std::string& base, const std::string& op) {
    std::string name = base;
    for (int k = 1; by_name_.count(name); ++k) name = fmt::format("{}_{}", base, k);
    NodeDef* n = g_.add_node();
    n->set_name(name);
    n->set_op(op);
    by_name_[name] = g_.node_size() - 1;
    return n;
  }
  NodeDef* add_shape_const(const std::string& base, const tensorflow::AttrValue* shape);
  bool is_range_from_zero(const std::string& ref, std::string* limit);

  tensorflow::GraphDef& g_;
  std::string src_;
  std::map<std::string, int> by_name_;
};

NodeDef* Rewriter::add_shape_const(const std::string& base,
                                         const tensorflow::AttrValue* shape) {
  NodeDef* c = add_node(base, "Const");
  (*c->mutable_attr())["dtype"].set_type(tensorflow::DT_INT32);
  auto* t = (*c->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tensorflow::DT_INT32);
  if (!shape || !shape->has_shape() || shape->shape().unknown_rank()) {
    t->add_int_val(-1);  // unknown rank: scalar -1 (TensorFlow's convention for lists)
    return c;
  }
  t->mutable_tensor_shape()->add_dim()->set_size(shape->shape().dim_size());
  for (const auto& d : shape->shape().dim()) t->add_int_val(static_cast<int32_t>(d.size()));
  return c;
}

// True when `ref` is Range(Const 0, limit, Const 1); sets *limit to the limit input.
bool Rewriter::is_range_from_zero(const std::string& ref, std::string* limit) {
  auto [name, index] = parse_tensor_name(ref);
  auto it = by_name_.find(name);
  if (it == by_name_.end() || index != 0) return false;
  const NodeDef& r = g_.node(it->second);
  if (r.op() != "Range" || r.input_size() < 3) return false;
  auto const_is = [&](const std::string& in, int64_t want) {
    auto c = by_name_.find(parse_tensor_name(in).first);
    if (c == by_name_.end() || g_.node(c->second).op() != "Const") return false;
    const auto* v = attr(g_.node(c->second), "value");
    if (!v || !v->has_tensor()) return false;
    Tensor t = tensor_from_proto(v->tensor(), "Range input '" + in + "'");
    if (t.num_elements() != 1) return false;
    if (t.dtype() == DType::Int32) return t.data<int32_t>()[0] == want;
    if (t.dtype() == DType::Int64) return t.data<int64_t>()[0] == want;
    return false;
  };
  if (!const_is(r.input(0), 0) || !const_is(r.input(2), 1)) return false;
  *limit = r.input(1);
  return true;
}

bool Rewriter::run() {
  static const std::set<std::string> supported = {
      "TensorArrayV3",        "TensorArrayScatterV3", "TensorArrayReadV3", "TensorArrayWriteV3",
      "TensorArrayGatherV3",  "TensorArraySizeV3",    "TensorArrayCloseV3"};
  bool any = false;
  for (const auto& n : g_.node())
    if (n.op().rfind("TensorArray", 0) == 0) {
      if (!supported.count(n.op()))
        fail("{}: node '{}' ({}) is not supported (only TensorArrayV3 with Scatter/Read/Write/"
             "Gather/Size/Close is converted to TensorList ops)", src_, n.name(), n.op());
      any = true;
    }
  if (!any) return false;
  // The TensorArrayV3 a handle input comes from (through Enter/Identity).
  auto array_of = [&](const NodeDef& user) -> const NodeDef& {
    std::string ref = user.input_size() ? user.input(0) : "";
    for (int hops = 0; hops <= g_.node_size(); ++hops) {
      auto [name, index] = parse_tensor_name(ref);
      const NodeDef& n = node(name, user.name());
      if (n.op() == "TensorArrayV3" && index == 0) return n;
      std::string b = base_op(n.op());
      if ((b == "Enter" || b == "Identity") && n.input_size() > 0 && !is_control(n.input(0))) {
        ref = n.input(0);
        continue;
      }
      break;
    }
    fail("{}: node '{}' ({}): its TensorArray handle does not come from a TensorArrayV3 through "
         "Enter/Identity nodes", src_, user.name(), user.op());
  };
  auto data_inputs = [](const NodeDef& n) {
    std::vector<std::string> d;
    for (const auto& in : n.input())
      if (!is_control(in)) d.push_back(in);
    return d;
  };
  auto need = [&](const NodeDef& n, size_t count) {
    auto d = data_inputs(n);
    if (d.size() != count)
      fail("{}: node '{}' ({}) has {} data inputs, expected {}", src_, n.name(), n.op(), d.size(),
           count);
    return d;
  };
  // Replacements are decided on the original graph, then applied.
  std::map<std::string, NodeDef> repl;
  std::set<std::string> arrays;
  const int original = g_.node_size();
  for (int i = 0; i < original; ++i) {
    const NodeDef n = g_.node(i);  // copy: add_node may grow the list
    if (n.op().rfind("TensorArray", 0) != 0) continue;
    NodeDef r;
    r.set_name(n.name());
    const std::string& op = n.op();
    tensorflow::DataType dtype = tensorflow::DT_INVALID;
    const NodeDef* ta = op == "TensorArrayV3" ? &n : &array_of(n);
    if (const auto* d = attr(*ta, "dtype")) dtype = d->type();
    if (dtype == tensorflow::DT_INVALID)
      fail("{}: node '{}' (TensorArrayV3) has no attribute 'dtype'", src_, ta->name());
    const std::string ta_name = ta->name();
    auto shape_input = [&](const NodeDef& from) {
      const auto* s = attr(from, "element_shape");
      if (!s || !s->has_shape() || s->shape().unknown_rank()) s = attr(*ta, "element_shape");
      return add_shape_const(from.name() + "/element_shape", s)->name();
    };
    auto set_dtype = [&] { (*r.mutable_attr())["element_dtype"].set_type(dtype); };
    if (op == "TensorArrayV3") {
      auto d = need(n, 1);
      arrays.insert(n.name());
      r.set_op("TensorListReserve");
      r.add_input(shape_input(n));
      r.add_input(d[0]);
      set_dtype();
      (*r.mutable_attr())["shape_type"].set_type(tensorflow::DT_INT32);
    } else if (op == "TensorArrayScatterV3") {
      auto d = need(n, 4);
      std::string limit;
      if (d[3] == ta_name + ":1" && is_range_from_zero(d[1], &limit)) {
        r.set_op("TensorListFromTensor");
        r.add_input(d[2]);
        r.add_input(shape_input(*ta));
        (*r.mutable_attr())["shape_type"].set_type(tensorflow::DT_INT32);
      } else {
        r.set_op("TensorListScatterIntoExistingList");
        for (int k : {3, 2, 1}) r.add_input(d[k]);
      }
      set_dtype();
    } else if (op == "TensorArrayReadV3") {
      auto d = need(n, 3);
      r.set_op("TensorListGetItem");
      r.add_input(d[2]);
      r.add_input(d[1]);
      r.add_input(shape_input(*ta));
      set_dtype();
    } else if (op == "TensorArrayWriteV3") {
      auto d = need(n, 4);
      r.set_op("TensorListSetItem");
      for (int k : {3, 1, 2}) r.add_input(d[k]);
      set_dtype();
      const auto* dyn = attr(*ta, "dynamic_size");
      if (dyn && dyn->b()) (*r.mutable_attr())["resize_if_index_out_of_bounds"].set_b(true);
    } else if (op == "TensorArrayGatherV3") {
      auto d = need(n, 3);
      std::string limit;
      bool stack = false;
      if (is_range_from_zero(d[1], &limit)) {
        auto s = by_name_.find(parse_tensor_name(limit).first);
        const NodeDef* size = s == by_name_.end() ? nullptr : &g_.node(s->second);
        stack = size && size->op() == "TensorArraySizeV3" && size->input_size() >= 2 &&
                size->input(1) == d[2];
      }
      r.set_op(stack ? "TensorListStack" : "TensorListGather");
      r.add_input(d[2]);
      if (!stack) r.add_input(d[1]);
      r.add_input(shape_input(n));
      set_dtype();
      if (stack) (*r.mutable_attr())["num_elements"].set_i(-1);
    } else if (op == "TensorArraySizeV3") {
      auto d = need(n, 2);
      r.set_op("TensorListLength");
      r.add_input(d[1]);
    } else {  // TensorArrayCloseV3: frees the array; nothing to do for a list
      r.set_op("NoOp");
    }
    for (const auto& in : n.input())
      if (is_control(in)) r.add_input(in);
    repl[n.name()] = std::move(r);
  }
  // The handle chain: Enter/Identity nodes forwarding a handle; nothing else may use it.
  std::map<std::string, std::vector<std::pair<int, int>>> users;  // node -> (user, input index)
  for (int i = 0; i < g_.node_size(); ++i)
    for (int k = 0; k < g_.node(i).input_size(); ++k) {
      const auto& in = g_.node(i).input(k);
      if (!is_control(in)) users[parse_tensor_name(in).first].push_back({i, k});
    }
  std::set<std::string> chain;
  std::deque<std::string> todo(arrays.begin(), arrays.end());
  while (!todo.empty()) {
    std::string h = todo.front();
    todo.pop_front();
    for (auto [u, k] : users[h]) {
      const NodeDef& user = g_.node(u);
      auto [src, index] = parse_tensor_name(user.input(k));
      if (arrays.count(src) && index != 0) continue;  // the flow, not the handle
      if (repl.count(user.name())) {
        if (k != 0 && user.op() != "TensorArrayV3")
          fail("{}: node '{}' ({}) takes a TensorArray handle as input {}", src_, user.name(),
               user.op(), k);
        continue;
      }
      std::string b = base_op(user.op());
      if ((b == "Enter" || b == "Identity") && k == 0) {
        if (chain.insert(user.name()).second) todo.push_back(user.name());
        continue;
      }
      fail("{}: node '{}' ({}) uses the TensorArray handle '{}', which has no TensorList "
           "equivalent", src_, user.name(), user.op(), user.input(k));
    }
  }
  for (auto& n : *g_.mutable_node()) {
    if (auto it = repl.find(n.name()); it != repl.end()) n = std::move(it->second);
    auto* inputs = n.mutable_input();
    for (int k = inputs->size() - 1; k >= 0; --k) {
      const std::string& in = inputs->Get(k);
      auto [src, index] = parse_tensor_name(in);
      if (is_control(in) && chain.count(src)) inputs->DeleteSubrange(k, 1);
      else if (!is_control(in) && arrays.count(src) && index == 1) *inputs->Mutable(k) = src;
    }
  }
  // The flow path now carries the list: pass-through nodes on it become variant.
  users.clear();
  for (int i = 0; i < g_.node_size(); ++i)
    for (const auto& in : g_.node(i).input())
      if (!is_control(in)) users[parse_tensor_name(in).first].push_back({i, 0});
  static const std::set<std::string> producers = {"TensorListReserve", "TensorListFromTensor",
                                                  "TensorListSetItem",
                                                  "TensorListScatterIntoExistingList"};
  static const std::set<std::string> pass = {"Enter", "Merge", "Switch", "Exit", "NextIteration",
                                             "Identity"};
  std::set<std::string> seen;
  for (const auto& [name, unused] : repl)  // (the map's NodeDefs were moved into the graph)
    if (producers.count(g_.node(by_name_.at(name)).op())) todo.push_back(name);
  while (!todo.empty()) {
    std::string v = todo.front();
    todo.pop_front();
    for (auto [u, k] : users[v]) {
      NodeDef& user = *g_.mutable_node(u);
      if (chain.count(user.name()) || !pass.count(base_op(user.op())) ||
          !seen.insert(user.name()).second)
        continue;
      (*user.mutable_attr())["T"].set_type(tensorflow::DT_VARIANT);
      todo.push_back(user.name());
    }
  }
  // The handle chain goes away.
  std::vector<NodeDef> keep;
  for (auto& n : *g_.mutable_node())
    if (!chain.count(n.name())) keep.push_back(std::move(n));
  g_.clear_node();
  for (auto& n : keep) *g_.add_node() = std::move(n);
  return true;
}

}  // namespace

bool tensor_arrays_to_lists(tensorflow::GraphDef& graph, const std::string& source) {
  return Rewriter(graph, source).run();
}

}  // namespace tfaot::frontend
