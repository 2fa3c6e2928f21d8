#include "driver/inspect.h"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "backend/weights.h"
#include "passes/pipeline.h"

namespace tfaot::driver {

using nlohmann::json;

OptimizedModel optimize_for_inspection(const ir::Graph& loaded, int64_t batch_size,
                                       const std::map<std::string, Shape>& input_shapes) {
  OptimizedModel m;
  m.graph = loaded.clone();
  passes::SpecializeOptions so;
  so.batch_size = batch_size;
  so.input_shapes = input_shapes;
  passes::specialize(*m.graph, so);
  passes::optimize(*m.graph);
  backend::WeightPool weights;
  backend::UnitOptions uo;
  uo.batch_size = batch_size;
  uo.include_kernels = false;  // only the report is used, the source is dropped
  m.info = backend::emit_unit(*m.graph, uo, weights).info;
  return m;
}

namespace {

uint64_t bytes_of(const ir::TensorType& t) {
  return t.is_static() ? static_cast<uint64_t>(t.num_elements()) * dtype_size(t.dtype) : 0;
}

// Bytes a node reads and writes (inputs, outputs; constants count as read weights).
uint64_t bytes_touched(const ir::Node& n) {
  uint64_t b = 0;
  for (size_t i = 0; i < n.inputs.size(); ++i) b += bytes_of(n.input_type(static_cast<int>(i)));
  for (const auto& t : n.outputs) b += bytes_of(t);
  return b;
}

}  // namespace

json summary(const OptimizedModel& m, const Machine& machine) {
  std::map<std::string, const ir::Node*> by_name;
  for (const auto& n : m.graph->nodes()) by_name[n->name] = n.get();
  // Working set of one call: weights, scratch and the signature tensors.
  uint64_t io = 0;
  for (const auto& t : m.info.inputs) io += static_cast<uint64_t>(t.count()) * dtype_size(t.dtype);
  for (const auto& t : m.info.outputs) io += static_cast<uint64_t>(t.count()) * dtype_size(t.dtype);
  const uint64_t working_set = m.info.weight_bytes + m.info.scratch_bytes + io;
  const double bw = machine.bandwidth_for(working_set);
  std::map<std::string, json> ops;
  double total_ns = 0;
  for (const auto& c : m.info.nodes) {
    const ir::Node* n = by_name.count(c.name) ? by_name[c.name] : nullptr;
    const double bytes = n ? double(bytes_touched(*n)) : 0.0;
    const double ns = std::max(double(c.flops) / machine.peak_gflops, bw > 0 ? bytes / bw : 0.0);
    json& o = ops[c.op];
    if (o.is_null()) o = {{"op", c.op}, {"count", 0}, {"flops", 0}, {"weight_bytes", 0}, {"scratch_bytes", 0}, {"roofline_ns", 0.0}};
    o["count"] = o["count"].get<int>() + 1;
    o["flops"] = o["flops"].get<uint64_t>() + c.flops;
    o["weight_bytes"] = o["weight_bytes"].get<uint64_t>() + c.weight_bytes;
    o["scratch_bytes"] = o["scratch_bytes"].get<uint64_t>() + c.scratch_bytes;
    o["roofline_ns"] = o["roofline_ns"].get<double>() + ns;
    total_ns += ns;
  }
  json list = json::array();
  for (auto& [op, o] : ops) list.push_back(o);
  std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
    return a["roofline_ns"].get<double>() > b["roofline_ns"].get<double>();
  });
  return {{"batch_size", m.info.batch_size},
          {"nodes", m.info.nodes.size()},
          {"flops", m.info.flops},
          {"weight_bytes", m.info.weight_bytes},
          {"scratch_bytes", m.info.scratch_bytes},
          {"io_bytes", io},
          {"ops", list},
          {"machine", {{"peak_gflops", machine.peak_gflops}, {"bandwidth_gbs", bw}, {"source", machine.source}}},
          {"roofline_ns", total_ns},
          {"roofline_ns_per_sample", total_ns / double(std::max<int64_t>(1, m.info.batch_size))}};
}

