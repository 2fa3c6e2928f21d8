#include "driver/tune.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "support/error.h"
#include "support/interrupt.h"

namespace tfaot::driver {

namespace fs = std::filesystem;

namespace {

// The timing program. argv: rules file, min block ns, blocks. Per rule line it prints
// "ok MEDIAN P10 P90" (ns per call) or "error MESSAGE". Inputs are deterministic small values
// (floats) or zeros (integers, bools), so index-like integer inputs stay in range.
constexpr const char* kHarness = R"(
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tfaot/Model.h"
#include "@INCLUDE@"

using M = @CLASS@;

namespace {

// The model's dynamic-batch entry, where the package has one (M::has_dynamic_batch).
template <class T, class = void>
struct Dynamic {
  static constexpr bool present = false;
  static void run(std::size_t, const void* const*, void* const*, void*) {}
  static constexpr std::size_t scratch = 0;
};
template <class T>
struct Dynamic<T, std::void_t<decltype(T::has_dynamic_batch)>> {
  static constexpr bool present = T::has_dynamic_batch;
  static void run(std::size_t batch, const void* const* in, void* const* out, void* scratch) {
    if constexpr (T::has_dynamic_batch) T::run_dynamic(batch, in, out, scratch);
  }
  static constexpr std::size_t scratch = [] {
    if constexpr (T::has_dynamic_batch) return std::size_t(T::dynamic_scratch_bytes);
    else return std::size_t(0);
  }();
};

template <typename T>
void fill(void* p, std::size_t n) {
  T* t = static_cast<T*>(p);
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point<T>::value) t[i] = static_cast<T>(0.01 * double(i % 97) - 0.4);
    else t[i] = T();
  }
}

void* alloc(std::size_t bytes) {
  void* p = std::aligned_alloc(64, (bytes + 64) / 64 * 64);
  std::memset(p, 0, (bytes + 64) / 64 * 64);
  return p;
}

template <std::size_t... I, std::size_t... O>
void allocate(std::size_t batch, std::vector<const void*>& in, std::vector<void*>& out,
              std::index_sequence<I...>, std::index_sequence<O...>) {
  ((in[I] = [&] {
     using T = std::tuple_element_t<I, M::input_types>;
     void* p = alloc(batch * M::input_counts_no_batch[I] * sizeof(T));
     fill<T>(p, batch * M::input_counts_no_batch[I]);
     return p;
   }()), ...);
  ((out[O] = alloc(batch * M::output_counts_no_batch[O] * sizeof(std::tuple_element_t<O, M::output_types>))), ...);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--has-dynamic") == 0) {
    std::printf("%d\n", Dynamic<M>::present ? 1 : 0);
    return 0;
  }
  if (argc != 4) return 2;
  std::ifstream rules(argv[1]);
  const double min_block_ns = std::atof(argv[2]);
  const int blocks = std::atoi(argv[3]);
  std::vector<std::string> lines;
  std::size_t max_batch = 1;
  for (std::string line; std::getline(rules, line);) {
    lines.push_back(line);
    const bool dyn = line.rfind("dyn ", 0) == 0;
    max_batch = std::max<std::size_t>(max_batch, std::strtoul(line.c_str() + (dyn ? 4 : 0), nullptr, 10));
  }
  std::vector<const void*> in(M::num_inputs);
  std::vector<void*> out(M::num_outputs);
  allocate(max_batch, in, out, std::make_index_sequence<M::num_inputs>(),
           std::make_index_sequence<M::num_outputs>());
  tfaot::Model<M> model;
  using Clock = std::chrono::steady_clock;
  // "dyn B" lines time the dynamic-batch entry directly, the others tfaot::Model::runFlat.
  void* dyn_scratch = alloc(Dynamic<M>::scratch);
  std::vector<bool> dynamic(lines.size());
  std::size_t current = 0;
  auto time_calls = [&](std::size_t batch, long calls) {
    const auto t0 = Clock::now();
    if (dynamic[current]) {
      for (long c = 0; c < calls; ++c) Dynamic<M>::run(batch, in.data(), out.data(), dyn_scratch);
    } else {
      for (long c = 0; c < calls; ++c) model.runFlat(batch, in.data(), out.data());
    }
    return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
  };
  auto select = [&](std::size_t r) {
    current = r;
    if (!dynamic[r]) model.setBatchRule(lines[r]);
  };
  // Calibration: calls per block for every rule (also warms every compiled size's buffers).
  std::vector<std::size_t> batch(lines.size());
  std::vector<long> calls(lines.size(), 1);
  std::vector<std::string> error(lines.size());
  for (std::size_t r = 0; r < lines.size(); ++r) {
    try {
      dynamic[r] = lines[r].rfind("dyn ", 0) == 0;
      if (dynamic[r] && !Dynamic<M>::present) throw std::runtime_error("the model has no dynamic-batch entry");
      batch[r] = dynamic[r] ? std::strtoul(lines[r].c_str() + 4, nullptr, 10) : tfaot::BatchRule(lines[r]).getBatchSize();
      select(r);
      time_calls(batch[r], 1);
      while (time_calls(batch[r], calls[r]) < min_block_ns && calls[r] < (1L << 24)) calls[r] *= 2;
    } catch (const std::exception& e) {
      error[r] = e.what();
    }
  }
  // Interleaved blocks: every round times one block of every rule, so that a change of the
  // machine's load hits all rules alike instead of biasing the ones measured at that time.
  std::vector<std::vector<double>> per_call(lines.size());
  for (int b = 0; b < blocks; ++b) {
    for (std::size_t r = 0; r < lines.size(); ++r) {
      if (!error[r].empty()) continue;
      select(r);
      per_call[r].push_back(time_calls(batch[r], calls[r]) / double(calls[r]));
    }
  }
  for (std::size_t r = 0; r < lines.size(); ++r) {
    if (!error[r].empty()) {
      std::printf("error %s\n", error[r].c_str());
      continue;
    }
    std::vector<double>& v = per_call[r];
    std::sort(v.begin(), v.end());
    auto q = [&](double f) { return v[static_cast<std::size_t>(f * double(v.size() - 1) + 0.5)]; };
    std::printf("ok %.3f %.3f %.3f\n", q(0.5), q(0.1), q(0.9));
  }
  return 0;
}
)";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

