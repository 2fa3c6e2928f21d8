#include "driver/check.h"

#include <algorithm>
#include <set>

#include "ops/control_flow.h"
#include "ops/op.h"
#include "passes/dead_code_elimination.h"
#include "passes/fuse_text_vectorization.h"
#include "passes/pipeline.h"
#include "passes/sparse_round_trip.h"

namespace tfaot::driver {

namespace {

bool trivial(const std::string& op) { return op == "Placeholder" || op == "NoOp"; }

// Depth first, a node before its subgraphs: the order in which the model's ops appear.
void collect_used(const ir::Graph& graph, std::vector<std::string>& used,
                  std::set<std::string>& seen) {
  for (const auto& n : graph.nodes()) {
    if (!trivial(n->op) && seen.insert(n->op).second) used.push_back(n->op);
    for (size_t k = 0; k < ops::pristine_subgraph_count(*n); ++k)
      collect_used(*n->subgraphs[k], used, seen);
  }
}

}  // namespace

OpCheck check_ops(ir::Graph& graph) {
  OpCheck r;
  std::set<std::string> seen;
  collect_used(graph, r.used, seen);
  // The rewrites optimize() makes before it rejects unsupported ops, in its order.
  passes::resolve_constant_control_flow(graph);
  if (passes::SparseRoundTrip().run(graph)) passes::DeadCodeElimination().run(graph);
  if (passes::FuseTextVectorization().run(graph)) passes::DeadCodeElimination().run(graph);
  r.unsupported = passes::unsupported_ops(graph);
  for (auto it = r.unsupported.begin(); it != r.unsupported.end();)
    it = trivial(it->first) ? r.unsupported.erase(it) : std::next(it);
  // A rewrite cannot add unsupported op types today; if one did, it must still be listed.
  for (const auto& [op, nodes] : r.unsupported)
    if (seen.insert(op).second) r.used.push_back(op);
  return r;
}

OpCheck check_model_ops(const frontend::LoadOptions& options) {
  auto graph = frontend::load_model(options);
  return check_ops(*graph);
}

TableRows op_rows(const OpCheck& check) {
  std::vector<std::string> names = check.used;
  std::sort(names.begin(), names.end());
  TableRows rows;
  for (const auto& op : names) rows.push_back({op, check.supported(op) ? "yes" : "NO"});
  return rows;
}

TableRows supported_op_rows() {
  TableRows rows;
  for (const auto& name : ops::op_names())
    if (ops::find_op(name)->rejection(ir::Node{}).empty()) rows.push_back({name, "yes"});
  return rows;
}

}  // namespace tfaot::driver
