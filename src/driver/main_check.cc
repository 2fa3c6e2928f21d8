// tfaot-check: which ops of a model tfaot supports (like cmsml_check_aot_compatibility):
// a table of the op types the serving function uses with yes/NO per device, then a summary
// per device; exit 1 if any op is unsupported. --table lists every supported op.
#include <iostream>
#include <map>
#include <set>

#include "driver/cli.h"
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

int run(int argc, char** argv) {
  CLI::App app{"tfaot-check: check which ops of a TensorFlow model tfaot can compile"};
  std::string model;
  tfaot::frontend::LoadOptions o;
  std::vector<std::string> devices = {"cpu"}, pins;
  bool table = false;
  app.add_option("model", model, "SavedModel directory or frozen GraphDef (.pb/.pbtxt)");
  app.add_option("-d,--devices", devices, "devices to check (tfaot supports: cpu)")->delimiter(',');
  app.add_flag("-t,--table", table, "only print the table of all supported ops");
  tfaot::driver::add_model_options(app, o, pins);
  if (int rc = tfaot::driver::parse_args(app, argc, argv, "tfaot-check", 2); rc >= 0) return rc;
  for (const auto& d : devices)
    if (d != "cpu") fail("--devices: tfaot compiles for cpu only, got '{}'", d);

  if (table) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& name : tfaot::ops::op_names()) rows.push_back({name, "yes"});
    print_grid({"Operation", "cpu"}, rows);
    return 0;
  }
  if (model.empty()) fail("either a MODEL path or --table must be given");
  tfaot::driver::apply_pins(o, pins);
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
  return tfaot::driver::run_tool("tfaot-check", 2, [&] { return run(argc, argv); });
}
