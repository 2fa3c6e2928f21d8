// tfaot-tune: batch rules from measurements. Compiles the model of an aot_config.yaml (or
// reuses a compiled package), times every compiled batch size through tfaot::Model on this
// machine, finds the cheapest rule for every batch size 1..max (driver/batch_tuning.h), checks
// the prediction by measuring tuned and default rules, and writes the rules file that
// tfaot::Model::setBatchRules loads, a table and an SVG plot. SIGINT/SIGTERM/SIGHUP stop it as
// they stop tfaot-compile (support/interrupt.h): the compiler or timing program is killed, the
// work directory removed, nothing written, exit status 128 + signal.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "backend/package.h"
#include "backend/toolchain.h"
#include "driver/batch_tuning.h"
#include "driver/cli.h"
#include "driver/compile.h"
#include "driver/config.h"
#include "driver/svg_plot.h"
#include "driver/outputs.h"
#include "driver/tune.h"
#include "support/interrupt.h"

namespace {

namespace fs = std::filesystem;
using namespace tfaot::driver;

// A temporary directory, removed at the end and when an error or a signal unwinds.
struct WorkDir {
  fs::path path;
  WorkDir() {
    std::string tmpl = (fs::temp_directory_path() / "tfaot-tune-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) tfaot::fail("cannot create a temporary directory");
    path = tmpl;
  }
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct Row {
  TunedRule tuned, fallback;  // fallback: CMSSW's default rule
  Timing tuned_t, default_t;
  std::optional<Timing> dynamic_t;  // the dynamic-batch entry, if the package has one
};

std::string rules_file(const Config& config, const std::string& target, const ChunkCosts& costs,
                       const std::vector<Row>& rows) {
  std::string sizes;
  for (const auto& [s, t] : costs.call) sizes += (sizes.empty() ? "" : ",") + std::to_string(s);
  std::string text = fmt::format(
      "# Batch rules for model '{}' (compiled batch sizes {}, target {}), measured by tfaot-tune.\n"
      "# Load with tfaot::Model<...>::setBatchRules(\"this file\"), or compile it into the package\n"
      "# (compilation.batch_rules / tfaot-compile --batch-rules); one rule batchSize:size1,...,sizeN per line.\n",
      config.model.name, sizes, target);
  for (const Row& r : rows) text += r.tuned.str() + "\n";
  return text;
}

std::string plot(const Config& config, const ChunkCosts& costs, const std::vector<Row>& rows) {
  PlotSeries def{"default rules (measured)", "#d62728", {}, false, false};
  PlotSeries tuned{"tuned rules (measured)", "#1f77b4", {}, false, false};
  PlotSeries pred{"tuned rules (predicted)", "#1f77b4", {}, true, false};
  PlotSeries compiled{"compiled sizes", "#2ca02c", {}, false, true};
  PlotSeries dyn{"dynamic-batch entry (measured)", "#9467bd", {}, false, false};
  for (const Row& r : rows) {
    const double b = static_cast<double>(r.tuned.batch_size);
    def.points.push_back({b, r.default_t.median_ns / b});
    tuned.points.push_back({b, r.tuned_t.median_ns / b});
    pred.points.push_back({b, r.tuned.predicted_ns / b});
    if (r.dynamic_t) dyn.points.push_back({b, r.dynamic_t->median_ns / b});
  }
  for (const auto& [s, t] : costs.call)
    if (s <= static_cast<int64_t>(rows.size())) compiled.points.push_back({double(s), t / double(s)});
  PlotOptions o;
  o.title = "tfaot-tune: " + config.model.name;
  o.x_label = "batch size";
  o.y_label = "time per sample [ns]";
  return svg_line_chart({def, tuned, pred, compiled, dyn}, o);
}

// A rule for the table: runs of one size shortened, "12:1x12" for "12:1,1,...,1".
std::string compact(const TunedRule& r) {
  std::string s = std::to_string(r.batch_size) + ":";
  for (size_t i = 0; i < r.sizes.size();) {
    size_t j = i;
    while (j < r.sizes.size() && r.sizes[j] == r.sizes[i]) ++j;
    s += (i ? "," : "") + std::to_string(r.sizes[i]) + (j - i > 2 ? "x" + std::to_string(j - i) : "");
    if (j - i == 2) s += "," + std::to_string(r.sizes[i]);
    i = j;
  }
  return s;
}

void print_table(const std::vector<Row>& rows, bool all) {
  std::set<int64_t> shown;
  const auto max_batch = static_cast<int64_t>(rows.size());
  for (int64_t b = 1; b <= max_batch; ++b)
    if (all || max_batch <= 32 || b <= 8 || (b & (b - 1)) == 0 || b == max_batch || b % 32 == 0) shown.insert(b);
  std::cout << "(rules: AxN = N chunks of size A; the last chunk is padded when the sizes sum to more)\n";
  std::cout << fmt::format("{:>5}  {:<18} {:>11} {:>11} {:>17}  {:<18} {:>11} {:>8}\n", "batch", "tuned rule",
                           "pred ns/s", "meas ns/s", "spread (p10-p90)", "default rule", "meas ns/s", "speedup");
  for (int64_t b : shown) {
    const Row& r = rows[b - 1];
    const double n = static_cast<double>(b);
    std::cout << fmt::format("{:>5}  {:<18} {:>11.1f} {:>11.1f} {:>17}  {:<18} {:>11.1f} {:>7.2f}x\n", b, compact(r.tuned),
                             r.tuned.predicted_ns / n, r.tuned_t.median_ns / n,
                             fmt::format("{:.1f}-{:.1f}", r.tuned_t.p10_ns / n, r.tuned_t.p90_ns / n),
                             compact(r.fallback), r.default_t.median_ns / n, r.default_t.median_ns / r.tuned_t.median_ns);
  }
}

int run(int argc, char** argv) {
  CLI::App app{"tfaot-tune: batch rules for tfaot::Model from measurements on this machine"};
  std::string config_file, out_file, plot_file, package_dir, batch_sizes, target;
  int64_t max_batch = 256;
  int jobs = 0;
  bool quick = false, table_all = false;
  MeasureOptions mo;
  app.add_option("-c,--aot-config", config_file, "aot_config.yaml (or .json)")->required();
  app.add_option("--max-batch", max_batch, "tune batch sizes 1..N (default 256)")->check(CLI::Range(1, 65536));
  app.add_option("--out", out_file, "write the rules here (one BatchRule string per line)");
  app.add_option("--plot", plot_file, "write an SVG plot of time per sample vs. batch size");
  app.add_option("--package", package_dir, "time this tfaot-compile output instead of compiling");
  app.add_option("--batch-sizes", batch_sizes, "override compilation.batch_sizes, e.g. 1,2,4,16");
  app.add_option("--target", target, "override compilation.target (default: the config's)");
  app.add_option("-j,--jobs", jobs, "parallel compiler processes");
  app.add_option("--blocks", mo.blocks, "timed blocks per rule (statistics over blocks; default 21)")
      ->check(CLI::Range(3, 100000));
  app.add_option("--min-block-us", mo.min_block_us, "minimum duration of one timed block (default 200)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--quick", quick, "few, short blocks (smoke tests; noisy)");
  app.add_flag("--table-all", table_all, "print every batch size in the table");
  add_limit_option(app);
  if (int rc = parse_args(app, argc, argv, "tfaot-tune", 1); rc >= 0) return rc;
  if (quick) mo.blocks = 5, mo.min_block_us = 20;

  Config config = load_config(config_file);
  for (const auto& w : config.warnings) std::cerr << "tfaot-tune: warning: " << w << "\n";
  std::vector<int64_t> sizes =
      batch_sizes.empty() ? config.compilation.batch_sizes : parse_batch_sizes(batch_sizes, "--batch-sizes");
  tfaot::backend::ToolchainOptions tc;
  tc.cxx = config.compilation.cxx;
  // One target for timing: the first listed (the timing program runs on this machine).
  tc.target = target.empty() ? config.compilation.targets.front() : target;
  if (tfaot::backend::is_cross_target(tc.target))
    tfaot::fail("tfaot-tune times the model on this {} machine, but target '{}' is {} code: tune on a machine of "
                "that architecture (or pass --target with a target of this one)",
                tfaot::backend::arch_name(tfaot::backend::host_arch()), tc.target,
                tfaot::backend::arch_name(tfaot::backend::target_arch(tc.target)));
  for (const auto* p : {&out_file, &plot_file})
    if (!p->empty() && !fs::is_directory(fs::absolute(*p).parent_path()))
      tfaot::fail("{}: directory does not exist", *p);

  const fs::path configured_rules = config.compilation.batch_rules;
  WorkDir work;
  fs::path package = package_dir;
  if (package.empty()) {
    // The rules being tuned replace compiled-in ones (which may not exist yet, or name sizes
    // --batch-sizes drops); the timing program sets every rule it times anyway.
    config.compilation.batch_rules.clear();
    CompileOptions co;
    co.out_dir = work.path / "package";
    co.batch_sizes = sizes;
    co.target = tc.target;
    co.jobs = jobs;
    co.log = &std::cout;
    package = compile_model(config, co).out_dir;
  } else if (!fs::is_directory(package / "lib")) {
    tfaot::fail("--package {}: not a tfaot-compile output directory (no lib/)", package_dir);
  }
  const std::string tool = tfaot::backend::tool_name(config.model.name);
  TimingHarness harness(package, tool, config.compilation.ns + "::" + config.model.name, tc, work.path);

  std::cout << fmt::format("timing compiled sizes ({} blocks of >= {} us each, median)\n", mo.blocks,
                           mo.min_block_us);
  std::map<std::string, Timing> raw;
  ChunkCosts costs = measure_chunk_costs(harness, sizes, mo, &raw);
  std::cout << fmt::format("{:>6} {:>12} {:>12} {:>20} {:>12}\n", "size", "ns/call", "ns/sample", "spread ns/call",
                           "pad ns");
  for (const auto& [s, t] : costs.call) {
    const Timing& m = raw[fmt::format("{0}:{0}", s)];
    std::cout << fmt::format("{:>6} {:>12.1f} {:>12.1f} {:>20} {:>12.1f}\n", s, t, t / double(s),
                             fmt::format("{:.1f}-{:.1f}", m.p10_ns, m.p90_ns), costs.pad.count(s) ? costs.pad[s] : 0.0);
  }
  std::cout << fmt::format("overhead per extra chunk: {:.1f} ns\n\n", costs.chunk_overhead);

  // Tune, then measure tuned and default rules for every batch size.
  const bool dynamic = harness.has_dynamic();
  std::vector<Row> rows;
  std::vector<std::string> to_measure;
  std::map<std::string, size_t> index;
  auto want = [&](const std::string& rule) {
    if (index.emplace(rule, to_measure.size()).second) to_measure.push_back(rule);
  };
  tfaot::check_interrupt();
  for (const TunedRule& r : tune_rules(costs, max_batch)) {
    rows.push_back({r, default_rule(costs, r.batch_size), {}, {}});
    want(rows.back().tuned.str());
    want(rows.back().fallback.str());
    if (dynamic) want("dyn " + std::to_string(r.batch_size));
  }
  std::cout << fmt::format("timing {} rules for batch sizes 1..{}\n", to_measure.size(), max_batch);
  std::vector<Timing> timings = harness.measure(to_measure, mo);
  double tuned_sum = 0, default_sum = 0;
  for (Row& r : rows) {
    r.tuned_t = timings[index[r.tuned.str()]];
    r.default_t = timings[index[r.fallback.str()]];
    if (dynamic) r.dynamic_t = timings[index["dyn " + std::to_string(r.tuned.batch_size)]];
    tuned_sum += r.tuned_t.median_ns / double(r.tuned.batch_size);
    default_sum += r.default_t.median_ns / double(r.tuned.batch_size);
  }
  print_table(rows, table_all);
  double dyn_sum = 0;
  if (dynamic) {
    for (const Row& r : rows) dyn_sum += r.dynamic_t->median_ns / double(r.tuned.batch_size);
    std::cout << fmt::format("dynamic-batch entry: mean {:.1f} ns per sample over 1..{} ({:.2f}x the tuned rules)\n",
                             dyn_sum / double(max_batch), max_batch, dyn_sum / tuned_sum);
  }
  std::cout << fmt::format("\nmean time per sample over 1..{}: tuned {:.1f} ns, default {:.1f} ns ({:.2f}x)\n",
                           max_batch, tuned_sum / double(max_batch), default_sum / double(max_batch),
                           default_sum / tuned_sum);

  std::vector<TunedRule> tuned;
  for (const Row& r : rows) tuned.push_back(r.tuned);
  for (int64_t s : unused_sizes(costs, tuned))
    std::cout << fmt::format("batch size {} is used by no tuned rule: compiling it is not worth it\n", s);
  for (const Suggestion& s : suggest_sizes(costs, max_batch, 3))
    std::cout << fmt::format("worth compiling: batch size {} (estimated {:.0f}% less time per sample on average)\n",
                             s.size, 100 * s.mean_saving);
  tfaot::check_interrupt();  // the last point: outputs are written completely or not at all
  if (!out_file.empty()) {
    write_atomically(out_file, rules_file(config, tc.target, costs, rows));
    std::cout << "wrote " << out_file << "\n";
    if (!configured_rules.empty() &&
        fs::absolute(out_file).lexically_normal() == fs::absolute(configured_rules).lexically_normal())
      std::cout << "  the config names it (compilation.batch_rules): recompile to apply it:\n"
                << "    tfaot-compile -c " << config_file << " -o OUTDIR\n";
    else
      std::cout << "  compile the rules into the package (tfaot::Model then applies them):\n"
                << "    tfaot-compile -c " << config_file << " -o OUTDIR --batch-rules " << out_file << "\n"
                << "    (or name the file in the config: compilation.batch_rules)\n";
    std::cout << "  or load them at run time: model.setBatchRules(\"" << out_file << "\")\n";
    // Rules win over the dynamic-batch entry for their batch sizes.
    if (dynamic && dyn_sum < tuned_sum)
      std::cout << fmt::format("  note: the dynamic-batch entry is faster on average ({:.2f}x the tuned rules); these "
                               "rules, compiled in or loaded, replace it for batch sizes 1..{}\n",
                               dyn_sum / tuned_sum, max_batch);
  }
  if (!plot_file.empty()) {
    write_atomically(plot_file, plot(config, costs, rows));
    std::cout << "wrote " << plot_file << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tfaot::install_interrupt_handling("tfaot-tune");
  return tfaot::driver::run_tool("tfaot-tune", 1, [&] { return run(argc, argv); });
}
