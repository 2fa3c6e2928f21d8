#include "frontend/loader.h"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <set>

#include "frontend/functions.h"
#include "frontend/inliner.h"
#include "frontend/tables.h"
#include "frontend/saved_model.h"
#include "frontend/tensor_proto.h"
#include "frontend/tf1_loops.h"
#include "frontend/variables.h"

namespace tfaot::frontend {

namespace fs = std::filesystem;

namespace {

// "name" -> "name:0"; keeps an explicit index.
std::string canonical_tensor(const std::string& ref) {
  auto [node, index] = parse_tensor_name(ref);
  return fmt::format("{}:{}", node, index);
}

// Declared type of main-graph tensor `index` of `nd` from its attributes (frozen graphs).
// GraphDefs of producer version <= 21 wrote an unknown Placeholder shape as a scalar shape,
// which TensorFlow's shape function still reads as unknown for them.
ir::TensorType declared_type(const tensorflow::NodeDef& nd, int index, const std::string& what,
                             int producer) {
  ir::TensorType t;
  t.rank_known = false;
  // Output-type attributes first (Shape out_type, ArgMax output_type, Cast DstT), then T.
  for (const char* a : {"dtype", "out_type", "output_type", "DstT", "T"})
    if (auto it = nd.attr().find(a);
        it != nd.attr().end() && it->second.value_case() == tensorflow::AttrValue::kType) {
      t.dtype = dtype_from_tf(it->second.type());
      break;
    }
  const bool legacy_unknown = producer <= 21 && nd.op() == "Placeholder";
  if (auto it = nd.attr().find("shape"); it != nd.attr().end() && it->second.has_shape() &&
                                         !it->second.shape().unknown_rank() &&
                                         !(legacy_unknown && it->second.shape().dim_size() == 0)) {
    auto s = type_from_proto(0, it->second.shape(), what);
    t.shape = s.shape;
    t.rank_known = true;
  } else if (auto o = nd.attr().find("_output_shapes");
             o != nd.attr().end() && index < o->second.list().shape_size() &&
             !o->second.list().shape(index).unknown_rank()) {
    auto s = type_from_proto(0, o->second.list().shape(index), what);
    t.shape = s.shape;
    t.rank_known = true;
  }
  return t;
}

// A new Placeholder standing for main-graph tensor `tensor`.
ir::Node* make_placeholder(ir::Graph& g, const std::string& tensor, const ir::TensorType& type) {
  auto [node, index] = parse_tensor_name(tensor);
  ir::Node* ph = g.add_node(index == 0 ? node : fmt::format("{}_{}", node, index), "Placeholder");
  ph->set_attr_type("dtype", type.dtype);
  auto& shape = *ph->attrs["shape"].mutable_shape();
  if (!type.rank_known) shape.set_unknown_rank(true);
  for (int64_t d : type.shape) shape.add_dim()->set_size(d);
  ph->outputs = {type};
  return ph;
}

void apply_pins(ir::Graph& g, Inliner& inl, const std::map<std::string, Tensor>& pinned,
                const std::string& source) {
  for (const auto& [name, value] : pinned) {
    auto [node, index] = parse_tensor_name(name);
    const auto* nd = inl.main_node(node);
    if (!nd) fail("{}: pinned tensor '{}' does not exist in the graph", source, name);
    if (auto it = nd->attr().find("dtype");
        it != nd->attr().end() && it->second.value_case() == tensorflow::AttrValue::kType &&
        (nd->op() == "Placeholder" || nd->op() == "PlaceholderWithDefault") &&
        dtype_from_tf(it->second.type()) != value.dtype())
      fail("{}: pinned tensor '{}' is {} but the pin value is {}", source, name,
           dtype_name(dtype_from_tf(it->second.type())), dtype_name(value.dtype()));
    ir::Node* c = g.add_const(index == 0 ? node : fmt::format("{}_{}", node, index), value);
    inl.substitute(node, index, {c, 0});
  }
}

// NoOps only order side effects; their control inputs are moved to their control users.
void remove_noops(ir::Graph& g) {
  std::function<void(ir::Node*, std::vector<ir::Node*>&, std::set<ir::Node*>&)> expand =
      [&](ir::Node* c, std::vector<ir::Node*>& out, std::set<ir::Node*>& seen) {
        if (!seen.insert(c).second) return;
        if (c->op != "NoOp") {
          out.push_back(c);
          return;
        }
        for (ir::Node* cc : c->control_inputs) expand(cc, out, seen);
      };
  for (const auto& n : g.nodes()) {
    if (n->op == "NoOp") continue;
    bool any = std::any_of(n->control_inputs.begin(), n->control_inputs.end(),
                           [](ir::Node* c) { return c->op == "NoOp"; });
    if (!any) continue;
    std::vector<ir::Node*> out;
    std::set<ir::Node*> seen;
    for (ir::Node* c : n->control_inputs) expand(c, out, seen);
    n->control_inputs = out;
  }
  g.remove_nodes([](const ir::Node& n) { return n.op == "NoOp"; });
}

// Every Const in the graph and its library must carry a well-formed value, used or not
// (TensorFlow rejects such a model at import; so do we).
void check_consts(const tensorflow::GraphDef& gd, const std::string& file) {
  auto check = [&](const tensorflow::NodeDef& n, const std::string& where) {
    if (n.op() != "Const") return;
    std::string what = fmt::format("{}: {}node '{}' (Const)", file, where, n.name());
    auto v = n.attr().find("value");
    if (v == n.attr().end() || v->second.value_case() != tensorflow::AttrValue::kTensor)
      fail("{} has no tensor attribute 'value'", what);
    check_tensor_proto(v->second.tensor(), what);
  };
  for (const auto& n : gd.node()) check(n, "");
  for (const auto& f : gd.library().function())
    for (const auto& n : f.node_def()) check(n, fmt::format("function '{}': ", f.signature().name()));
}

bool uses_functions(const ir::Graph& g) {
  for (const auto& n : g.nodes())
    for (const auto& [k, a] : n->attrs)
      if (a.has_func() || (a.has_list() && a.list().func_size() > 0)) return true;
  return false;
}

void finish(ir::Graph& g, const tensorflow::FunctionDefLibrary& library,
            const std::map<std::string, std::string>& keys, const CheckpointReader* ckpt) {
  if (uses_functions(g)) g.library = std::make_shared<const tensorflow::FunctionDefLibrary>(library);
  resolve_variables(g, keys, ckpt, g.source);
  remove_noops(g);
  attach_control_flow_subgraphs(g);  // loop cond/body, branches become IR subgraphs
  if (!uses_functions(g)) g.library.reset();
  g.topo_order();  // throws on a cycle
}

std::unique_ptr<ir::Graph> load_saved_model(const LoadOptions& o) {
  const std::string file = saved_model_file(o.path).string();
  tensorflow::SavedModel sm = read_saved_model(o.path);
  const auto& meta = select_meta_graph(sm, o.tags, file);
  const auto& sig = select_signature(meta, o.signature_key, file);
  check_consts(meta.graph_def(), file);
  for (auto& m : *sm.mutable_meta_graphs())  // TF1 loop frames -> functional While
    if (&m == &meta) functionalize_tf1_loops(*m.mutable_graph_def(), file);
  OpDefs ops(&meta.meta_info_def().stripped_op_list(), &meta.graph_def().library());

  auto g = std::make_unique<ir::Graph>();
  g->source = o.path.string();
  g->signature_key = o.signature_key;
  Inliner inl(meta.graph_def(), ops, *g, file);
  apply_pins(*g, inl, o.pinned, file);

  auto sorted = [](const auto& map) {
    std::vector<std::pair<std::string, const tensorflow::TensorInfo*>> v;
    for (const auto& [k, info] : map) v.emplace_back(k, &info);
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.first < b.first; });
    return v;
  };
  auto check_info = [&](const std::string& kind, const std::string& key,
                        const tensorflow::TensorInfo& info) {
    if (info.encoding_case() != tensorflow::TensorInfo::kName)
      fail("{}: signature '{}' {} '{}' is not a dense tensor (sparse/composite tensors are not "
           "supported)", file, o.signature_key, kind, key);
    auto [node, index] = parse_tensor_name(info.name());
    if (!inl.main_node(node))
      fail("{}: signature '{}' {} '{}' names tensor '{}' but there is no node '{}'", file,
           o.signature_key, kind, key, info.name(), node);
    // No tensor_shape at all means nothing is known (a present but empty one is a scalar).
    tensorflow::TensorShapeProto unknown;
    unknown.set_unknown_rank(true);
    return type_from_proto(info.dtype(), info.has_tensor_shape() ? info.tensor_shape() : unknown,
                           fmt::format("{}: signature {} '{}'", file, kind, key));
  };
  for (const auto& [key, info] : sorted(sig.inputs())) {
    ir::TensorType type = check_info("input", key, *info);
    if (o.pinned.count(info->name()) || o.pinned.count(canonical_tensor(info->name())))
      continue;  // a pinned input is a constant, not an input
    ir::Node* ph = make_placeholder(*g, info->name(), type);
    auto [node, index] = parse_tensor_name(info->name());
    inl.substitute(node, index, {ph, 0});
    g->inputs.push_back({key, canonical_tensor(info->name()), type, ph});
  }
  // Unfed placeholders in a SavedModel are an error (the default handler says which).
  for (const auto& [key, info] : sorted(sig.outputs())) {
    ir::TensorType type = check_info("output", key, *info);
    const std::string& tensor = info->name();  // (clang 14 cannot capture structured bindings)
    ir::Value v = with_context(fmt::format("signature output '{}'", key),
                               [&] { return inl.tensor(tensor); });
    g->outputs.push_back({key, canonical_tensor(info->name()), type, v});
  }