bool has_runtime(const fs::path& dir) { return fs::exists(dir / "tfaot" / "Model.h"); }

}  // namespace

fs::path runtime_include_dir() {
  if (const char* env = std::getenv("TFAOT_RUNTIME_INCLUDE"); env && *env) {
    if (!has_runtime(env)) fail("$TFAOT_RUNTIME_INCLUDE={} has no tfaot/Model.h", env);
    return env;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && has_runtime(exe.parent_path().parent_path() / "include"))
    return exe.parent_path().parent_path() / "include";
#ifdef TFAOT_SOURCE_RUNTIME_INCLUDE
  if (has_runtime(TFAOT_SOURCE_RUNTIME_INCLUDE)) return TFAOT_SOURCE_RUNTIME_INCLUDE;
#endif
  fail("cannot find tfaot's runtime headers (tfaot/Model.h); set $TFAOT_RUNTIME_INCLUDE");
}

TimingHarness::TimingHarness(const fs::path& package_dir, const std::string& tool_name,
                             const std::string& class_name, const backend::ToolchainOptions& toolchain,
                             const fs::path& work_dir)
    : exe_(work_dir / "tfaot_tune_harness"), work_dir_(work_dir) {
  std::string src = replace_all(kHarness, "@INCLUDE@", tool_name + "/model.h");
  src = replace_all(src, "@CLASS@", class_name);
  const fs::path source = work_dir / "tfaot_tune_harness.cc";
  std::ofstream(source) << src;
  std::vector<std::string> argv = backend::split_command(backend::resolve_cxx(toolchain));
  argv.insert(argv.end(), {"-std=c++17", "-O2", "-march=" + toolchain.target, "-I" + (package_dir / "include").string(),
                           "-I" + runtime_include_dir().string(), source.string()});
  for (const auto& entry : fs::directory_iterator(package_dir / "lib"))
    if (entry.path().extension() == ".o") argv.push_back(entry.path().string());
  argv.insert(argv.end(), {"-o", exe_.string()});
  backend::ProcessResult r = backend::run_process(argv, work_dir);
  check_interrupt();  // a killed compiler is no build failure
  if (r.exit_code != 0)
    fail("cannot build the timing program in {}: {}", work_dir.string(), r.output.substr(0, r.output.find('\n')));
}

