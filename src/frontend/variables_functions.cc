// Variables captured by While/If/Case functions: Keras RNN loops receive the weight handles
// as loop variables and read them inside the body. The handle input becomes a constant input
// and each function gets a rewritten copy whose argument has the variable's dtype, with
// ReadVariableOp(arg) -> Identity and ResourceGather(arg, i) -> GatherV2(arg, i, 0).
#include <functional>
#include <map>
#include <set>

#include "frontend/inliner.h"
#include "frontend/variables.h"

namespace tfaot::frontend {

namespace {

struct Resolved {
  int arg;  // function argument index
  std::shared_ptr<const Tensor> value;
};

tensorflow::AttrValue type_attr(DType t) {
  tensorflow::AttrValue a;
  a.set_type(static_cast<tensorflow::DataType>(t));
  return a;
}

// Returns the name of the rewritten copy of `fname` (created once in `lib`).
std::string rewrite_function(tensorflow::FunctionDefLibrary& lib, const std::string& fname,
                             const std::vector<Resolved>& args, bool loop_body,
                             const std::string& source) {
  std::string new_name = fname + "__tfaot_vars";
  for (const auto& a : args) new_name += "_" + std::to_string(a.arg);
  for (const auto& f : lib.function())
    if (f.signature().name() == new_name) return new_name;
  const tensorflow::FunctionDef* orig = nullptr;
  for (const auto& f : lib.function())
    if (f.signature().name() == fname) orig = &f;
  if (!orig) fail("{}: function '{}' is not in the library", source, fname);
  tensorflow::FunctionDef fn = *orig;
  fn.mutable_signature()->set_name(new_name);
  auto where = [&] { return fmt::format("{}: function '{}'", source, fname); };

  // Tensor references that carry a variable's value, with its dtype.
  std::map<std::string, DType> carried;
  for (const auto& a : args) {
    if (a.arg >= fn.signature().input_arg_size())
      fail("{}: has no argument {} for a variable input", where(), a.arg);
    auto* in = fn.mutable_signature()->mutable_input_arg(a.arg);
    in->clear_type_attr();
    in->set_type(static_cast<tensorflow::DataType>(a.value->dtype()));
    fn.mutable_arg_attr()->erase(a.arg);
    fn.mutable_resource_arg_unique_id()->erase(a.arg);
    carried[in->name()] = a.value->dtype();
  }
  std::vector<tensorflow::NodeDef> extra;
  std::set<std::string> renamed, handled;
  // Body nodes are in no particular order; iterate until no new reference is carried.
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& nd : *fn.mutable_node_def()) {
      for (int j = 0; j < nd.input_size(); ++j) {
        auto c = carried.find(nd.input(j));
        if (c == carried.end() || handled.count(nd.name())) continue;
        handled.insert(nd.name());
        DType t = c->second;
        if (nd.op() == "ReadVariableOp") {
          nd.set_op("Identity");
          nd.mutable_attr()->erase("dtype");
          (*nd.mutable_attr())["T"] = type_attr(t);
          renamed.insert(nd.name());  // its output arg "value" is now "output"
        } else if (nd.op() == "Identity") {
          // An Identity of the handle passes the (now value) argument on.
          (*nd.mutable_attr())["T"] = type_attr(t);
          if (carried.emplace(nd.name() + ":output:0", t).second) changed = true;
        } else if (nd.op() == "ResourceGather" && j == 0) {
          tensorflow::NodeDef axis;
          axis.set_name(nd.name() + "__tfaot_axis");
          axis.set_op("Const");
          (*axis.mutable_attr())["dtype"] = type_attr(DType::Int32);
          auto* v = (*axis.mutable_attr())["value"].mutable_tensor();
          v->set_dtype(tensorflow::DT_INT32);
          v->add_int_val(0);
          extra.push_back(axis);
          nd.set_op("GatherV2");
          auto& at = *nd.mutable_attr();
          at.erase("dtype");
          at.erase("validate_indices");
          at["Tparams"] = type_attr(t);
          if (!at.count("Tindices")) at["Tindices"] = type_attr(DType::Int32);
          at["Taxis"] = type_attr(DType::Int32);
          if (!at.count("batch_dims")) at["batch_dims"].set_i(0);
          // GatherV2 takes (params, indices, axis) before any control inputs.
          std::vector<std::string> ins(nd.input().begin(), nd.input().end());
          ins.insert(ins.begin() + 2, axis.name() + ":output:0");
          nd.clear_input();
          for (auto& s : ins) nd.add_input(s);
        } else {
          fail("{}: node '{}' ({}) uses variable argument '{}' in a way the front end cannot "
               "resolve", where(), nd.name(), nd.op(), nd.input(j));
        }
      }
    }
  }
  for (auto& e : extra) *fn.add_node_def() = std::move(e);
  auto rename = [&](std::string& ref) {
    auto c = ref.find(":value:");
    if (c != std::string::npos && renamed.count(ref.substr(0, c)))
      ref = ref.substr(0, c) + ":output:" + ref.substr(c + 7);
  };
  for (auto& nd : *fn.mutable_node_def())
    for (auto& in : *nd.mutable_input()) rename(in);
  for (auto& [k, v] : *fn.mutable_ret()) rename(v);
  // A loop body passes the variable on: its output must now carry the value type too.
  if (loop_body) {
    for (const auto& a : args) {
      const auto& out = fn.signature().output_arg(a.arg);
      auto r = fn.ret().find(out.name());
      if (r == fn.ret().end() || !carried.count(r->second))
        fail("{}: loop variable {} holding a variable is not passed through unchanged", where(),
             a.arg);
      auto* o = fn.mutable_signature()->mutable_output_arg(a.arg);
      o->clear_type_attr();
      o->set_type(static_cast<tensorflow::DataType>(a.value->dtype()));
    }
  }
  *lib.add_function() = std::move(fn);
  return new_name;
}

