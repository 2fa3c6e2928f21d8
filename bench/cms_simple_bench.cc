// Inference speed of the tfaot-compiled CMS simple model (Dense+BatchNorm+tanh MLP, 4 -> 2):
//  - Raw/N:   the generated entry simple_bsN::run on caller buffers (no runtime);
//  - Model/B: tfaot::Model<simple>::run<FloatArrays> (CMSSW API, copies, stitching/padding);
//  - Flat/B:  tfaot::Model<simple>::runFlat on contiguous buffers.
// Counters: entries/s (items) and the model's FLOP rate from the header's estimate.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "tfaot/Model.h"
#include "tfaot-model-simple/model.h"

namespace {

using M = tfaot_model::simple;

struct Free {
  void operator()(void* p) const { std::free(p); }
};
std::unique_ptr<float, Free> aligned_floats(std::size_t n) {
  return std::unique_ptr<float, Free>(static_cast<float*>(std::aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64)));
}

template <class Unit>
void BM_Raw(benchmark::State& state) {
  auto x = aligned_floats(Unit::input_counts[0]);
  auto y = aligned_floats(Unit::output_counts[0]);
  std::unique_ptr<unsigned char, Free> scratch(
      static_cast<unsigned char*>(std::aligned_alloc(64, Unit::scratch_bytes ? Unit::scratch_bytes : 64)));
  for (std::size_t i = 0; i < Unit::input_counts[0]; ++i) x.get()[i] = 0.01f * static_cast<float>(i % 97) - 0.4f;
  const void* in[] = {x.get()};
  void* out[] = {y.get()};
  for (auto _ : state) {
    Unit::run(in, out, scratch.get());
    benchmark::DoNotOptimize(y.get()[0]);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Unit::batch_size));
  state.counters["FLOPS"] = benchmark::Counter(static_cast<double>(Unit::flops) * static_cast<double>(state.iterations()),
                                               benchmark::Counter::kIsRate);
}
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::simple_bs1)->Name("Raw/1");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::simple_bs2)->Name("Raw/2");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::simple_bs4)->Name("Raw/4");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::simple_bs8)->Name("Raw/8");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::simple_bs16)->Name("Raw/16");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::simple_bs64)->Name("Raw/64");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::simple_bs256)->Name("Raw/256");

void BM_Model(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  tfaot::Model<M> model;
  tfaot::FloatArrays x(batch, std::vector<float>(4));
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t k = 0; k < 4; ++k) x[b][k] = 0.1f * static_cast<float>(b % 7) - 0.05f * static_cast<float>(k);
  for (auto _ : state) {
    auto [y] = model.run<tfaot::FloatArrays>(batch, x);
    benchmark::DoNotOptimize(y[0][0]);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
}
BENCHMARK(BM_Model)->Name("Model")->Arg(1)->Arg(3)->Arg(4)->Arg(64)->Arg(100)->Arg(256);

void BM_Flat(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  tfaot::Model<M> model;
  std::vector<float> x(batch * 4, 0.25f), y(batch * 2);
  const void* in[] = {x.data()};
  void* out[] = {y.data()};
  for (auto _ : state) {
    model.runFlat(batch, in, out);
    benchmark::DoNotOptimize(y[0]);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
}
BENCHMARK(BM_Flat)->Name("Flat")->Arg(1)->Arg(3)->Arg(64)->Arg(256);

}  // namespace

BENCHMARK_MAIN();
