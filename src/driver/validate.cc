#include "driver/validate.h"

#include <algorithm>
#include <chrono>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "backend/jit.h"
#include "ops/interpreter.h"
#include "passes/pipeline.h"
#include "support/file.h"
#include "support/interrupt.h"

namespace tfaot::driver {

namespace fs = std::filesystem;

int ValidateReport::passed() const {
  int n = 0;
  for (const auto& r : results) n += r.comparison.pass;
  return n;
}

int ValidateReport::failed() const { return static_cast<int>(results.size()) - passed(); }

namespace {

std::unique_ptr<ir::Graph> prepare(const ir::Graph& loaded, const ValidateOptions& o, int64_t batch) {
  auto g = loaded.clone();
  passes::specialize(*g, {.batch_size = batch, .input_shapes = o.input_shapes});
  passes::optimize(*g);
  return g;
}

backend::JitOptions jit_options(const ValidateOptions& o) {
  backend::JitOptions j;
  if (!o.cxx.empty()) j.cxx = o.cxx;
  j.target = o.target;
  j.runners = o.runners;
  return j;
}

// The generated code's outputs, once per runner (one entry, labelled "", without runners).
// Sizes of the code compiled in process (zero when it runs out of process, under runners).
struct CodeSize {
  uint64_t object_bytes = 0, weight_bytes = 0;
};

// One line per compiled batch size: optimization, emission and the C++ compile dominate the
// time; the single run is negligible.
void log_compiled(std::ostream* log, int64_t batch, std::chrono::steady_clock::time_point t0,
                  const CodeSize& size) {
  if (!log) return;
  *log << fmt::format("  batch {:>3}  compiled in {:.2f}s", batch,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (size.object_bytes)
    *log << fmt::format("  object {} KiB  weights {} KiB", (size.object_bytes + 1023) / 1024,
                        (size.weight_bytes + 1023) / 1024);
  *log << "\n";
}

std::vector<std::pair<std::string, std::vector<Tensor>>> run_each(const ir::Graph& g, const std::vector<Tensor>& inputs,
                                                                  const ValidateOptions& o, CodeSize& size) {
  const backend::JitOptions j = jit_options(o);
  if (!backend::needs_executable(j)) {
    backend::JitCode code(g, j);
    size = {code.object_bytes(), code.info().weight_bytes};
    return {{"", backend::run_generated(code, g, inputs)}};
  }
  std::vector<std::vector<Tensor>> runs = backend::run_generated_executable(g, inputs, j);
  std::vector<std::pair<std::string, std::vector<Tensor>>> out;
  for (size_t i = 0; i < runs.size(); ++i) out.emplace_back(o.runners.empty() ? "" : o.runners[i], std::move(runs[i]));
  return out;
}

// Every computed node output becomes a signature output, so the generated code exposes it.
std::unique_ptr<ir::Graph> with_all_outputs(const ir::Graph& g) {
  auto t = g.clone();
  t->outputs.clear();
  for (ir::Node* n : t->topo_order()) {
    if (n->op == "Const" || n->op == "Placeholder") continue;
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      ir::Value v{n, static_cast<int>(i)};
      t->outputs.push_back({v.str(), v.str(), n->outputs[i], v});
    }
  }
  return t;
}

// The first node (in topological order) whose generated output differs from the
// interpreter's beyond the tolerance.
std::string trace_divergence(const ir::Graph& g, const std::vector<Tensor>& inputs,
                             const ValidateOptions& o) {
  auto t = with_all_outputs(g);
  if (t->outputs.empty()) return "no computed nodes to trace";
  std::vector<Tensor> generated = backend::run_generated(*t, inputs, jit_options(o));
  std::vector<Tensor> reference = ops::interpret(*t, inputs);
  for (size_t i = 0; i < t->outputs.size(); ++i) {
    Comparison c = compare(generated[i], reference[i], o.tolerance);
    if (!c.pass)
      return fmt::format("first divergence at {} output {} ({}): max abs {:.3g}, {}",
                         t->outputs[i].value.node->describe(), t->outputs[i].value.index,
                         t->outputs[i].value.node->outputs[t->outputs[i].value.index].str(),
                         c.max_abs, c.message);
  }
  return "generated code agrees with the reference interpreter on every node; the difference "
         "is in the reference semantics of an op (or in the golden file)";
}

// Table keys the string input `in` reaches (as keys of _TableFind or of a fused
// TextVectorization), so that random string inputs are mostly words the model knows.
struct Vocabulary {
  std::vector<std::string> words;
  int64_t sentence_length = 0;  // > 0: the input is text split into up to this many tokens
};

Vocabulary vocabulary(const ir::Graph& g, const ir::Node* in) {
  auto users = g.users();
  Vocabulary v;
  std::set<const ir::Node*> seen;
  std::vector<const ir::Node*> todo = {in};
  while (!todo.empty()) {
    const ir::Node* n = todo.back();
    todo.pop_back();
    if (!seen.insert(n).second) continue;
    for (const ir::Node* u : users[n]) {
      const bool find = u->op == "_TableFind", text = u->op == "_TextVectorize";
      const ir::Node* keys = find ? u->inputs[2].node : text ? u->inputs[1].node : nullptr;
      if (keys && u->inputs[0].node == n && keys->is_const() && keys->value->dtype() == DType::String) {
        const auto& k = keys->value->strings();
        v.words.insert(v.words.end(), k.begin(), k.end());
      }
      if (text) v.sentence_length = std::max(v.sentence_length, u->attr_int("length"));
      if (!u->outputs.empty() && u->outputs[0].dtype == DType::String) todo.push_back(u);
    }
  }
  return v;
}

// A word: 80% known (if any), the rest unknown.
std::string random_word(const std::vector<std::string>& words, std::mt19937_64& rng) {
  const int p = std::uniform_int_distribution<int>(0, 99)(rng);
  if (!words.empty() && p < 80) return words[std::uniform_int_distribution<size_t>(0, words.size() - 1)(rng)];
  return fmt::format("tfaotunknown{}", p);
}

// Text for a TextVectorization input: 0 to ~1.25 * length words, some capitalized or followed
// by punctuation, separated by runs of mixed whitespace (exercises standardization, splitting,
// truncation and padding).
std::string random_sentence(const std::vector<std::string>& words, int64_t length, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> percent(0, 99);
  const int64_t n = std::uniform_int_distribution<int64_t>(0, length + length / 4 + 2)(rng);
  static constexpr std::string_view kPunct = ",.!?;:\"'()-";
  static constexpr std::string_view kSpaces[] = {" ", " ", " ", "  ", "\t", "\n", " \r\n "};
  std::string s = percent(rng) < 10 ? " " : "";
  for (int64_t i = 0; i < n; ++i) {
    std::string w = random_word(words, rng);
    if (!w.empty() && percent(rng) < 20 && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 'a' + 'A');
    if (percent(rng) < 3) w += w + w;  // longer than most (or all) vocabulary words
    if (percent(rng) < 15) w += kPunct[std::uniform_int_distribution<size_t>(0, kPunct.size() - 1)(rng)];
    s += w;
    s += kSpaces[std::uniform_int_distribution<size_t>(0, std::size(kSpaces) - 1)(rng)];
  }
  return s;
}

// Strings: 80% known words (if any), the rest unknown words and empty strings; text inputs
// get sentences.
Tensor random_strings(const ir::TensorType& t, const Vocabulary& v, std::mt19937_64& rng) {
  Tensor x(t.dtype, t.shape);
  std::uniform_int_distribution<int> percent(0, 99);
  for (auto& s : x.strings()) {
    int p = percent(rng);
    if (v.sentence_length > 0 && p < 95) s = random_sentence(v.words, v.sentence_length, rng);
    else if (!v.words.empty() && p < 80) s = v.words[std::uniform_int_distribution<size_t>(0, v.words.size() - 1)(rng)];
    else if (p < 95) s = fmt::format("tfaot unknown word {}", p);
    else s.clear();
  }
  return x;
}

Tensor random_tensor(const ir::TensorType& t, std::mt19937_64& rng) {
  Tensor x(t.dtype, t.shape);
  std::uniform_real_distribution<double> real(-2.0, 2.0);
  std::uniform_int_distribution<int> integer(0, 9);
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    if (t.dtype == DType::Bool) x.data<bool>()[i] = integer(rng) < 5;
    else if (dtype_is_float(t.dtype)) x.set_double(i, static_cast<float>(real(rng)));
    else x.set_double(i, integer(rng));
  }
  return x;
}

void log_result(std::ostream* log, const OutputResult& r) {
  if (!log) return;
  *log << fmt::format("  batch {:>3}  {:<28} {}max_abs {:.3e}  max_rel {:.3e}  {}{}\n", r.batch_size,
                      r.key, r.runner.empty() ? "" : "[" + r.runner + "]  ", r.comparison.max_abs, r.comparison.max_rel,
                      r.comparison.pass ? "PASS" : "FAIL",
                      r.comparison.message.empty() ? "" : "  (" + r.comparison.message + ")");
}

}  // namespace

