// TF1 loop frames -> functional While (see tf1_loops.h).
#include "frontend/tf1_loops.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <vector>

#include "frontend/inliner.h"
#include "frontend/op_defs.h"
#include "support/error.h"

namespace tfaot::frontend {

namespace {

using tensorflow::NodeDef;

// Ref* variants behave like the plain control-flow ops.
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

struct Frame {
  std::string name;
  int parent = -1;
  int depth = 0;
};

class Functionalizer {
 public:
  Functionalizer(tensorflow::GraphDef& g, std::string source) : g_(g), src_(std::move(source)) {
    index_names();
  }

  void functionalize();

 private:
  struct LoopVar {
    NodeDef* enter = nullptr;
    NodeDef* merge = nullptr;
    NodeDef* next = nullptr;
    NodeDef* sw = nullptr;
    NodeDef* exit = nullptr;
  };
  struct Slot {  // one While input / function argument
    std::string arg;
    std::string outer;  // the While's input
    tensorflow::DataType type;
  };
  struct Loop;

  void index_names() {
    by_name_.clear();
    for (int i = 0; i < g_.node_size(); ++i) by_name_[g_.node(i).name()] = i;
  }
  int index_of(const std::string& name, const std::string& user) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
      fail("{}: node '{}' has input '{}' but there is no such node", src_, user, name);
    return it->second;
  }
  NodeDef& node(const std::string& name, const std::string& user) {
    return *g_.mutable_node(index_of(name, user));
  }
  std::string unique_name(const std::string& base) const {
    std::string n = base;
    for (int k = 1; by_name_.count(n); ++k) n = fmt::format("{}_{}", base, k);
    return n;
  }
  NodeDef* add_node(const std::string& base, const std::string& op) {
    NodeDef* n = g_.add_node();
    n->set_name(unique_name(base));
    n->set_op(op);
    by_name_[n->name()] = g_.node_size() - 1;
    dead_.resize(g_.node_size(), false);
    frame_.resize(g_.node_size(), 0);
    return n;
  }
  std::string fn_ref(const NodeDef& n, int index, const OpDefs& ops) const;
  void compute_frames();
  bool is_ancestor(int a, int b) const {
    for (; b >= 0; b = frames_[b].parent)
      if (a == b) return true;
    return false;
  }
  void functionalize_frame(int f, const OpDefs& ops);
  void remove_dead();