std::string summary_text(const json& s) {
  std::string out = fmt::format(
      "optimized graph at batch size {}: {} nodes, {} FLOP, weights {} B, scratch {} B (planned), inputs+outputs {} B\n",
      s["batch_size"].get<int64_t>(), s["nodes"].get<size_t>(), s["flops"].get<uint64_t>(),
      s["weight_bytes"].get<uint64_t>(), s["scratch_bytes"].get<uint64_t>(), s["io_bytes"].get<uint64_t>());
  out += fmt::format("{:<24} {:>6} {:>14} {:>12} {:>12} {:>12} {:>6}\n", "op", "count", "FLOP", "weight B",
                     "scratch B", "roofline ns", "share");
  const double total = std::max(1e-9, s["roofline_ns"].get<double>());
  for (const auto& o : s["ops"])
    out += fmt::format("{:<24} {:>6} {:>14} {:>12} {:>12} {:>12.1f} {:>5.1f}%\n", o["op"].get<std::string>(),
                       o["count"].get<int>(), o["flops"].get<uint64_t>(), o["weight_bytes"].get<uint64_t>(),
                       o["scratch_bytes"].get<uint64_t>(), o["roofline_ns"].get<double>(),
                       100 * o["roofline_ns"].get<double>() / total);
  const auto& mach = s["machine"];
  out += fmt::format(
      "roofline estimate: {:.1f} ns per call, {:.1f} ns per sample (peak {:.1f} GFLOP/s, {:.1f} GB/s for this "
      "working set; {})\n",
      s["roofline_ns"].get<double>(), s["roofline_ns_per_sample"].get<double>(), mach["peak_gflops"].get<double>(),
      mach["bandwidth_gbs"].get<double>(), mach["source"].get<std::string>());
  return out;
}

namespace {

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string types_text(const std::vector<ir::TensorType>& types) {
  std::string s;
  for (const auto& t : types) s += (s.empty() ? "" : " ") + t.str();
  return s;
}

std::string flops_text(uint64_t f) {
  if (f >= 1000000) return fmt::format("{:.2f} MFLOP", double(f) / 1e6);
  if (f >= 1000) return fmt::format("{:.1f} kFLOP", double(f) / 1e3);
  return fmt::format("{} FLOP", f);
}

}  // namespace

std::string graph_dot(const OptimizedModel& m) {
  std::map<std::string, const backend::NodeCost*> cost;
  for (const auto& c : m.info.nodes) cost[c.name] = &c;
  std::map<const ir::Node*, std::string> id;
  std::ostringstream out;
  out << "digraph tfaot {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", "
         "fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n";
  int next = 0;
  for (const ir::Node* n : m.graph->topo_order()) {
    if (n->is_const()) continue;
    id[n] = fmt::format("n{}", next++);
    std::string label, attrs;
    if (n->op == "Placeholder") {
      std::string key = n->name;
      for (const auto& in : m.graph->inputs)
        if (in.node == n) key = in.key;
      label = fmt::format("input {}\\n{}", dot_escape(key), types_text(n->outputs));
      attrs = ", shape=ellipse, fillcolor=\"#e4f5e4\"";
    } else {
      auto it = cost.find(n->name);
      const uint64_t flops = it == cost.end() ? 0 : it->second->flops;
      std::string consts;
      for (size_t i = 0; i < n->inputs.size(); ++i)
        if (n->inputs[i].node->is_const())
          consts += fmt::format("\\nconst {}", n->input_type(static_cast<int>(i)).str());
      label = fmt::format("{}\\n{}\\n{}{}{}", dot_escape(n->op), dot_escape(n->name), types_text(n->outputs), consts,
                          flops ? "\\n" + flops_text(flops) : "");
      if (flops >= m.info.flops / 4 && flops > 0) attrs = ", fillcolor=\"#fde2c8\"";  // the expensive ones
    }
    out << "  " << id[n] << " [label=\"" << label << "\"" << attrs << "];\n";
  }
  for (const ir::Node* n : m.graph->topo_order()) {
    if (!id.count(n)) continue;
    for (const ir::Value& v : n->inputs)
      if (id.count(v.node)) out << "  " << id[v.node] << " -> " << id[n] << ";\n";
  }
  for (size_t k = 0; k < m.graph->outputs.size(); ++k) {
    const auto& o = m.graph->outputs[k];
    out << fmt::format("  out{} [label=\"output {}\\n{}\", shape=ellipse, fillcolor=\"#e4f5e4\"];\n", k,
                       dot_escape(o.key), o.value.node->output_type(o.value.index).str());
    if (id.count(o.value.node)) out << "  " << id[o.value.node] << " -> out" << k << ";\n";
  }
  out << "}\n";
  return out.str();
}

}  // namespace tfaot::driver
