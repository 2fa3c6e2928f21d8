// tfaot-inspect: what the front end sees in a model — signatures, the chosen signature's
// inputs/outputs, the op histogram of the resolved graph, variables and weight bytes — and,
// with --summary / --dot / --svg, the optimized graph of one batch size (driver/inspect.h).
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "backend/toolchain.h"
#include "driver/cli.h"
#include "driver/inspect.h"
#include "driver/outputs.h"
#include "frontend/loader.h"
#include "support/interrupt.h"

namespace {

using nlohmann::json;
using tfaot::frontend::LoadOptions;

json shape_json(const tfaot::ir::TensorType& t) {
  if (!t.rank_known) return nullptr;
  return json(t.shape);
}

std::string shape_text(const tfaot::ir::TensorType& t) {
  if (!t.rank_known) return "<unknown rank>";
  std::string s = "[";
  for (size_t i = 0; i < t.shape.size(); ++i) s += (i ? "," : "") + std::to_string(t.shape[i]);
  return s + "]";
}

// --dot FILE ('-' = stdout) and --svg FILE (through Graphviz's dot); files are written
// through a temporary sibling so that a failure or an interrupt leaves nothing behind.
void write_graph(const tfaot::driver::OptimizedModel& m, const std::string& dot_file, const std::string& svg_file) {
  const std::string dot = tfaot::driver::graph_dot(m);
  if (dot_file == "-") std::cout << dot;
  else if (!dot_file.empty()) tfaot::driver::write_atomically(dot_file, dot);
  if (svg_file.empty()) return;
  const std::string tmp_dot = svg_file + ".tfaot-tmp.dot", tmp_svg = svg_file + ".tfaot-tmp";
  tfaot::driver::write_atomically(tmp_dot, dot);
  // A signal kills dot (a tracked child) and is rethrown once the temporaries are gone.
  auto r = tfaot::backend::run_process({"dot", "-Tsvg", "-o", tmp_svg, tmp_dot}, {});
  std::remove(tmp_dot.c_str());
  if (r.exit_code != 0 || tfaot::interrupt_signal() != 0) {
    std::remove(tmp_svg.c_str());
    tfaot::check_interrupt();
    if (r.exit_code < 0)
      tfaot::fail("--svg needs Graphviz's 'dot', which is not installed (Debian: apt-get install graphviz); "
                  "--dot FILE writes the graph without it");
    tfaot::fail("dot failed rendering {}: {}", svg_file, r.output.substr(0, r.output.find('\n')));
  }
  std::filesystem::rename(tmp_svg, svg_file);
}

int run(int argc, char** argv) {
  CLI::App app{"tfaot-inspect: show what tfaot sees in a TensorFlow model"};
  LoadOptions o;
  std::string model;
  std::vector<std::string> pins;
  bool list = false, as_json = false;
  app.add_option("model", model, "SavedModel directory or frozen GraphDef (.pb/.pbtxt)")->required();
  auto* key = tfaot::driver::add_model_options(app, o, pins);
  app.add_flag("--list-signatures", list, "only list the signatures")->excludes(key);
  app.add_flag("--json", as_json, "print one JSON document");
  bool want_summary = false;
  int64_t batch_size = 1;
  std::string dot_file, svg_file, roofline;
  std::vector<std::string> shapes;
  app.add_flag("--summary", want_summary,
               "per-op-type FLOPs, weight/scratch bytes and roofline time of the optimized graph");
  app.add_option("--dot", dot_file, "write the optimized graph as Graphviz to FILE ('-': stdout)");
  app.add_option("--svg", svg_file, "render the optimized graph to FILE with Graphviz's dot");
  app.add_option("--batch-size", batch_size, "batch size of the optimized graph (default 1)")
      ->check(CLI::PositiveNumber);
  app.add_option("--input-shape", shapes, "KEY=d0,d1,... full input shape, -1 = batch (repeatable)");
  app.add_option("--roofline", roofline,
                 "machine limits from a roofline CSV of ../shared/bench (default: measure now)");
  tfaot::driver::add_limit_option(app);
  if (int rc = tfaot::driver::parse_args(app, argc, argv, "tfaot-inspect", 1); rc >= 0) return rc;
  o.path = model;
  if (o.path.filename() == "saved_model.pb" || o.path.filename() == "saved_model.pbtxt")
    o.path = o.path.parent_path().empty() ? std::filesystem::path(".") : o.path.parent_path();
  tfaot::driver::apply_pins(o, pins);

  const bool saved = tfaot::frontend::is_saved_model(o.path);
  json doc;
  doc["model"] = model;
  doc["format"] = saved ? "saved_model" : "frozen_graph";
  json sigs = json::array();
  if (saved)
    for (const auto& s : tfaot::frontend::list_signatures(o.path, o.tags))
      sigs.push_back({{"key", s.key}, {"inputs", s.input_keys}, {"outputs", s.output_keys}});
  doc["signatures"] = sigs;
  if (list) {
    if (as_json) {
      std::cout << doc.dump(1) << "\n";
    } else {
      for (const auto& s : sigs)
        std::cout << s["key"].get<std::string>() << ": inputs " << s["inputs"].dump()
                  << " outputs " << s["outputs"].dump() << "\n";
    }
    return 0;
  }

  auto g = tfaot::frontend::load_model(o);
  tfaot::check_interrupt();  // a signal is only taken at these points: none is swallowed
  doc["signature_key"] = g->signature_key;
  auto io = [](const auto& list) {
    json a = json::array();
    for (const auto& x : list)
      a.push_back({{"key", x.key}, {"tensor", x.tensor_name},
                   {"dtype", tfaot::dtype_name(x.type.dtype)}, {"shape", shape_json(x.type)}});
    return a;
  };
  doc["inputs"] = io(g->inputs);
  doc["outputs"] = io(g->outputs);
  std::map<std::string, int> ops;
  uint64_t weight_bytes = 0;
  for (const auto& n : g->nodes()) {
    ++ops[n->op];
    if (n->is_const()) weight_bytes += n->value->byte_size();
  }
  doc["ops"] = ops;
  json vars = json::array();
  for (const auto& v : g->variables)
    vars.push_back({{"name", v.name}, {"dtype", tfaot::dtype_name(v.dtype)}, {"shape", v.shape},
                    {"checkpoint_key", v.checkpoint_key}, {"bytes", v.bytes}});
  doc["variables"] = vars;
  doc["weight_bytes"] = weight_bytes;
  doc["node_count"] = g->size();

  std::optional<tfaot::driver::OptimizedModel> optimized;
  if (want_summary || !dot_file.empty() || !svg_file.empty()) {
    std::map<std::string, tfaot::Shape> input_shapes;
    for (const auto& s : shapes) {
      const auto eq = s.find('=');
      if (eq == std::string::npos) tfaot::fail("--input-shape '{}': expected KEY=d0,d1,...", s);
      tfaot::Shape shape;
      std::stringstream dims(s.substr(eq + 1));
      for (std::string d; std::getline(dims, d, ',');) {
        char* end = nullptr;
        const long long v = std::strtoll(d.c_str(), &end, 10);
        if (d.empty() || *end || v < -1) tfaot::fail("--input-shape '{}': '{}' is not a dimension", s, d);
        shape.push_back(v);
      }
      input_shapes[s.substr(0, eq)] = shape;
    }
    optimized = tfaot::driver::optimize_for_inspection(*g, batch_size, input_shapes);
    tfaot::check_interrupt();
    write_graph(*optimized, dot_file, svg_file);
  }
  if (want_summary) {
    auto machine = roofline.empty() ? tfaot::driver::measure_machine() : tfaot::driver::read_roofline_csv(roofline);
    doc["summary"] = tfaot::driver::summary(*optimized, machine);
  }
  if (dot_file == "-") return 0;

  if (as_json) {
    std::cout << doc.dump(1) << "\n";
    return 0;
  }
  std::cout << "model: " << model << " (" << doc["format"].get<std::string>() << ")\n";
  if (saved) {
    std::cout << "signatures:\n";
    for (const auto& s : sigs)
      std::cout << "  " << s["key"].get<std::string>()
                << (s["key"] == g->signature_key ? "  (selected)" : "") << "\n";
  }
  auto print_io = [](const char* title, const auto& list) {
    std::cout << title << ":\n";
    for (const auto& x : list)
      std::cout << "  " << x.key << ": " << x.tensor_name << " " << tfaot::dtype_name(x.type.dtype)
                << shape_text(x.type) << "\n";
  };
  print_io("inputs", g->inputs);
  print_io("outputs", g->outputs);
  std::cout << "ops (" << g->size() << " nodes):\n";
  for (const auto& [op, n] : ops) std::cout << "  " << op << " " << n << "\n";
  std::cout << "variables (" << g->variables.size() << "):\n";
  for (const auto& v : g->variables)
    std::cout << "  " << v.name << " " << tfaot::dtype_name(v.dtype) << tfaot::shape_str(v.shape)
              << " <- " << v.checkpoint_key << " (" << v.bytes << " bytes)\n";
  std::cout << "weight bytes: " << weight_bytes << "\n";
  if (doc.contains("summary")) std::cout << tfaot::driver::summary_text(doc["summary"]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // SIGINT/SIGTERM while dot renders: dot is killed, no temporary is left, exit 128 + signal.
  tfaot::install_interrupt_handling("tfaot-inspect");
  return tfaot::driver::run_tool("tfaot-inspect", 1, [&] {
    const int rc = run(argc, argv);
    tfaot::check_interrupt();  // a signal during the last steps still ends with 128 + signal
    return rc;
  });
}
