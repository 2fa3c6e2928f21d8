#include "frontend/tables.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "frontend/inliner.h"
#include "frontend/tensor_proto.h"

namespace tfaot::frontend {

namespace {

using tensorflow::NodeDef;

// The nodes of the main graph or of one called function body, and how its arguments map to
// the caller's references.
struct Scope {
  std::map<std::string, const NodeDef*> nodes;
  std::map<std::string, std::string> args;  // function argument name -> reference in parent
  const Scope* parent = nullptr;
  std::string where;  // "main graph" / "function 'f'"
};

// A node output reached by following Identity ops and function arguments.
struct Source {
  const NodeDef* node = nullptr;
  int index = 0;
  const Scope* scope = nullptr;
};

struct TableContents {
  Tensor keys, values;
};

class Resolver {
 public:
  Resolver(const tensorflow::MetaGraphDef& meta, const CheckpointReader* ckpt, std::string file)
      : meta_(meta), ckpt_(ckpt), file_(std::move(file)) {
    main_.where = "main graph";
    for (const auto& n : meta.graph_def().node()) main_.nodes[n.name()] = &n;
    for (const auto& f : meta.graph_def().library().function()) functions_[f.signature().name()] = &f;
  }

  // Runs the restore op, then the init op (TF's loading order).
  void run() {
    visit_ref(meta_.saver_def().restore_op_name(), main_);
    auto sig = meta_.signature_def().find("__saved_model_init_op");
    if (sig != meta_.signature_def().end())
      for (const auto& [key, info] : sig->second.outputs()) visit_ref(info.name(), main_);
    for (const char* c : {"saved_model_main_op", "legacy_init_op", "table_initializer"}) {
      auto it = meta_.collection_def().find(c);
      if (it == meta_.collection_def().end() || !it->second.has_node_list()) continue;
      for (const auto& ref : it->second.node_list().value()) visit_ref(ref, main_);
    }
  }

  std::map<std::string, TableContents> tables;        // by main-graph table node name
  std::map<std::string, std::string> unsupported;     // table node name -> why

 private:
  static std::string node_of(const std::string& ref) {
    std::string r = ref.substr(ref.rfind('^') == 0 ? 1 : 0);
    return r.substr(0, r.find(':'));
  }
  // Output index of a reference: "n:3" (main graph) / "n:out:3" (function body) -> 3. Exact
  // for single-output-arg ops, the only ones followed here (Const, RestoreV2, tables).
  static int index_of(const std::string& ref) {
    auto colon = ref.rfind(':');
    return colon == std::string::npos ? 0 : std::stoi(ref.substr(colon + 1));
  }

  void visit_ref(const std::string& ref, const Scope& s) {
    if (ref.empty()) return;
    auto it = s.nodes.find(node_of(ref));
    if (it != s.nodes.end()) visit(*it->second, s);
  }

  void visit(const NodeDef& n, const Scope& s) {
    if (!visited_.insert({&s, n.name()}).second) return;
    for (const auto& in : n.input()) visit_ref(in, s);
    if (n.op() == "LookupTableImportV2" || n.op() == "InitializeTableV2") {
      if (n.input_size() < 3) fail("{}: {} node '{}' has {} inputs", file_, s.where, n.name(), n.input_size());
      std::string table = table_of(n.input(0), s, n);
      if (table.empty()) return;
      try {
        tables[table] = {value_of(n.input(1), s, n), value_of(n.input(2), s, n)};
        unsupported.erase(table);
      } catch (const Error& e) {
        unsupported[table] = e.what();
      }
    } else if (n.op() == "InitializeTableFromTextFileV2") {
      std::string table = table_of(n.input(0), s, n);
      if (!table.empty())
        unsupported[table] = fmt::format("filled from a text file by node '{}' (InitializeTableFromTextFileV2), "
                                         "which tfaot does not read", n.name());
    } else if (const tensorflow::FunctionDef* f = callee(n)) {
      scopes_.push_back(std::make_unique<Scope>());
      Scope& body = *scopes_.back();
      body.parent = &s;
      body.where = fmt::format("function '{}'", f->signature().name());
      for (const auto& b : f->node_def()) body.nodes[b.name()] = &b;
      int k = 0;
      for (const auto& in : n.input()) {
        if (in.rfind('^', 0) == 0) continue;
        if (k < f->signature().input_arg_size()) body.args[f->signature().input_arg(k).name()] = in;
        ++k;
      }
      for (const auto& b : f->node_def()) visit(b, body);
    }
  }

  const tensorflow::FunctionDef* callee(const NodeDef& n) const {
    std::string name = n.op();
    if (n.op() == "StatefulPartitionedCall" || n.op() == "PartitionedCall") {
      auto a = n.attr().find("f");
      if (a == n.attr().end()) return nullptr;
      name = a->second.func().name();
    }
    auto it = functions_.find(name);
    return it == functions_.end() ? nullptr : it->second;
  }

  // Follows Identity and function arguments up to the producing node.
  Source source(const std::string& ref, const Scope& s) const {
    std::string node = node_of(ref);
    if (auto a = s.args.find(node); a != s.args.end() && s.parent) return source(a->second, *s.parent);
    auto it = s.nodes.find(node);
    if (it == s.nodes.end()) return {nullptr, 0, &s};
    const NodeDef& n = *it->second;
    if ((n.op() == "Identity" || n.op() == "StopGradient") && n.input_size() > 0) return source(n.input(0), s);
    return {&n, index_of(ref), &s};
  }

