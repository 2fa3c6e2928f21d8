// GFLOP/s of the packed, register-blocked GEMM (tfaot_kernels_gemm.h) against the naive
// MatMul kernel (tfaot_kernels_matmul.h), on the Dense shapes of cms_simple (128 -> 128) and
// deep_mlp (256 -> 256) for CMS batch sizes. Built with -march=native, like tfaot-compile
// --target native.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "backend/kernels/tfaot_kernels_gemm.h"
#include "backend/kernels/tfaot_kernels_matmul.h"

namespace {

constexpr int kNR = 16;

struct Operands {
  std::vector<float> a, b, packed, bias, c;
  Operands(int64_t m, int64_t n, int64_t k)
      : a(m * k), b(k * n), packed((n + kNR - 1) / kNR * kNR * k, 0.0f),
        bias((n + kNR - 1) / kNR * kNR, 0.0f), c(m * n) {
    uint32_t s = 12345;
    auto next = [&] { return (s = s * 1664525u + 1013904223u) / 4294967296.0f - 0.5f; };
    for (auto& v : a) v = next();
    for (auto& v : b) v = next();
    for (int64_t j = 0; j < n; ++j) bias[j] = next();
    for (int64_t p = 0; p < (n + kNR - 1) / kNR; ++p)
      for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t j = 0; j < kNR && p * kNR + j < n; ++j)
          packed[(p * k + kk) * kNR + j] = b[kk * n + p * kNR + j];
  }
};

void set_counters(benchmark::State& state, int64_t m, int64_t n, int64_t k) {
  state.counters["GFLOP/s"] = benchmark::Counter(
      double(2 * m * n * k) * double(state.iterations()), benchmark::Counter::kIsRate,
      benchmark::Counter::kIs1000);
}

template <int64_t M, int64_t N, int64_t K>
void BM_Naive(benchmark::State& state) {
  Operands o(M, N, K);
  for (auto _ : state) {
    tfaot_kernels::matmul<M, N, K, false, false>(o.a.data(), o.b.data(), o.c.data());
    benchmark::DoNotOptimize(o.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, M, N, K);
}

template <int64_t M, int64_t N, int64_t K, int Act>
void BM_Packed(benchmark::State& state) {
  Operands o(M, N, K);
  for (auto _ : state) {
    tfaot_kernels::gemm_packed<M, N, K, kNR, Act>(o.a.data(), o.packed.data(), o.bias.data(),
                                                  o.c.data());
    benchmark::DoNotOptimize(o.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, M, N, K);
}

#define TFAOT_GEMM_SHAPE(M, N, K)                                               \
  BENCHMARK(BM_Naive<M, N, K>);                                                 \
  BENCHMARK(BM_Packed<M, N, K, tfaot_kernels::kGemmNone>);                      \
  BENCHMARK(BM_Packed<M, N, K, tfaot_kernels::kGemmRelu>);                      \
  BENCHMARK(BM_Packed<M, N, K, tfaot_kernels::kGemmTanh>);

TFAOT_GEMM_SHAPE(1, 128, 128)
TFAOT_GEMM_SHAPE(4, 128, 128)
TFAOT_GEMM_SHAPE(8, 128, 128)
TFAOT_GEMM_SHAPE(16, 128, 128)
TFAOT_GEMM_SHAPE(256, 128, 128)
TFAOT_GEMM_SHAPE(1, 256, 256)
TFAOT_GEMM_SHAPE(16, 256, 256)
TFAOT_GEMM_SHAPE(64, 256, 256)
TFAOT_GEMM_SHAPE(256, 256, 256)
TFAOT_GEMM_SHAPE(1, 2, 128)

}  // namespace

BENCHMARK_MAIN();