  std::unique_ptr<CheckpointReader> ckpt;
  fs::path prefix = o.path / "variables" / "variables";
  std::error_code ec;
  if (fs::exists(fs::path(prefix.string() + ".index"), ec))
    ckpt = std::make_unique<CheckpointReader>(prefix);
  bool has_vars = false;
  for (const auto& n : g->nodes())
    if (n->op == "VarHandleOp" || n->op == "VariableV2" || n->op == "Variable") has_vars = true;
  std::map<std::string, std::string> keys;
  if (has_vars) keys = variable_checkpoint_keys(meta, ops, ckpt.get(), file);
  resolve_tables(*g, meta, ckpt.get(), file);
  finish(*g, meta.graph_def().library(), keys, ckpt.get());
  return g;
}

std::unique_ptr<ir::Graph> load_frozen_graph(const LoadOptions& o) {
  const std::string file = o.path.string();
  tensorflow::GraphDef gd;
  read_proto_file(o.path, gd);
  check_consts(gd, file);
  functionalize_tf1_loops(gd, file);  // TF1 loop frames -> functional While
  OpDefs ops(nullptr, &gd.library());
  auto g = std::make_unique<ir::Graph>();
  g->source = file;
  Inliner inl(gd, ops, *g, file);
  if (o.outputs.empty()) {
    // Suggest the unconsumed nodes: those are what a user usually fetches.
    std::set<std::string> consumed;
    for (const auto& n : gd.node())
      for (const auto& in : n.input()) consumed.insert(parse_tensor_name(in).first);
    std::vector<std::string> sinks;
    for (const auto& n : gd.node())
      if (!consumed.count(n.name()) && n.op() != "NoOp" && sinks.size() < 8) sinks.push_back(n.name());
    fail("{}: a frozen graph needs its outputs named (e.g. --output NAME:0); unconsumed nodes: {}",
         file, fmt::join(sinks, ", "));
  }
  apply_pins(*g, inl, o.pinned, file);
  const int producer = gd.versions().producer();
  for (const auto& name : o.inputs) {
    auto [node, index] = parse_tensor_name(name);
    const auto* nd = inl.main_node(node);
    if (!nd) fail("{}: input '{}': there is no node '{}'", file, name, node);
    ir::TensorType type =
        declared_type(*nd, index, fmt::format("{}: input '{}'", file, name), producer);
    ir::Node* ph = make_placeholder(*g, name, type);
    inl.substitute(node, index, {ph, 0});
    g->inputs.push_back({name, canonical_tensor(name), type, ph});
  }
  if (o.inputs.empty()) {
    // No inputs named: every Placeholder the outputs need becomes one, in the order found.
    inl.on_unfed_placeholder = [&, fallback = inl.on_unfed_placeholder](
                                   const tensorflow::NodeDef& nd, int index) -> ir::Value {
      if (nd.op() != "Placeholder") return fallback(nd, index);
      std::string name = fmt::format("{}:{}", nd.name(), index);
      ir::TensorType type =
          declared_type(nd, index, fmt::format("{}: input '{}'", file, name), producer);
      ir::Node* ph = make_placeholder(*g, name, type);
      g->inputs.push_back({name, name, type, ph});
      return {ph, 0};
    };
  }
  for (const auto& name : o.outputs) {
    auto [node, index] = parse_tensor_name(name);
    const auto* nd = inl.main_node(node);
    if (!nd) fail("{}: output '{}': there is no node '{}'", file, name, node);
    ir::Value v = with_context(fmt::format("output '{}'", name), [&] { return inl.tensor(name); });
    ir::TensorType type = declared_type(*nd, index, file, producer);
    g->outputs.push_back({name, canonical_tensor(name), type, v});
  }
  bool has_vars = false;
  for (const auto& n : g->nodes())
    if (n->op == "VarHandleOp" || n->op == "VariableV2" || n->op == "Variable") has_vars = true;
  if (has_vars) fail("{}: the graph is not frozen (it has variable nodes)", file);
  finish(*g, gd.library(), {}, nullptr);
  return g;
}

}  // namespace

