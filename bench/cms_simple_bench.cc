// Inference speed of the tfaot-compiled CMS simple model (Dense+BatchNorm+tanh MLP, 4 -> 2):
//  - Raw/N:   the generated entry simple_bsN::run on caller buffers (no runtime);
//  - Model/B: tfaot::Model<simple>::run<FloatArrays> (CMSSW API, copies, stitching/padding);
//  - Flat/B:  tfaot::Model<simple>::runFlat on contiguous buffers.
// Counters: entries/s (items) and the model's FLOP rate from the header's estimate.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "raw_bench.h"
#include "tfaot/Model.h"
#include "tfaot-model-simple/model.h"

namespace {

using M = tfaot_model::simple;

using tfaot_bench::BM_Raw;

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