  tensorflow::GraphDef& g_;
  std::string src_;
  std::map<std::string, int> by_name_;
  std::vector<bool> dead_;
  std::vector<int> frame_;
  std::vector<Frame> frames_;
};

// Flat index -> FunctionDef reference "node:out_arg:k" (unknown ops: "node:output:index", which
// the Inliner reads as a flat index as long as every reference uses the same arg name).
std::string Functionalizer::fn_ref(const NodeDef& n, int index, const OpDefs& ops) const {
  const tensorflow::OpDef* def = ops.find(n.op());
  if (!def) return fmt::format("{}:output:{}", n.name(), index);
  int base = 0;
  for (const auto& a : def->output_arg()) {
    int len = 1;
    if (!a.number_attr().empty() || !a.type_list_attr().empty()) {
      const std::string& key = a.number_attr().empty() ? a.type_list_attr() : a.number_attr();
      const auto* v = attr(n, key.c_str());
      if (!v) fail("{}: node '{}' ({}) has no attribute '{}'", src_, n.name(), n.op(), key);
      len = a.number_attr().empty() ? v->list().type_size() : static_cast<int>(v->i());
    }
    if (index < base + len) return fmt::format("{}:{}:{}", n.name(), a.name(), index - base);
    base += len;
  }
  fail("{}: output {} of node '{}' ({}) does not exist", src_, index, n.name(), n.op());
}

// Frames as TensorFlow's control-flow analysis defines them: Enter opens the frame named by
// its frame_name inside its input's frame, Exit returns to the parent, every other node is in
// the innermost frame of its inputs (constants without inputs belong to no loop).
void Functionalizer::compute_frames() {
  const int n = g_.node_size();
  frame_.assign(n, 0);
  frames_ = {Frame{"", -1, 0}};
  std::vector<std::vector<int>> out(n);
  std::vector<int> pending(n, 0);
  auto back_edge = [&](const NodeDef& dst, const NodeDef& src) {
    return base_op(dst.op()) == "Merge" && base_op(src.op()) == "NextIteration";
  };
  for (int i = 0; i < n; ++i) {
    if (dead_[i]) continue;
    for (const auto& in : g_.node(i).input()) {
      int j = index_of(parse_tensor_name(in).first, g_.node(i).name());
      if (dead_[j] || back_edge(g_.node(i), g_.node(j))) continue;
      out[j].push_back(i);
      ++pending[i];
    }
  }
  std::deque<int> ready;
  for (int i = 0; i < n; ++i)
    if (!dead_[i] && pending[i] == 0) ready.push_back(i);
  int done = 0;
  while (!ready.empty()) {
    int i = ready.front();
    ready.pop_front();
    ++done;
    const NodeDef& nd = g_.node(i);
    const std::string b = base_op(nd.op());
    auto input_frame = [&](const std::string& ref) {
      return frame_[index_of(parse_tensor_name(ref).first, nd.name())];
    };
    if (b == "Enter" || b == "Exit") {
      if (nd.input_size() == 0 || is_control(nd.input(0)))
        fail("{}: node '{}' ({}) has no data input", src_, nd.name(), nd.op());
      int f = input_frame(nd.input(0));
      if (b == "Exit") {
        if (f == 0) fail("{}: node '{}' (Exit) is not inside a while loop", src_, nd.name());
        frame_[i] = frames_[f].parent;
      } else {
        const auto* fn = attr(nd, "frame_name");
        if (!fn || fn->s().empty())
          fail("{}: node '{}' (Enter) has no attribute 'frame_name'", src_, nd.name());
        int found = -1;
        for (size_t k = 1; k < frames_.size(); ++k)
          if (frames_[k].name == fn->s()) found = static_cast<int>(k);
        if (found < 0) {
          frames_.push_back(Frame{fn->s(), f, frames_[f].depth + 1});
          found = static_cast<int>(frames_.size()) - 1;
        } else if (frames_[found].parent != f) {
          fail("{}: node '{}' (Enter) enters loop '{}' from a different enclosing loop than its "
               "other Enter nodes", src_, nd.name(), fn->s());
        }
        frame_[i] = found;
      }
    } else {
      int f = 0;
      for (const auto& in : nd.input()) {
        int j = index_of(parse_tensor_name(in).first, nd.name());
        if (dead_[j] || back_edge(nd, g_.node(j))) continue;
        int g = frame_[j];
        if (is_ancestor(f, g)) f = g;
        else if (!is_ancestor(g, f))
          fail("{}: node '{}' ({}) uses values of two different while loops ('{}' and '{}')",
               src_, nd.name(), nd.op(), frames_[f].name, frames_[g].name);
      }
      frame_[i] = f;
    }
    for (int u : out[i])
      if (--pending[u] == 0) ready.push_back(u);
  }
  if (done < static_cast<int>(std::count(dead_.begin(), dead_.end(), false)))
    for (int i = 0; i < n; ++i)
      if (!dead_[i] && pending[i] > 0)
        fail("{}: cycle in the graph through node '{}' ({}) that is not a TF1 while loop "
             "(Enter/Merge/Switch/NextIteration/Exit)", src_, g_.node(i).name(), g_.node(i).op());
}

// One frame being turned into a While: its loop variables and the argument slots of the
// cond/body functions (shared by both, assigned as the functions are built).
struct Functionalizer::Loop {
  int frame = 0;
  std::vector<LoopVar> vars;
  std::map<std::string, int> merge_var, switch_var;
  std::map<std::string, const NodeDef*> invariant;  // Enter name -> Enter
  std::map<std::string, int> slot_of;                // Enter name / captured ref -> slot
  std::vector<Slot> slots;
  std::vector<std::string> controls;  // control inputs of the While
  std::set<std::string> used_names;   // node names, to keep argument names apart
};

void Functionalizer::functionalize_frame(int f, const OpDefs& ops) {
  Loop L;
  L.frame = f;
  const std::string& fname = frames_[f].name;
  const NodeDef* loop_cond = nullptr;
  std::vector<int> members;
  for (int i = 0; i < g_.node_size(); ++i)
    if (!dead_[i] && frame_[i] == f) members.push_back(i);
  for (int i : members) {
    const NodeDef& n = g_.node(i);
    if (base_op(n.op()) != "LoopCond") continue;
    if (loop_cond)
      fail("{}: while loop '{}' has two LoopCond nodes ('{}' and '{}')", src_, fname,
           loop_cond->name(), n.name());
    loop_cond = &n;
  }
  if (!loop_cond || loop_cond->input_size() == 0)
    fail("{}: while loop '{}' has no LoopCond node with an input", src_, fname);
  std::set<std::string> var_enters;
  for (int i : members) {
    NodeDef& m = *g_.mutable_node(i);
    if (base_op(m.op()) != "Merge") continue;
    LoopVar v;
    for (const auto& in : m.input()) {
      if (is_control(in)) continue;
      NodeDef& src = node(parse_tensor_name(in).first, m.name());
      std::string b = base_op(src.op());
      if (b == "Enter" && frame_[by_name_.at(src.name())] == f) v.enter = &src;
      else if (b == "NextIteration") v.next = &src;
    }
    if (!v.enter) continue;  // a Merge of a conditional inside the body
    if (!v.next || m.input_size() != 2)
      fail("{}: node '{}' (Merge) of while loop '{}' does not merge one Enter with one "
           "NextIteration", src_, m.name(), fname);
    v.merge = &m;
    var_enters.insert(v.enter->name());
    L.merge_var[m.name()] = static_cast<int>(L.vars.size());
    L.vars.push_back(v);
  }
  if (L.vars.empty()) fail("{}: while loop '{}' has no loop variables (Merge nodes)", src_, fname);
  for (int i : members) {
    NodeDef& s = *g_.mutable_node(i);
    if (base_op(s.op()) != "Switch" || s.input_size() < 2) continue;
    auto m = L.merge_var.find(parse_tensor_name(s.input(0)).first);
    if (m == L.merge_var.end() || parse_tensor_name(s.input(1)).first != loop_cond->name()) continue;
    if (L.vars[m->second].sw)
      fail("{}: loop variable '{}' of while loop '{}' has two Switch nodes", src_,
           L.vars[m->second].merge->name(), fname);
    L.vars[m->second].sw = &s;
    L.switch_var[s.name()] = m->second;
  }
  for (int i = 0; i < g_.node_size(); ++i) {
    NodeDef& e = *g_.mutable_node(i);
    if (dead_[i] || base_op(e.op()) != "Exit") continue;
    auto [src, index] = parse_tensor_name(e.input(0));
    auto s = L.switch_var.find(src);
    if (s == L.switch_var.end()) continue;
    if (index != 0) fail("{}: node '{}' (Exit) takes the true output of a loop Switch", src_, e.name());
    L.vars[s->second].exit = &e;
    dead_[i] = true;
  }
  for (int i : members) {
    const NodeDef& e = g_.node(i);
    if (base_op(e.op()) != "Enter" || var_enters.count(e.name())) continue;
    const auto* c = attr(e, "is_constant");
    if (!c || !c->b())
      fail("{}: node '{}' (Enter) of while loop '{}' is neither a loop variable (no Merge) nor "
           "loop-invariant (is_constant)", src_, e.name(), fname);
    L.invariant[e.name()] = &e;
  }
  for (const auto& [name, i] : by_name_) L.used_names.insert(name);
  auto type_of = [&](const NodeDef& n) {
    for (const char* a : {"T", "dtype", "out_type", "output_type", "DstT", "element_dtype"})
      if (const auto* v = attr(n, a); v && v->value_case() == tensorflow::AttrValue::kType)
        return v->type();
    fail("{}: the type of '{}' ({}), used inside while loop '{}', is unknown", src_, n.name(),
         n.op(), fname);
  };
  auto new_slot = [&](std::string outer, tensorflow::DataType type) {
    std::string arg = fmt::format("arg{}", L.slots.size());
    while (L.used_names.count(arg)) arg += "_";
    L.slots.push_back(Slot{arg, std::move(outer), type});
    return static_cast<int>(L.slots.size()) - 1;
  };
  for (const auto& v : L.vars) new_slot(v.enter->input(0), type_of(*v.enter));

  // Builds one function from the nodes of the frame that `roots` need.
  auto build = [&](bool body, const std::vector<std::string>& roots,
                   tensorflow::FunctionDef& fd) -> std::vector<std::string> {
    std::set<std::string> emitted;
    std::deque<std::string> todo;
    const char* part = body ? "body" : "cond";
    // Data reference as seen inside the function ("" for a control edge to drop).
    auto resolve = [&](const std::string& ref, const std::string& user) -> std::string {
      auto [name, index] = parse_tensor_name(ref);
      const bool ctl = index < 0;
      const int i = index_of(name, user);
      const NodeDef& n = g_.node(i);
      if (auto m = L.merge_var.find(name); m != L.merge_var.end()) {
        if (ctl) return "";
        if (index != 0)
          fail("{}: node '{}' uses output {} of loop Merge '{}'", src_, user, index, name);
        return L.slots[m->second].arg;
      }
      if (auto s = L.switch_var.find(name); s != L.switch_var.end()) {
        if (ctl) return "";
        if (!body || index != 1)
          fail("{}: node '{}' in the {} of while loop '{}' uses output {} of loop Switch '{}'",
               src_, user, part, fname, index, name);
        return L.slots[s->second].arg;
      }
      if (auto e = L.invariant.find(name); e != L.invariant.end()) {
        if (ctl) return "";
        auto [it, fresh] = L.slot_of.emplace(name, 0);
        if (fresh) it->second = new_slot(e->second->input(0), type_of(*e->second));
        return L.slots[it->second].arg;
      }
      if (frame_[i] == f) {
        std::string b = base_op(n.op());
        if (b == "Enter" || b == "Exit" || b == "NextIteration" || b == "LoopCond")
          fail("{}: node '{}' in the {} of while loop '{}' uses '{}' ({}), which a functional "
               "While cannot express", src_, user, part, fname, name, n.op());
        if (emitted.insert(name).second) todo.push_back(name);
        return ctl ? "^" + name : fn_ref(n, index, ops);
      }
      if (n.op() == "Const" && n.input_size() == 0) {  // copied into the function
        if (ctl) return "";
        if (emitted.insert(name).second) *fd.add_node_def() = n;
        return fn_ref(n, 0, ops);
      }
      if (!is_ancestor(frame_[i], f))
        fail("{}: node '{}' in while loop '{}' uses '{}' from another loop", src_, user, fname, ref);
      if (ctl) {
        if (std::find(L.controls.begin(), L.controls.end(), ref) == L.controls.end())
          L.controls.push_back(ref);
        return "";
      }
      std::string key = fmt::format("{}:{}", name, index);
      auto [it, fresh] = L.slot_of.emplace(key, 0);
      if (fresh) it->second = new_slot(key, type_of(n));
      return L.slots[it->second].arg;
    };
    std::vector<std::string> rets;
    for (const auto& r : roots) rets.push_back(resolve(r, fmt::format("({} result)", part)));
    while (!todo.empty()) {
      const NodeDef& src = node(todo.front(), fname);
      todo.pop_front();
      NodeDef* copy = fd.add_node_def();
      *copy = src;
      copy->clear_input();
      for (const auto& in : src.input()) {
        std::string r = resolve(in, src.name());
        if (!r.empty()) copy->add_input(r);
      }
    }
    return rets;
  };

  std::string base = loop_cond->name();
  if (auto p = base.rfind("/LoopCond"); p != std::string::npos && p > 0) base = base.substr(0, p);
  else base = fname;
  NodeDef* w = add_node(base, "While");
  frame_.back() = frames_[f].parent;
  std::string stem;
  for (char c : w->name()) stem += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  auto fn_name = [&](const char* what) {
    std::set<std::string> taken;
    for (const auto& fn : g_.library().function()) taken.insert(fn.signature().name());
    std::string n = fmt::format("{}_{}_tf1", stem, what);
    for (int k = 1; taken.count(n); ++k) n = fmt::format("{}_{}_tf1_{}", stem, what, k);
    return n;
  };
  tensorflow::FunctionDef cond, body;
  auto cond_ret = build(false, {loop_cond->input(0)}, cond);
  std::vector<std::string> next_inputs;
  for (const auto& v : L.vars) {
    if (v.next->input_size() == 0 || is_control(v.next->input(0)))
      fail("{}: node '{}' (NextIteration) has no data input", src_, v.next->name());
    next_inputs.push_back(v.next->input(0));
  }
  auto body_ret = build(true, next_inputs, body);
  for (size_t k = body_ret.size(); k < L.slots.size(); ++k) body_ret.push_back(L.slots[k].arg);

  auto signature = [&](tensorflow::FunctionDef& fd, const char* what) {
    auto* sig = fd.mutable_signature();
    sig->set_name(fn_name(what));
    for (const auto& s : L.slots) {
      auto* a = sig->add_input_arg();
      a->set_name(s.arg);
      a->set_type(s.type);
    }
  };
  signature(cond, "cond");
  auto* co = cond.mutable_signature()->add_output_arg();
  co->set_name("cond");
  co->set_type(tensorflow::DT_BOOL);
  (*cond.mutable_ret())["cond"] = cond_ret[0];
  signature(body, "body");
  for (size_t k = 0; k < L.slots.size(); ++k) {
    auto* o = body.mutable_signature()->add_output_arg();
    o->set_name(fmt::format("out{}", k));
    o->set_type(L.slots[k].type);
    (*body.mutable_ret())[o->name()] = body_ret[k];
  }
  for (const auto& s : L.slots) w->add_input(s.outer);
  for (const auto& c : L.controls) w->add_input(c);
  auto& attrs = *w->mutable_attr();
  for (const auto& s : L.slots) attrs["T"].mutable_list()->add_type(s.type);
  attrs["cond"].mutable_func()->set_name(cond.signature().name());
  attrs["body"].mutable_func()->set_name(body.signature().name());
  const auto* pi = attr(*L.vars[0].enter, "parallel_iterations");
  attrs["parallel_iterations"].set_i(pi ? pi->i() : 10);
  *g_.mutable_library()->add_function() = std::move(cond);
  *g_.mutable_library()->add_function() = std::move(body);

  // Exit i -> While output i; the frame's nodes go away.
  std::map<std::string, int> exit_var;
  for (size_t k = 0; k < L.vars.size(); ++k)
    if (L.vars[k].exit) exit_var[L.vars[k].exit->name()] = static_cast<int>(k);
  for (int i = 0; i < g_.node_size(); ++i) {
    if (dead_[i]) continue;
    for (auto& in : *g_.mutable_node(i)->mutable_input()) {
      auto [src, index] = parse_tensor_name(in);
      auto e = exit_var.find(src);
      if (e == exit_var.end()) continue;
      in = index < 0 ? "^" + w->name() : fmt::format("{}:{}", w->name(), e->second);
    }
  }
  for (int i : members) dead_[i] = true;
}

void Functionalizer::functionalize() {
  dead_.assign(g_.node_size(), false);
  compute_frames();
  OpDefs ops(nullptr, &g_.library());
  std::vector<int> order;
  for (size_t k = 1; k < frames_.size(); ++k) order.push_back(static_cast<int>(k));
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return frames_[a].depth > frames_[b].depth; });
  for (int f : order) functionalize_frame(f, ops);
  remove_dead();
}