bool TimingHarness::has_dynamic() const {
  backend::ProcessResult r = backend::run_process({exe_.string(), "--has-dynamic"}, work_dir_);
  check_interrupt();
  if (r.exit_code != 0) fail("the timing program failed (exit {}): {}", r.exit_code, r.output);
  return r.output.rfind("1", 0) == 0;
}

std::vector<Timing> TimingHarness::measure(const std::vector<std::string>& rules, const MeasureOptions& options) const {
  check_interrupt();  // between timing rounds
  const fs::path list = work_dir_ / "rules.txt";
  {
    std::ofstream out(list);
    for (const auto& r : rules) out << r << "\n";
    if (!out) fail("cannot write {}", list.string());
  }
  backend::ProcessResult r = backend::run_process(
      {exe_.string(), list.string(), fmt::format("{}", options.min_block_us * 1000), std::to_string(options.blocks)},
      work_dir_);
  check_interrupt();  // a killed timing program is no failure
  if (r.exit_code != 0) fail("the timing program failed (exit {}): {}", r.exit_code, r.output);
  std::istringstream lines(r.output);
  std::vector<Timing> out;
  for (const auto& rule : rules) {
    std::string status;
    lines >> status;
    if (status != "ok") {
      std::string rest;
      std::getline(lines, rest);
      fail("timing rule '{}' failed: {}{}", rule, status, rest);
    }
    Timing t;
    lines >> t.median_ns >> t.p10_ns >> t.p90_ns;
    t.blocks = options.blocks;
    out.push_back(t);
  }
  if (!lines) fail("the timing program's output is incomplete: {}", r.output);
  return out;
}

ChunkCosts measure_chunk_costs(const TimingHarness& harness, const std::vector<int64_t>& sizes,
                               const MeasureOptions& options, std::map<std::string, Timing>* raw) {
  if (sizes.empty()) fail("no compiled batch sizes to measure");
  std::vector<std::string> rules;
  for (int64_t s : sizes) {
    rules.push_back(fmt::format("{0}:{0}", s));
    if (s >= 2) rules.push_back(fmt::format("{}:{}", s - 1, s));
  }
  const int64_t smallest = *std::min_element(sizes.begin(), sizes.end());
  const std::string pair = fmt::format("{}:{},{}", 2 * smallest, smallest, smallest);
  rules.push_back(pair);
  std::vector<Timing> t = harness.measure(rules, options);
  std::map<std::string, Timing> by_rule;
  for (size_t i = 0; i < rules.size(); ++i) by_rule[rules[i]] = t[i];
  ChunkCosts costs;
  for (int64_t s : sizes) {
    costs.call[s] = by_rule[fmt::format("{0}:{0}", s)].median_ns;
    if (s >= 2) costs.pad[s] = std::max(0.0, by_rule[fmt::format("{}:{}", s - 1, s)].median_ns - costs.call[s]);
  }
  costs.chunk_overhead = std::max(0.0, by_rule[pair].median_ns - 2 * costs.call[smallest]);
  if (raw) *raw = std::move(by_rule);
  return costs;
}

}  // namespace tfaot::driver
