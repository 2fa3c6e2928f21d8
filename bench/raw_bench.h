// Google Benchmark of a generated model unit's low-level entry (Unit::run on caller buffers,
// no runtime): one float input filled with a fixed pattern, one output. Counters: entries/s
// (items) and the model's FLOP rate from the header's estimate.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

namespace tfaot_bench {

struct Free {
  void operator()(void* p) const { std::free(p); }
};
template <class T>
std::unique_ptr<T, Free> aligned(std::size_t n) {
  const std::size_t bytes = (n * sizeof(T) + 63) / 64 * 64;
  return std::unique_ptr<T, Free>(static_cast<T*>(std::aligned_alloc(64, bytes ? bytes : 64)));
}

template <class Unit>
void BM_Raw(benchmark::State& state) {
  auto x = aligned<float>(Unit::input_counts[0]);
  auto y = aligned<float>(Unit::output_counts[0]);
  auto scratch = aligned<unsigned char>(Unit::scratch_bytes);
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

}  // namespace tfaot_bench
