#include "frontend/functions.h"

#include "frontend/inliner.h"
#include "frontend/op_defs.h"
#include "graph.pb.h"

namespace tfaot::frontend {

namespace {

const tensorflow::FunctionDef* find_function(const tensorflow::FunctionDefLibrary& lib,
                                             const std::string& name) {
  for (const auto& f : lib.function())
    if (f.signature().name() == name) return &f;
  return nullptr;
}

std::string func_attr(const ir::Node& n, const char* attr, const std::string& source) {
  const auto* a = n.find_attr(attr);
  if (!a || !a->has_func() || a->func().name().empty())
    fail("{}: {} has no function attribute '{}'", source, n.describe(), attr);
  return a->func().name();
}

}  // namespace

std::unique_ptr<ir::Graph> function_to_graph(const std::string& name,
                                             const tensorflow::FunctionDefLibrary& library,
                                             const std::string& source) {
  const tensorflow::FunctionDef* fn = find_function(library, name);
  if (!fn) fail("{}: function '{}' is not in the library", source, name);
  const auto& sig = fn->signature();
  // A one-call main graph: Placeholders feed a direct call of the function, which the Inliner
  // flattens (with every nested call) exactly as it does for the model itself.
  tensorflow::GraphDef gd;
  *gd.mutable_library() = library;
  tensorflow::NodeDef* call = nullptr;
  std::vector<tensorflow::NodeDef*> args;
  for (int i = 0; i < sig.input_arg_size(); ++i) {
    auto* p = gd.add_node();
    p->set_name("arg" + std::to_string(i));
    p->set_op("Placeholder");
    const auto& a = sig.input_arg(i);
    if (a.type() == tensorflow::DT_INVALID)
      fail("{}: argument '{}' of function '{}' has no fixed type", source, a.name(), name);
    (*p->mutable_attr())["dtype"].set_type(a.type());
    args.push_back(p);
  }
  call = gd.add_node();
  call->set_name(name);
  call->set_op(name);
  for (const auto* p : args) call->add_input(p->name());
  OpDefs ops(nullptr, &gd.library());
  auto g = std::make_unique<ir::Graph>();
  g->source = source;
  Inliner inl(gd, ops, *g, source);
  std::map<std::string, ir::Node*> placeholders;
  for (size_t i = 0; i < args.size(); ++i) {
    ir::Node* p = g->add_node(args[i]->name(), "Placeholder");
    p->attrs = {args[i]->attr().begin(), args[i]->attr().end()};
    DType dt = dtype_from_tf(sig.input_arg(static_cast<int>(i)).type());
    ir::TensorType t{dt, {}, false};
    g->inputs.push_back({args[i]->name(), args[i]->name() + ":0", t, p});
    inl.substitute(args[i]->name(), 0, {p, 0});
  }
  for (int i = 0; i < sig.output_arg_size(); ++i) {
    ir::Value v = inl.tensor(name + ":" + std::to_string(i));
    DType dt = dtype_from_tf(sig.output_arg(i).type());
    g->outputs.push_back({"out" + std::to_string(i), v.str(), ir::TensorType{dt, {}, false}, v});
  }
  // Stateful leftovers that feed nothing (NoOp, control-only nodes) are not part of the value.
  g->remove_nodes([](const ir::Node& n) { return n.op == "NoOp"; });
  g->library = std::make_shared<const tensorflow::FunctionDefLibrary>(library);
  attach_control_flow_subgraphs(*g);
  return g;
}

void attach_control_flow_subgraphs(ir::Graph& g) {
  for (const auto& n : g.nodes()) {
    const bool loop = n->op == "While" || n->op == "StatelessWhile";
    const bool cond = n->op == "If" || n->op == "StatelessIf";
    const bool cas = n->op == "Case" || n->op == "StatelessCase";
    if ((!loop && !cond && !cas) || !n->subgraphs.empty()) continue;
    if (!g.library) fail("{}: {} has no function library", g.source, n->describe());
    auto graph_of = [&](const std::string& fn) {
      return std::shared_ptr<ir::Graph>(function_to_graph(fn, *g.library, g.source));
    };
    if (loop) {
      auto cond_g = graph_of(func_attr(*n, "cond", g.source));
      auto body = graph_of(func_attr(*n, "body", g.source));
      const size_t vars = n->inputs.size();
      if (cond_g->inputs.size() != vars || cond_g->outputs.size() != 1)
        fail("{}: {}: cond function takes {} arguments and returns {} values; the loop has {} "
             "variables", g.source, n->describe(), cond_g->inputs.size(), cond_g->outputs.size(),
             vars);
      if (body->inputs.size() != vars || body->outputs.size() != vars)
        fail("{}: {}: body function takes {} arguments and returns {} values; the loop has {} "
             "variables", g.source, n->describe(), body->inputs.size(), body->outputs.size(), vars);
      n->subgraphs = {cond_g, body};
      continue;
    }
    std::vector<std::string> fns;
    if (cond) {
      fns = {func_attr(*n, "then_branch", g.source), func_attr(*n, "else_branch", g.source)};
    } else {
      const auto* b = n->find_attr("branches");
      if (!b || b->list().func_size() == 0)
        fail("{}: {} has no function list attribute 'branches'", g.source, n->describe());
      for (const auto& f : b->list().func()) fns.push_back(f.name());
    }
    // Input 0 selects the branch; the others are the branch arguments.
    const size_t args = n->inputs.empty() ? 0 : n->inputs.size() - 1;
    for (const auto& fn : fns) {
      auto branch = graph_of(fn);
      if (branch->inputs.size() != args)
        fail("{}: {}: branch function '{}' takes {} arguments; the node passes {}", g.source,
             n->describe(), fn, branch->inputs.size(), args);
      n->subgraphs.push_back(branch);
    }
  }
}

}  // namespace tfaot::frontend
