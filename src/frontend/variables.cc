#include "frontend/variables.h"

#include <algorithm>
#include <set>

#include "frontend/inliner.h"
#include "frontend/tensor_proto.h"
#include "support/limits.h"
#include "trackable_object_graph.pb.h"

namespace tfaot::frontend {

namespace {

bool is_variable_op(const std::string& op) {
  return op == "VarHandleOp" || op == "VariableV2" || op == "Variable";
}

// Follows Identity chains back to the producing node.
ir::Node* through_identity(ir::Value v) {
  int guard = 0;
  while (v.node && (v.node->op == "Identity" || v.node->op == "IdentityN") && !v.node->inputs.empty() &&
         ++guard < 10000) {
    v = v.node->op == "Identity" ? v.node->inputs[0] : v.node->inputs[v.index];
  }
  return v.node;
}

std::string strip_output(const std::string& ref) { return parse_tensor_name(ref).first; }

// (1) object graph: captured inputs of calls in the main graph.
void keys_from_object_graph(const tensorflow::MetaGraphDef& meta, const CheckpointReader& ckpt,
                            const std::string& source, std::map<std::string, std::string>& keys) {
  const auto& og = meta.object_graph_def();
  if (og.nodes_size() == 0 || !ckpt.contains("_CHECKPOINTABLE_OBJECT_GRAPH")) return;
  Tensor blob = ckpt.read("_CHECKPOINTABLE_OBJECT_GRAPH");
  if (blob.dtype() != DType::String || blob.num_elements() != 1)
    fail("{}: checkpoint entry _CHECKPOINTABLE_OBJECT_GRAPH is not a string scalar", source);
  tensorflow::TrackableObjectGraph tog;
  if (!tog.ParseFromString(blob.strings()[0]))
    fail("{}: cannot parse the checkpoint's _CHECKPOINTABLE_OBJECT_GRAPH", source);
  auto key_of_object = [&](int id) -> std::string {
    if (id < 0 || id >= og.nodes_size() || og.nodes(id).kind_case() != tensorflow::SavedObject::kVariable)
      return {};
    if (id >= tog.nodes_size()) return {};
    for (const auto& a : tog.nodes(id).attributes())
      if (a.name() == "VARIABLE_VALUE") return a.checkpoint_key();
    return {};
  };
  for (const auto& n : meta.graph_def().node()) {
    if (n.op() != "StatefulPartitionedCall" && n.op() != "PartitionedCall") continue;
    auto f = n.attr().find("f");
    if (f == n.attr().end()) continue;
    auto cf = og.concrete_functions().find(f->second.func().name());
    if (cf == og.concrete_functions().end()) continue;
    std::vector<std::string> data;
    for (const auto& in : n.input())
      if (in.empty() || in[0] != '^') data.push_back(strip_output(in));
    const auto& bound = cf->second.bound_inputs();
    if (bound.size() > static_cast<int>(data.size())) continue;
    // Captured inputs come after the function's own arguments.
    size_t first = data.size() - bound.size();
    for (int j = 0; j < bound.size(); ++j) {
      std::string key = key_of_object(bound[j]);
      if (!key.empty()) keys.emplace(data[first + j], key);
    }
  }
  // (3) SavedVariable.name == VarHandleOp shared_name, when unique.
  std::map<std::string, std::vector<int>> by_name;
  for (int i = 0; i < og.nodes_size(); ++i)
    if (og.nodes(i).kind_case() == tensorflow::SavedObject::kVariable)
      by_name[og.nodes(i).variable().name()].push_back(i);
  for (const auto& n : meta.graph_def().node()) {
    if (n.op() != "VarHandleOp" || keys.count(n.name())) continue;
    auto sn = n.attr().find("shared_name");
    std::string name = sn == n.attr().end() ? n.name() : sn->second.s();
    auto it = by_name.find(name);
    if (it != by_name.end() && it->second.size() == 1) {
      std::string key = key_of_object(it->second[0]);
      if (!key.empty()) keys.emplace(n.name(), key);
    }
  }
}

// (2) the restore graph, flattened: Assign*(variable, RestoreV2:k) with tensor_names[k].
void keys_from_restore_graph(const tensorflow::MetaGraphDef& meta, const OpDefs& ops,
                             const std::string& source, std::map<std::string, std::string>& keys) {
  const std::string& restore = meta.saver_def().restore_op_name();
  if (restore.empty()) return;
  ir::Graph g;
  Inliner inl(meta.graph_def(), ops, g, source);
  inl.on_unfed_placeholder = [&](const tensorflow::NodeDef& nd, int index) {
    return ir::Value{g.add_node(nd.name(), "Placeholder"), index};
  };
  try {
    inl.control(strip_output(restore));
  } catch (const Error&) {
    return;  // an unusable restore graph only removes this way of finding keys
  }
  for (const auto& n : g.nodes()) {
    if ((n->op != "AssignVariableOp" && n->op != "Assign") || n->inputs.size() < 2) continue;
    ir::Node* var = through_identity(n->inputs[0]);
    ir::Value src = n->inputs[1];
    while (src.node->op == "Identity" && !src.node->inputs.empty()) src = src.node->inputs[0];
    if (!var || !is_variable_op(var->op)) continue;
    if ((src.node->op != "RestoreV2" && src.node->op != "RestoreSlice") || src.node->inputs.size() < 2)
      continue;
    const Tensor* names = src.node->const_input(1);
    if (!names || names->dtype() != DType::String || src.index >= names->num_elements()) continue;
    keys.emplace(var->name, names->strings()[src.index]);
  }
}

}  // namespace

std::map<std::string, std::string> variable_checkpoint_keys(const tensorflow::MetaGraphDef& meta,
                                                            const OpDefs& ops,
                                                            const CheckpointReader* ckpt,
                                                            const std::string& source) {
  std::map<std::string, std::string> keys;
  if (ckpt) keys_from_object_graph(meta, *ckpt, source, keys);
  bool missing = false;
  for (const auto& n : meta.graph_def().node())
    if (is_variable_op(n.op()) && !keys.count(n.name())) missing = true;
  if (missing) keys_from_restore_graph(meta, ops, source, keys);
  for (const auto& n : meta.graph_def().node())
    if ((n.op() == "VariableV2" || n.op() == "Variable") && !keys.count(n.name()))
      keys.emplace(n.name(), n.name());  // (4) TF1 Saver: key = variable name
  return keys;
}

// Defined in variables_functions.cc: rewrites While/If/Case resource inputs.
void resolve_functional_resources(ir::Graph& g,
                                  const std::function<std::shared_ptr<const Tensor>(ir::Node*)>& value_of,
                                  const std::string& source);

void resolve_variables(ir::Graph& g, const std::map<std::string, std::string>& keys,
                       const CheckpointReader* ckpt, const std::string& source) {
  std::map<ir::Node*, std::shared_ptr<const Tensor>> values;
  int64_t total_bytes = 0;  // of the variables read so far (entry sizes, checked < tensor-bytes)
  auto value_of = [&](ir::Node* var) -> std::shared_ptr<const Tensor> {
    auto it = values.find(var);
    if (it != values.end()) return it->second;
    auto k = keys.find(var->name);
    if (k == keys.end())
      fail("{}: cannot find the checkpoint key of variable '{}' ({})", source, var->name, var->op);
    if (!ckpt)
      fail("{}: variable '{}' needs checkpoint key '{}' but the model has no variables/ checkpoint",
           source, var->name, k->second);
    if (!ckpt->contains(k->second))
      fail("{}: variable '{}': key '{}' is not in checkpoint {}", source, var->name, k->second,
           ckpt->prefix().string());
    const BundleEntry& e = ckpt->entry(k->second);
    DType want = var->attr_type(var->op == "VarHandleOp" ? "dtype" : "dtype", DType::Invalid);
    if (want != DType::Invalid && want != e.dtype)
      fail("{}: variable '{}' is {} but checkpoint key '{}' holds {}", source, var->name,
           dtype_name(want), k->second, dtype_name(e.dtype));
    if (auto* s = var->find_attr("shape"); s && s->has_shape() && !s->shape().unknown_rank()) {
      ir::TensorType declared = type_from_proto(0, s->shape(), var->describe());
      bool match = declared.shape.size() == e.shape.size();
      for (size_t i = 0; match && i < e.shape.size(); ++i)
        match = declared.shape[i] < 0 || declared.shape[i] == e.shape[i];
      if (!match)
        fail("{}: variable '{}' has shape {} but checkpoint key '{}' holds {}", source, var->name,
             shape_str(declared.shape), k->second, shape_str(e.shape));
    }
    // Checked against the index's claims before the read allocates anything.
    if (!e.partitioned) total_bytes += e.size;  // (a partitioned entry's size means nothing)
    check_limit(Limit::WeightBytes, total_bytes,
                fmt::format("{}: the total of the variables up to '{}' (checkpoint key '{}')", source,
                            var->name, k->second));
    auto t = std::make_shared<const Tensor>(ckpt->read(k->second));
    g.variables.push_back({var->name, k->second, t->dtype(), t->shape(),
                           static_cast<uint64_t>(t->byte_size())});
    values[var] = t;
    return t;
  };
  auto make_const = [&](ir::Node* n, std::shared_ptr<const Tensor> t) {
    n->op = "Const";
    n->inputs.clear();
    n->control_inputs.clear();
    n->attrs.clear();
    n->set_attr_type("dtype", t->dtype());
    n->outputs = {ir::TensorType{t->dtype(), t->shape(), true}};
    n->value = std::move(t);
  };

  std::vector<ir::Node*> nodes;
  for (const auto& n : g.nodes()) nodes.push_back(n.get());
  for (ir::Node* n : nodes) {
    if (n->op == "ReadVariableOp" || (n->op == "Identity" && !n->inputs.empty())) {
      if (n->inputs.empty()) continue;
      ir::Node* var = through_identity(n->inputs[0]);
      if (!var || !is_variable_op(var->op)) continue;
      auto t = value_of(var);
      if (n->op == "ReadVariableOp") {
        DType want = n->attr_type("dtype", t->dtype());
        if (want != t->dtype())
          fail("{}: {} reads variable '{}' as {} but it holds {}", source, n->describe(),
               var->name, dtype_name(want), dtype_name(t->dtype()));
      } else if (var->op == "VarHandleOp") {
        continue;  // Identity of a resource handle: resolved through its users
      }
      make_const(n, t);
    } else if (n->op == "ResourceGather") {
      if (n->inputs.size() != 2) fail("{}: {} needs 2 inputs", source, n->describe());
      ir::Node* var = through_identity(n->inputs[0]);
      if (!var || !is_variable_op(var->op)) continue;
      auto t = value_of(var);
      ir::Node* params = g.add_node(n->name + "/params", "Const");
      make_const(params, t);
      Tensor axis = Tensor::scalar<int32_t>(0);
      ir::Node* ax = g.add_const(n->name + "/axis", std::move(axis));
      n->op = "GatherV2";
      n->inputs = {{params, 0}, n->inputs[1], {ax, 0}};
      auto bd = n->attr_int("batch_dims", 0);
      DType tind = n->attr_type("Tindices", DType::Int32);
      n->attrs.clear();
      n->set_attr_type("Tparams", t->dtype());
      n->set_attr_type("Tindices", tind);
      n->set_attr_type("Taxis", DType::Int32);
      n->set_attr_int("batch_dims", bd);
    }
  }
  // TF1 ref variables read directly (no Identity) become constants themselves.
  for (ir::Node* n : nodes)
    if (n->op == "VariableV2" || n->op == "Variable") make_const(n, value_of(n));

  resolve_functional_resources(
      g,
      [&](ir::Node* n) -> std::shared_ptr<const Tensor> {
        ir::Node* var = through_identity({n, 0});
        return var && is_variable_op(var->op) ? value_of(var) : nullptr;
      },
      source);

  // Drop what is left of the resource plumbing; anything still using a handle is an op
  // the front end does not know how to resolve.
  auto users = g.users();
  std::set<const ir::Node*> dead;
  std::function<bool(ir::Node*)> is_handle = [&](ir::Node* n) {
    if (n->op == "VarHandleOp") return true;
    return n->op == "Identity" && !n->inputs.empty() && is_handle(n->inputs[0].node);
  };
  for (const auto& n : g.nodes())
    if (is_handle(n.get())) dead.insert(n.get());
  for (const auto& n : g.nodes()) {
    if (dead.count(n.get())) continue;
    for (const auto& in : n->inputs)
      if (dead.count(in.node))
        fail("{}: {} uses variable handle '{}' in a way the front end cannot resolve", source,
             n->describe(), in.node->name);
    std::erase_if(n->control_inputs, [&](ir::Node* c) { return dead.count(c) > 0; });
  }
  for (const auto& o : g.outputs)
    if (dead.count(o.value.node)) fail("{}: output '{}' is a variable handle", source, o.key);
  g.remove_nodes([&](const ir::Node& n) { return dead.count(&n) > 0; });
  std::sort(g.variables.begin(), g.variables.end(),
            [](const ir::VariableInfo& a, const ir::VariableInfo& b) { return a.name < b.name; });
}

}  // namespace tfaot::frontend
