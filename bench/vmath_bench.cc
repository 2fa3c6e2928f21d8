// Nanoseconds per element of the vectorized float32 math kernels (tfaot_kernels_vmath.h):
// the array forms vtanh_n / vsigmoid_n / vexp_n (runtime length, as in the GEMM epilogue) and
// vtanh<N> (compile-time length, as in generated code), for row lengths of the CMS models.
// Built with -march=native, like tfaot-compile --target native. Arguments are spread over
// [-6, 6] (both tanh branches, saturation); the kernels are branch-free, so the distribution
// only matters through denormals, of which there are none.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "backend/kernels/tfaot_kernels_vmath.h"

namespace {

std::vector<float> inputs(int64_t n) {
  std::vector<float> v(n);
  uint32_t s = 12345;
  for (auto& x : v) x = ((s = s * 1664525u + 1013904223u) / 4294967296.0f - 0.5f) * 12.0f;
  return v;
}

void set_counters(benchmark::State& state, int64_t n) {
  state.counters["ns/elem"] = benchmark::Counter(
      double(n) * double(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <void (*F)(const float*, float*, int64_t)>
void BM_N(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<float> in = inputs(n), out(n);
  for (auto _ : state) {
    benchmark::DoNotOptimize(in.data());
    F(in.data(), out.data(), n);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

template <int64_t N>
void BM_TanhFixed(benchmark::State& state) {
  std::vector<float> in = inputs(N), out(N);
  for (auto _ : state) {
    benchmark::DoNotOptimize(in.data());
    tfaot_kernels::vtanh<N>(in.data(), out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, N);
}

#define SIZES ->Arg(2)->Arg(16)->Arg(128)->Arg(1024)
BENCHMARK_TEMPLATE(BM_N, tfaot_kernels::vtanh_n)->Name("vtanh_n") SIZES;
BENCHMARK_TEMPLATE(BM_N, tfaot_kernels::vsigmoid_n)->Name("vsigmoid_n") SIZES;
BENCHMARK_TEMPLATE(BM_N, tfaot_kernels::vexp_n)->Name("vexp_n") SIZES;
#undef SIZES
BENCHMARK_TEMPLATE(BM_TanhFixed, 16);
BENCHMARK_TEMPLATE(BM_TanhFixed, 128);

}  // namespace

BENCHMARK_MAIN();