bool is_saved_model(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) &&
         (fs::exists(path / "saved_model.pb", ec) || fs::exists(path / "saved_model.pbtxt", ec));
}

namespace {

std::unique_ptr<ir::Graph> load_model_here(const LoadOptions& options) {
  std::error_code ec;
  const std::string fname = options.path.filename().string();
  if ((fname == "saved_model.pb" || fname == "saved_model.pbtxt") &&
      fs::is_regular_file(options.path, ec)) {
    // The SavedModel's proto file was named instead of its directory.
    LoadOptions dir = options;
    dir.path = options.path.parent_path().empty() ? fs::path(".") : options.path.parent_path();
    return load_saved_model(dir);
  }
  if (!fs::exists(options.path, ec)) fail("{}: no such file or directory", options.path.string());
  if (fs::is_directory(options.path, ec)) {
    if (!is_saved_model(options.path))
      fail("{}: directory has no saved_model.pb or saved_model.pbtxt", options.path.string());
    return load_saved_model(options);
  }
  return load_frozen_graph(options);
}

// The inliner recurses along the graph's data paths (depth ~ longest path); run it on a
// thread with a large stack so that deep real graphs cannot overflow the caller's stack.
constexpr size_t kLoaderStack = size_t{1} << 30;

struct LoadJob {
  const LoadOptions* options;
  std::unique_ptr<ir::Graph> graph;
  std::exception_ptr error;
};

void* run_load(void* arg) {
  auto* job = static_cast<LoadJob*>(arg);
  try {
    job->graph = load_model_here(*job->options);
  } catch (...) {
    job->error = std::current_exception();
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<ir::Graph> load_model(const LoadOptions& options) {
  LoadJob job{&options, nullptr, nullptr};
  pthread_attr_t attr;
  pthread_t thread;
  bool threaded = pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, kLoaderStack) == 0 &&
                  pthread_create(&thread, &attr, run_load, &job) == 0;
  pthread_attr_destroy(&attr);
  if (threaded)
    pthread_join(thread, nullptr);
  else
    run_load(&job);  // no big stack available: still works for ordinary graphs
  if (job.error) std::rethrow_exception(job.error);
  return std::move(job.graph);
}

std::vector<SignatureSummary> list_signatures(const fs::path& dir,
                                              const std::vector<std::string>& tags) {
  const std::string file = saved_model_file(dir).string();
  tensorflow::SavedModel sm = read_saved_model(dir);
  const auto& meta = select_meta_graph(sm, tags, file);
  std::vector<SignatureSummary> out;
  for (const auto& key : signature_keys(meta)) {
    const auto& sig = meta.signature_def().at(key);
    SignatureSummary s{key, {}, {}};
    for (const auto& [k, v] : sig.inputs()) s.input_keys.push_back(k);
    for (const auto& [k, v] : sig.outputs()) s.output_keys.push_back(k);
    std::sort(s.input_keys.begin(), s.input_keys.end());
    std::sort(s.output_keys.begin(), s.output_keys.end());
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace tfaot::frontend
