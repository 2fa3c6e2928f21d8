// Inference speed of a tfaot-compiled Keras LSTM (lstm_music_genre: 130 time steps x 13
// features, LSTM(64) -> LSTM(64) -> Dense): the generated entry music_genre_bsN::run on caller
// buffers, batch 1 and 64. Measures the loop code (per-step work, list updates, projections).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "tfaot-model-music-genre/model.h"

namespace {

struct Free {
  void operator()(void* p) const { std::free(p); }
};
template <class T>
std::unique_ptr<T, Free> aligned(std::size_t n) {
  return std::unique_ptr<T, Free>(static_cast<T*>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64 + 64)));
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
}
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::music_genre_bs1)->Name("LstmMusicGenre/1");
BENCHMARK_TEMPLATE(BM_Raw, tfaot_model::music_genre_bs64)->Name("LstmMusicGenre/64");

}  // namespace
BENCHMARK_MAIN();
