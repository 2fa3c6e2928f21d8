// tfaot-inspect: what the front end sees in a model — signatures, the chosen signature's
// inputs/outputs, the op histogram of the resolved graph, variables and weight bytes.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>

#include "driver/cli.h"
#include "frontend/loader.h"

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
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return tfaot::driver::run_tool("tfaot-inspect", 1, [&] { return run(argc, argv); });
}
