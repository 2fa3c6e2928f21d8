// tfaot-check: which ops of a model tfaot supports (like cmsml_check_aot_compatibility):
// a table of the op types the serving function uses with yes/NO per device, then a summary
// per device; exit 1 if any op is unsupported. --table lists every supported op.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <set>

#include "frontend/loader.h"
#include "ops/op.h"
#include "passes/pipeline.h"

namespace {

using tfaot::fail;

// Grid table as printed by tabulate's "grid" format (cmsml's default).
void print_grid(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) width[c] = headers[c].size();
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  auto rule = [&](char ch) {
    std::string s = "+";
    for (size_t w : width) s += std::string(w + 2, ch) + "+";
    std::cout << s << "\n";
  };
  auto row = [&](const std::vector<std::string>& r) {
    std::string s = "|";
    for (size_t c = 0; c < r.size(); ++c) s += " " + r[c] + std::string(width[c] - r[c].size(), ' ') + " |";
    std::cout << s << "\n";
  };
  rule('-');
  row(headers);
  rule('=');
  for (const auto& r : rows) {
    row(r);
    rule('-');
  }
}

// "name:0=false" -> scalar tensor; the dtype follows the spelling (bool, int32, float32).
std::pair<std::string, tfaot::Tensor> parse_pin(const std::string& spec) {
  auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0) fail("--pin '{}': expected NAME:0=VALUE", spec);
  std::string name = spec.substr(0, eq), v = spec.substr(eq + 1);
  if (v == "false" || v == "true") return {name, tfaot::Tensor::scalar<bool>(v == "true")};
  try {
    size_t used = 0;
    if (v.find_first_of(".eE") == std::string::npos) {
      long long i = std::stoll(v, &used);
      if (used == v.size()) return {name, tfaot::Tensor::scalar<int32_t>(static_cast<int32_t>(i))};
    } else {
      float f = std::stof(v, &used);
      if (used == v.size()) return {name, tfaot::Tensor::scalar<float>(f)};
    }
  } catch (const std::exception&) {
  }
  fail("--pin '{}': value must be true, false, an integer or a float", spec);
}

int run(int argc, char** argv) {
  CLI::App app{"tfaot-check: check which ops of a TensorFlow model tfaot can compile"};
  std::string model;
  tfaot::frontend::LoadOptions o;
  std::vector<std::string> devices = {"cpu"}, pins;
  bool table = false;
  app.add_option("model", model, "SavedModel directory or frozen GraphDef (.pb/.pbtxt)");
  app.add_option("-k,--serving-key", o.signature_key, "SignatureDef key (default: serving_default)");
  app.add_option("--tags", o.tags, "MetaGraphDef tags (default: serve)")->delimiter(',');
  app.add_option("-d,--devices", devices, "devices to check (tfaot supports: cpu)")->delimiter(',');
  app.add_flag("-t,--table", table, "only print the table of all supported ops");
  app.add_option("--input", o.inputs, "frozen graph: input tensor name (repeatable)");
  app.add_option("--output", o.outputs, "frozen graph: output tensor name (repeatable)");
  app.add_option("--pin", pins, "tensor pinned to a constant, NAME:0=VALUE (repeatable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "tfaot-check: error: " << e.what() << " (see --help)\n";
    return 1;
  }
  for (const auto& d : devices)
    if (d != "cpu") fail("--devices: tfaot compiles for cpu only, got '{}'", d);

  if (table) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& name : tfaot::ops::op_names()) rows.push_back({name, "yes"});
    print_grid({"Operation", "cpu"}, rows);
    return 0;
  }
  if (model.empty()) fail("either a MODEL path or --table must be given");
  for (const auto& p : pins) o.pinned.insert(parse_pin(p));
  o.path = model;
  auto graph = tfaot::frontend::load_model(o);

  // Op types of the serving function (its graph after inlining), minus trivial ones.
  std::set<std::string> used;
  for (const auto& n : graph->nodes())
    if (n->op != "Placeholder" && n->op != "NoOp") used.insert(n->op);
  auto unsupported = tfaot::passes::unsupported_ops(*graph);
  std::vector<std::vector<std::string>> rows;
  for (const auto& op : used) rows.push_back({op, unsupported.count(op) ? "NO" : "yes"});
  print_grid({"Operation", "cpu"}, rows);

  unsupported.erase("NoOp");
  unsupported.erase("Placeholder");
  if (unsupported.empty()) {
    std::cout << "\ncpu: all ops compatible\n";
    return 0;
  }
  std::cout << "\ncpu: not compatible, " << unsupported.size() << " incompatible ops:";
  bool first = true;
  for (const auto& [op, nodes] : unsupported) std::cout << (first ? " " : ", ") << op, first = false;
  std::cout << "\n";
  for (const auto& [op, nodes] : unsupported) {
    std::cout << "  " << op << " used by:";
    for (size_t i = 0; i < nodes.size() && i < 10; ++i) std::cout << " " << nodes[i];
    if (nodes.size() > 10) std::cout << " (and " << nodes.size() - 10 << " more)";
    std::cout << "\n";
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::string msg = e.what();
    for (char& c : msg)
      if (c == '\n') c = ' ';
    std::cerr << "tfaot-check: error: " << msg << std::endl;
    return 2;
  }
}
