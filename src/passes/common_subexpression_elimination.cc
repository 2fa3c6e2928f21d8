#include "passes/common_subexpression_elimination.h"

#include <map>

#include "ops/op.h"

namespace tfaot::passes {

namespace {

// Constants above this size are not compared (the back end deduplicates weights anyway).
constexpr size_t kMaxComparedConstBytes = 4096;

// A key that is equal exactly for nodes computing the same value; empty = never merge.
std::string node_key(const ir::Node& n, const std::map<const ir::Node*, size_t>& ids) {
  if (n.op == "Placeholder") return {};
  if (n.is_const()) {
    const Tensor& t = *n.value;
    if (t.dtype() == DType::String || t.byte_size() > kMaxComparedConstBytes) return {};
    return fmt::format("Const|{}|{}|", dtype_name(t.dtype()), shape_str(t.shape())) +
           std::string(reinterpret_cast<const char*>(t.raw()), t.byte_size());
  }
  const ops::Op* op = ops::find_op(n.op);
  if (!op || !op->foldable()) return {};
  std::string key = n.op + "|";
  for (const auto& v : n.inputs) key += fmt::format("{}:{},", ids.at(v.node), v.index);
  key += "|";
  for (const auto& [name, value] : n.attrs) key += name + "=" + value.ShortDebugString() + ";";
  return key;
}

}  // namespace

bool CommonSubexpressionElimination::run(ir::Graph& graph) {
  std::map<const ir::Node*, size_t> ids;
  std::map<std::string, ir::Node*> seen;
  bool changed = false;
  for (ir::Node* n : graph.topo_order()) {
    ids[n] = ids.size();
    std::string key = node_key(*n, ids);
    if (key.empty()) continue;
    auto [it, inserted] = seen.emplace(std::move(key), n);
    if (inserted) continue;
    ir::Node* keep = it->second;
    // Inputs of later nodes now refer to `keep`; give n the same id so their keys match.
    ids[n] = ids[keep];
    for (size_t i = 0; i < n->outputs.size(); ++i)
      changed |= graph.replace_uses({n, static_cast<int>(i)}, {keep, static_cast<int>(i)}) > 0;
  }
  return changed;
}

}  // namespace tfaot::passes