// Drops dead nodes; a live node must not read a value of a removed loop node.
void Functionalizer::remove_dead() {
  std::vector<NodeDef> keep;
  for (int i = 0; i < g_.node_size(); ++i) {
    if (dead_[i]) continue;
    NodeDef n = g_.node(i);
    n.clear_input();
    for (const auto& in : g_.node(i).input()) {
      auto [src, index] = parse_tensor_name(in);
      int j = index_of(src, n.name());
      if (!dead_[j]) {
        n.add_input(in);
        continue;
      }
      if (index >= 0)
        fail("{}: node '{}' ({}) uses '{}' from inside while loop '{}' without an Exit", src_,
             n.name(), n.op(), in, frames_.size() > 1 ? frames_[frame_[j]].name : "");
    }
    keep.push_back(std::move(n));
  }
  g_.clear_node();
  for (auto& n : keep) *g_.add_node() = std::move(n);
  index_names();
}

}  // namespace

bool functionalize_tf1_loops(tensorflow::GraphDef& graph, const std::string& source) {
  bool any = false;
  for (const auto& n : graph.node())
    if (base_op(n.op()) == "Enter" || n.op().rfind("TensorArray", 0) == 0) any = true;
  if (!any) return false;
  tensor_arrays_to_lists(graph, source);
  Functionalizer(graph, source).functionalize();
  return true;
}

}  // namespace tfaot::frontend