ValidateOptions options_from_golden(const fs::path& model_path, const fs::path& golden_path) {
  ValidateOptions o;
  o.load.path = model_path;
  const std::string text = read_regular_file(golden_path, "golden file", uint64_t{2} << 30);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    fail("{}: invalid JSON: {}", golden_path.string(), e.what());
  }
  const auto& model = j.value("model", nlohmann::json::object());
  if (model.contains("signature")) o.load.signature_key = model["signature"].get<std::string>();
  if (model.contains("tags")) o.load.tags = model["tags"].get<std::vector<std::string>>();
  std::map<std::string, Tensor> constants;
  if (j.contains("generator") && j["generator"].contains("constants"))
    for (const auto& [k, v] : j["generator"]["constants"].items()) {
      DType dt = dtype_from_name(j["inputs"][k].value("dtype", "float32"));
      Tensor t(dt, {});
      t.set_double(0, v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>());
      constants.emplace(k, std::move(t));
    }
  bool frozen = model.value("format", "savedmodel") == "frozen_graph";
  if (frozen) {
    for (const auto& [k, v] : j["inputs"].items())
      if (!constants.count(k)) o.load.inputs.push_back(k);
    for (const auto& [k, v] : j["outputs"].items()) o.load.outputs.push_back(k);
    o.load.pinned = constants;
  }
  if (j.contains("input_shapes"))
    for (const auto& [k, dims] : j["input_shapes"].items()) {
      if (constants.count(k)) continue;
      Shape s;
      for (const auto& d : dims) s.push_back(d.is_string() ? -1 : d.get<int64_t>());
      o.input_shapes[k] = s;
    }
  return o;
}

