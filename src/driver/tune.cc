#include "driver/tune.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "support/error.h"

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
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tfaot/Model.h"
#include "@INCLUDE@"

using M = @CLASS@;

namespace {

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
  if (argc != 4) return 2;
  std::ifstream rules(argv[1]);
  const double min_block_ns = std::atof(argv[2]);
  const int blocks = std::atoi(argv[3]);
  std::vector<std::string> lines;
  std::size_t max_batch = 1;
  for (std::string line; std::getline(rules, line);) {
    lines.push_back(line);
    max_batch = std::max<std::size_t>(max_batch, std::strtoul(line.c_str(), nullptr, 10));
  }
  std::vector<const void*> in(M::num_inputs);
  std::vector<void*> out(M::num_outputs);
  allocate(max_batch, in, out, std::make_index_sequence<M::num_inputs>(),
           std::make_index_sequence<M::num_outputs>());
  tfaot::Model<M> model;
  using Clock = std::chrono::steady_clock;
  for (const std::string& rule : lines) {
    try {
      model.setBatchRule(rule);
      const std::size_t batch = tfaot::BatchRule(rule).getBatchSize();
      auto time_calls = [&](long calls) {
        const auto t0 = Clock::now();
        for (long c = 0; c < calls; ++c) model.runFlat(batch, in.data(), out.data());
        return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
      };
      long calls = 1;
      time_calls(1);  // warm: buffers allocated, caches filled
      while (time_calls(calls) < min_block_ns && calls < (1L << 24)) calls *= 2;
      std::vector<double> per_call;
      for (int b = 0; b < blocks; ++b) per_call.push_back(time_calls(calls) / double(calls));
      std::sort(per_call.begin(), per_call.end());
      auto q = [&](double f) { return per_call[static_cast<std::size_t>(f * double(per_call.size() - 1) + 0.5)]; };
      std::printf("ok %.3f %.3f %.3f\n", q(0.5), q(0.1), q(0.9));
    } catch (const std::exception& e) {
      std::printf("error %s\n", e.what());
    }
    std::fflush(stdout);
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
  if (r.exit_code != 0)
    fail("cannot build the timing program in {}: {}", work_dir.string(), r.output.substr(0, r.output.find('\n')));
}

std::vector<Timing> TimingHarness::measure(const std::vector<std::string>& rules, const MeasureOptions& options) const {
  const fs::path list = work_dir_ / "rules.txt";
  {
    std::ofstream out(list);
    for (const auto& r : rules) out << r << "\n";
    if (!out) fail("cannot write {}", list.string());
  }
  backend::ProcessResult r = backend::run_process(
      {exe_.string(), list.string(), fmt::format("{}", options.min_block_us * 1000), std::to_string(options.blocks)},
      work_dir_);
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