  std::string table_of(const std::string& ref, const Scope& s, const NodeDef& user) const {
    Source src = source(ref, s);
    if (!src.node || src.scope != &main_) return "";
    if (src.node->op() != "HashTableV2" && src.node->op() != "MutableHashTableV2") {
      (void)user;
      return "";
    }
    return src.node->name();
  }

  Tensor value_of(const std::string& ref, const Scope& s, const NodeDef& user) const {
    Source src = source(ref, s);
    const std::string what = fmt::format("{}: input '{}' of node '{}' in the {}", file_, ref, user.name(), s.where);
    if (!src.node) fail("{} is not a node of the graph", what);
    const NodeDef& n = *src.node;
    if (n.op() == "Const") {
      auto v = n.attr().find("value");
      if (v == n.attr().end()) fail("{}: Const '{}' has no value", what, n.name());
      return tensor_from_proto(v->second.tensor(), what);
    }
    if (n.op() == "RestoreV2") {
      if (!ckpt_) fail("{} is read from a checkpoint, but the SavedModel has none", what);
      if (n.input_size() < 2) fail("{}: RestoreV2 '{}' has no tensor_names input", what, n.name());
      Tensor names = value_of(n.input(1), *src.scope, n);
      if (names.dtype() != DType::String || src.index < 0 || src.index >= names.num_elements())
        fail("{}: RestoreV2 '{}' output {} has no tensor name", what, n.name(), src.index);
      return ckpt_->read(names.strings()[src.index]);
    }
    fail("{} comes from node '{}' ({}), not from a constant or a checkpoint entry", what, n.name(), n.op());
  }

  const tensorflow::MetaGraphDef& meta_;
  const CheckpointReader* ckpt_;
  std::string file_;
  Scope main_;
  std::map<std::string, const tensorflow::FunctionDef*> functions_;
  std::vector<std::unique_ptr<Scope>> scopes_;
  std::set<std::pair<const Scope*, std::string>> visited_;
};

// The table node behind a table handle value in the flat graph (through Identity).
ir::Node* table_node(ir::Value v) {
  while (v.node && v.node->op == "Identity" && !v.node->inputs.empty()) v = v.node->inputs[0];
  if (v.node && (v.node->op == "HashTableV2" || v.node->op == "MutableHashTableV2")) return v.node;
  return nullptr;
}

}  // namespace

void resolve_tables(ir::Graph& g, const tensorflow::MetaGraphDef& meta, const CheckpointReader* ckpt,
                    const std::string& file) {
  bool any = false;
  for (const auto& n : g.nodes()) any |= n->op == "LookupTableFindV2" || n->op == "LookupTableSizeV2";
  if (!any) return;
  Resolver r(meta, ckpt, file);
  r.run();
  std::vector<ir::Node*> nodes;
  for (const auto& n : g.nodes()) nodes.push_back(n.get());
  for (ir::Node* n : nodes) {
    if (n->op != "LookupTableFindV2" && n->op != "LookupTableSizeV2") continue;
    if (n->inputs.empty()) continue;
    ir::Node* table = table_node(n->inputs[0]);
    auto unresolved = [&](const std::string& why) {
      n->attrs["_tfaot_unresolved"].set_s(why);
    };
    if (!table) {
      unresolved("its table handle does not come from a HashTableV2/MutableHashTableV2 node");
      continue;
    }
    auto it = r.tables.find(table->name);
    if (it == r.tables.end()) {
      auto u = r.unsupported.find(table->name);
      unresolved(fmt::format("table '{}' ({}) {}", table->name, table->op,
                             u != r.unsupported.end()
                                 ? u->second
                                 : "is not filled from constants or checkpoint entries by the "
                                   "SavedModel's restore or init op"));
      continue;
    }
    const TableContents& c = it->second;
    if (n->op == "LookupTableSizeV2") {
      ir::Node* k = g.add_const(n->name + "/tfaot_size", Tensor::scalar<int64_t>(c.keys.num_elements()));
      g.replace_uses({n, 0}, {k, 0});
      continue;
    }
    ir::Node* keys = g.add_const(table->name + "/tfaot_keys", c.keys);
    ir::Node* values = g.add_const(table->name + "/tfaot_values", c.values);
    n->op = "_TableFind";
    n->inputs = {n->inputs[1], n->inputs[2], {keys, 0}, {values, 0}};
    n->attrs["_tfaot_table"].set_s(table->name);
  }
  // Tables and size ops nobody reads any more.
  for (bool changed = true; changed;) {
    auto users = g.users();
    size_t before = g.size();
    g.remove_nodes([&](const ir::Node& n) {
      bool table_op = n.op == "LookupTableSizeV2" || table_node({const_cast<ir::Node*>(&n), 0});
      return table_op && users[&n].empty() &&
             std::none_of(g.outputs.begin(), g.outputs.end(), [&](const auto& o) { return o.value.node == &n; });
    });
    changed = g.size() != before;
  }
}

}  // namespace tfaot::frontend