ValidateReport validate_golden(const ValidateOptions& o, const Golden& golden, std::ostream* log) {
  auto loaded = frontend::load_model(o.load);
  ValidateReport report;
  for (const GoldenCase& c : golden.cases) {
    check_interrupt();  // between cases
    const auto t0 = std::chrono::steady_clock::now();
    auto g = prepare(*loaded, o, c.batch_size);
    std::vector<Tensor> inputs;
    for (const auto& in : g->inputs) {
      auto it = c.inputs.find(in.key);
      if (it == c.inputs.end()) fail("golden case for batch {} has no input '{}'", c.batch_size, in.key);
      inputs.push_back(it->second);
    }
    CodeSize size;
    const auto runs = run_each(*g, inputs, o, size);
    log_compiled(log, c.batch_size, t0, size);
    bool case_failed = false;
    for (const auto& [runner, outputs] : runs)
      for (size_t i = 0; i < g->outputs.size(); ++i) {
        auto it = c.outputs.find(g->outputs[i].key);
        if (it == c.outputs.end()) continue;  // not in the golden file
        OutputResult r{c.batch_size, g->outputs[i].key, runner, compare(outputs[i], it->second, o.tolerance)};
        case_failed |= !r.comparison.pass;
        log_result(log, r);
        report.results.push_back(std::move(r));
      }
    if (case_failed && o.trace) {
      check_interrupt();
      std::string t = fmt::format("batch {}: {}", c.batch_size, trace_divergence(*g, inputs, o));
      if (log) *log << "  trace: " << t << "\n";
      report.traces.push_back(std::move(t));
    }
  }
  return report;
}

ValidateReport validate_reference(const ValidateOptions& o, std::ostream* log) {
  auto loaded = frontend::load_model(o.load);
  ValidateReport report;
  std::mt19937_64 rng(o.seed);
  for (int64_t bs : o.batch_sizes) {
    check_interrupt();  // between batch sizes
    const auto t0 = std::chrono::steady_clock::now();
    auto g = prepare(*loaded, o, bs);
    std::vector<Tensor> inputs;
    for (const auto& in : g->inputs)
      inputs.push_back(in.node->outputs[0].dtype == DType::String
                           ? random_strings(in.node->outputs[0], vocabulary(*g, in.node), rng)
                           : random_tensor(in.node->outputs[0], rng));
    CodeSize size;
    const auto runs = run_each(*g, inputs, o, size);
    log_compiled(log, bs, t0, size);
    std::vector<Tensor> reference = ops::interpret(*g, inputs);
    check_interrupt();
    bool case_failed = false;
    for (const auto& [runner, generated] : runs)
      for (size_t i = 0; i < g->outputs.size(); ++i) {
        OutputResult r{bs, g->outputs[i].key, runner, compare(generated[i], reference[i], o.tolerance)};
        case_failed |= !r.comparison.pass;
        log_result(log, r);
        report.results.push_back(std::move(r));
      }
    if (case_failed && o.trace) {
      check_interrupt();
      std::string t = fmt::format("batch {}: {}", bs, trace_divergence(*g, inputs, o));
      if (log) *log << "  trace: " << t << "\n";
      report.traces.push_back(std::move(t));
    }
  }
  return report;
}

}  // namespace tfaot::driver
