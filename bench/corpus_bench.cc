// Google Benchmark of corpus models: for every model directory given (default: every model of
// ../shared/models with a golden.json) and every batch size of --batch-sizes, the model is
// specialized, optimized, emitted and compiled in-process like tfaot-compile does it (-O3,
// -march=native) and its generated run function is timed on caller buffers. Reports
// time per call, samples per second and time_per_sample (seconds, SI-prefixed: 12.3n = 12.3 ns).
//
//   corpus_bench [MODEL_DIR...] [--batch-sizes=1,8,64] [--benchmark_filter=...]
//
// Not part of the test run (it compiles every model): build with -DTFAOT_BENCHMARKS=ON.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "backend/jit.h"
#include "driver/config.h"
#include "driver/validate.h"
#include "passes/pipeline.h"

namespace {

namespace fs = std::filesystem;

struct Free {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<unsigned char, Free>;

Buffer aligned(size_t bytes) {
  const size_t size = std::max<size_t>(64, (bytes + 63) / 64 * 64);
  Buffer b(static_cast<unsigned char*>(std::aligned_alloc(64, size)));
  std::memset(b.get(), 0, size);
  return b;
}

// One compiled (model, batch size) with its buffers; inputs are small deterministic floats
// (integer and bool inputs stay 0, so index inputs are valid).
struct Case {
  std::unique_ptr<tfaot::backend::JitCode> code;
  std::vector<Buffer> in, out;
  Buffer scratch;
  std::vector<const void*> in_ptrs;
  std::vector<void*> out_ptrs;
  int64_t batch = 1;
};

std::unique_ptr<Case> build_case(const tfaot::ir::Graph& loaded, const tfaot::driver::ValidateOptions& o,
                                 int64_t batch) {
  auto g = loaded.clone();
  tfaot::passes::specialize(*g, {.batch_size = batch, .input_shapes = o.input_shapes});
  tfaot::passes::optimize(*g);
  tfaot::backend::JitOptions jo;
  jo.target = "native";
  jo.opt_level = "-O3";
  auto c = std::make_unique<Case>();
  c->code = std::make_unique<tfaot::backend::JitCode>(*g, jo);
  c->batch = batch;
  for (const auto& t : c->code->info().inputs) {
    c->in.push_back(aligned(static_cast<size_t>(t.count()) * tfaot::dtype_size(t.dtype)));
    if (t.dtype == tfaot::DType::Float)
      for (int64_t i = 0; i < t.count(); ++i)
        reinterpret_cast<float*>(c->in.back().get())[i] = 0.01f * static_cast<float>(i % 97) - 0.4f;
    c->in_ptrs.push_back(c->in.back().get());
  }
  for (const auto& t : c->code->info().outputs) {
    c->out.push_back(aligned(static_cast<size_t>(t.count()) * tfaot::dtype_size(t.dtype)));
    c->out_ptrs.push_back(c->out.back().get());
  }
  c->scratch = aligned(c->code->info().scratch_bytes);
  return c;
}

std::vector<std::unique_ptr<Case>>& cases() {
  static std::vector<std::unique_ptr<Case>> all;
  return all;
}

void run_case(benchmark::State& state, const Case* c) {
  for (auto _ : state) {
    c->code->run(c->in_ptrs.data(), c->out_ptrs.data(), c->scratch.get());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * c->batch);
  state.counters["time_per_sample"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(c->batch),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["MFLOP"] = static_cast<double>(c->code->info().flops) / 1e6;
}

fs::path model_file(const fs::path& dir) {
  if (!fs::exists(dir / "saved_model.pb") && !fs::exists(dir / "saved_model.pbtxt") && fs::exists(dir / "model.pb"))
    return dir / "model.pb";
  return dir;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::vector<fs::path> dirs;
  std::vector<int64_t> sizes = {1, 8, 64, 256};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--batch-sizes=", 0) == 0) {
      sizes = tfaot::driver::parse_batch_sizes(a.substr(14), "--batch-sizes");
    } else if (a.rfind("--", 0) == 0) {
      std::cerr << "corpus_bench: unknown option " << a << "\n";
      return 1;
    } else {
      dirs.push_back(a);
    }
  }
  if (dirs.empty()) {
    const fs::path models = fs::path(TFAOT_SHARED_DIR) / "models";
    if (!fs::is_directory(models)) {
      std::cerr << "corpus_bench: " << models.string() << " not found; pass model directories\n";
      return 1;
    }
    for (const auto& e : fs::directory_iterator(models))
      if (fs::exists(e.path() / "golden.json")) dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
  }
  for (const fs::path& dir : dirs) {
    const std::string name = dir.filename().string();
    try {
      auto options = tfaot::driver::options_from_golden(model_file(dir), dir / "golden.json");
      auto loaded = tfaot::frontend::load_model(options.load);
      for (int64_t bs : sizes) {
        cases().push_back(build_case(*loaded, options, bs));
        benchmark::RegisterBenchmark((name + "/" + std::to_string(bs)).c_str(), run_case, cases().back().get());
      }
    } catch (const std::exception& e) {
      std::cerr << "corpus_bench: skipping " << name << ": " << e.what() << "\n";
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