void set_list_type(ir::Node* n, const std::string& attr, int i, DType t, const std::string& source) {
  auto it = n->attrs.find(attr);
  if (it == n->attrs.end() || i >= it->second.list().type_size())
    fail("{}: {} has no type {} in attribute '{}'", source, n->describe(), i, attr);
  it->second.mutable_list()->set_type(i, static_cast<tensorflow::DataType>(t));
}

}  // namespace

void resolve_functional_resources(
    ir::Graph& g, const std::function<std::shared_ptr<const Tensor>(ir::Node*)>& value_of,
    const std::string& source) {
  std::shared_ptr<tensorflow::FunctionDefLibrary> lib;
  std::vector<ir::Node*> nodes;
  for (const auto& n : g.nodes()) nodes.push_back(n.get());
  for (ir::Node* n : nodes) {
    const bool loop = n->op == "While" || n->op == "StatelessWhile";
    const bool cond = n->op == "If" || n->op == "StatelessIf";
    const bool cas = n->op == "Case" || n->op == "StatelessCase";
    if (!loop && !cond && !cas) continue;
    const int first = loop ? 0 : 1;  // If/Case input 0 selects the branch
    std::vector<Resolved> args;
    for (int i = first; i < static_cast<int>(n->inputs.size()); ++i) {
      const ir::Value& in = n->inputs[i];
      if (in.node->op != "VarHandleOp" && in.node->op != "Identity") continue;
      auto t = value_of(in.node);
      if (!t) continue;
      args.push_back({i - first, t});
      ir::Node* c = g.add_node(n->name + "/captured_" + std::to_string(i), "Const");
      c->set_attr_type("dtype", t->dtype());
      c->outputs = {ir::TensorType{t->dtype(), t->shape(), true}};
      c->value = t;
      n->inputs[i] = {c, 0};
      if (loop) {
        set_list_type(n, "T", i, t->dtype(), source);
        if (auto it = n->attrs.find("output_shapes");
            it != n->attrs.end() && i < it->second.list().shape_size()) {
          auto* s = it->second.mutable_list()->mutable_shape(i);
          s->Clear();
          for (int64_t d : t->shape()) s->add_dim()->set_size(d);
        }
      } else {
        set_list_type(n, "Tin", i - 1, t->dtype(), source);
      }
    }
    if (args.empty()) continue;
    if (!lib) {
      if (!g.library) fail("{}: {} has no function library", source, n->describe());
      lib = std::make_shared<tensorflow::FunctionDefLibrary>(*g.library);
    }
    n->attrs.erase("_read_only_resource_inputs");
    auto rewrite_attr = [&](const std::string& attr, bool body) {
      auto it = n->attrs.find(attr);
      if (it == n->attrs.end()) fail("{}: {} has no attribute '{}'", source, n->describe(), attr);
      if (it->second.has_func()) {
        auto* f = it->second.mutable_func();
        f->set_name(rewrite_function(*lib, f->name(), args, body, source));
      } else {
        for (auto& f : *it->second.mutable_list()->mutable_func())
          f.set_name(rewrite_function(*lib, f.name(), args, body, source));
      }
    };
    if (loop) {
      rewrite_attr("cond", false);
      rewrite_attr("body", true);
    } else if (cond) {
      rewrite_attr("then_branch", false);
      rewrite_attr("else_branch", false);
    } else {
      rewrite_attr("branches", false);
    }
  }
  if (lib) g.library = lib;
}

}  // namespace tfaot::frontend
