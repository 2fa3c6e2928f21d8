// Thread-safety check of generated code, built and run under ThreadSanitizer by
// tests/e2e/run_threads.sh (the model's objects are compiled with -fsanitize=thread too).
// Two scenarios, both must be race-free and give the single-threaded results exactly:
//   1. many threads, each with its own tfaot::Model of the same compiled model;
//   2. many threads calling the reentrant low-level entry with their own buffers and scratch,
//      sharing only the read-only weights.
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "tfaot/Model.h"
#include "tfaot-model-example-mlp/example_mlp_bs4.h"
#include "tfaot-model-example-mlp/model.h"

namespace {

using Model = tfaot_model::example_mlp;
using Entry = tfaot_model::example_mlp_bs4;
constexpr int kThreads = 8, kIters = 200;

std::vector<float> input(int seed, size_t count) {
  std::vector<float> x(count);
  for (size_t i = 0; i < count; ++i) x[i] = static_cast<float>((seed * 31 + static_cast<int>(i) * 7) % 17) / 8.0f - 1.0f;
  return x;
}

std::vector<float> reference_low_level(int seed) {
  auto x = input(seed, Entry::input_counts[0]);
  std::vector<float> y(Entry::output_counts[0]);
  alignas(64) static unsigned char scratch[Entry::scratch_bytes + 64];
  const void* in[] = {x.data()};
  void* out[] = {y.data()};
  Entry::run(in, out, scratch);
  return y;
}

}  // namespace

int main() {
  std::vector<std::vector<float>> expected;
  for (int s = 0; s < kThreads; ++s) expected.push_back(reference_low_level(s));
  std::vector<int> errors(kThreads, 0);

  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([t, &errors, &expected] {
      tfaot::Model<Model> model;
      model.setBatchRule("3:2,2");
      for (int it = 0; it < kIters; ++it) {
        const size_t batch = it % 2 ? 4 : 3;
        auto flat = input(t, Entry::input_counts[0]);
        tfaot::FloatArrays x(batch, std::vector<float>(flat.size() / 4));
        for (size_t b = 0; b < batch; ++b)
          for (size_t k = 0; k < x[b].size(); ++k) x[b][k] = flat[b * x[b].size() + k];
        auto [y] = model.run<tfaot::FloatArrays>(batch, x);
        const size_t per = expected[t].size() / 4;
        for (size_t b = 0; b < batch; ++b)
          for (size_t k = 0; k < per; ++k) errors[t] += y[b][k] != expected[t][b * per + k];
      }
    });
  for (auto& th : pool) th.join();
  pool.clear();

  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([t, &errors, &expected] {
      auto x = input(t, Entry::input_counts[0]);
      std::vector<float> y(Entry::output_counts[0]);
      std::vector<unsigned char> raw(Entry::scratch_bytes + 64);
      void* scratch = raw.data() + (64 - reinterpret_cast<std::uintptr_t>(raw.data()) % 64) % 64;
      for (int it = 0; it < kIters; ++it) {
        const void* in[] = {x.data()};
        void* out[] = {y.data()};
        Entry::run(in, out, scratch);
        errors[t] += y != expected[t];
      }
    });
  for (auto& th : pool) th.join();

  int total = 0;
  for (int e : errors) total += e;
  std::printf("threads: %d threads x %d iterations x 2 scenarios, %d mismatches\n", kThreads, kIters, total);
  return total == 0 ? 0 : 1;
}
