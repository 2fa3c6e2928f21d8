// GFLOP/s of the packed, register-blocked GEMM (tfaot_kernels_gemm.h) as generated code calls
// it: weights packed by the compiler's own packing (backend/gemm_packing.h), C = act(A*B + b).
// Built once per ISA (bench/CMakeLists.txt: gemm_bench_<march>, plus gemm_bench for native,
// which also times the naive MatMul kernel for comparison), so each ISA's tiles are measured
// with the code that ISA's -march selects. Shapes: M = 1, 4, 16, 64, 256 rows times square
// 128, 256 and 512 layers (issue 17), and the one-panel heads of the bench models (128 -> 2,
// 256 -> 8), where the K-split partial sums matter.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "backend/gemm_packing.h"
#include "backend/kernels/tfaot_kernels_gemm.h"
#include "backend/kernels/tfaot_kernels_matmul.h"

namespace {

constexpr int kNR = 16;
// The packing tfaot-compile picks for this binary's -march (gemm_packing_for; checked in main).
#if defined(__AVX512F__) || !defined(__x86_64__)
constexpr int kGroup = 8;
#else
constexpr int kGroup = 7;
#endif

struct Operands {
  std::vector<float> a, b, packed, bias, c;
  Operands(int64_t m, int64_t n, int64_t k) : a(m * k), b(k * n), c(m * n) {
    uint32_t s = 12345;
    auto next = [&] { return (s = s * 1664525u + 1013904223u) / 4294967296.0f - 0.5f; };
    for (auto& v : a) v = next();
    tfaot::Tensor w(tfaot::DType::Float, {k, n}), bv(tfaot::DType::Float, {n});
    for (int64_t i = 0; i < k * n; ++i) b[i] = w.data<float>()[i] = next();
    for (int64_t j = 0; j < n; ++j) bv.data<float>()[j] = next();
    const tfaot::Tensor pw = tfaot::backend::pack_gemm_weights(w, false, kNR, kGroup);
    const tfaot::Tensor pb = tfaot::backend::pack_gemm_bias(bv, kNR);
    packed.assign(pw.data<float>(), pw.data<float>() + pw.num_elements());
    bias.assign(pb.data<float>(), pb.data<float>() + pb.num_elements());
  }
};

void set_counters(benchmark::State& state, int64_t m, int64_t n, int64_t k) {
  state.counters["GFLOP/s"] = benchmark::Counter(
      double(2 * m * n * k) * double(state.iterations()), benchmark::Counter::kIsRate,
      benchmark::Counter::kIs1000);
}

[[maybe_unused]] void naive(benchmark::State& state, int64_t m, int64_t n, int64_t k,
                            void (*f)(const float*, const float*, float*)) {
  Operands o(m, n, k);
  for (auto _ : state) {
    f(o.a.data(), o.b.data(), o.c.data());
    benchmark::DoNotOptimize(o.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, m, n, k);
}

template <int64_t M, int64_t N, int64_t K, int Act>
void BM_Packed(benchmark::State& state) {
  Operands o(M, N, K);
  for (auto _ : state) {
    tfaot_kernels::gemm_packed<M, N, K, kNR, Act, kGroup>(o.a.data(), o.packed.data(),
                                                          o.bias.data(), o.c.data());
    benchmark::DoNotOptimize(o.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, M, N, K);
}

template <int64_t M, int64_t N, int64_t K>
[[maybe_unused]] void BM_Naive(benchmark::State& state) {
  naive(state, M, N, K, [](const float* a, const float* b, float* c) {
    tfaot_kernels::matmul<M, N, K, false, false>(a, b, c);
  });
}

#ifdef TFAOT_GEMM_BENCH_NAIVE
#define TFAOT_GEMM_NAIVE(M, N, K) BENCHMARK(BM_Naive<M, N, K>);
#else
#define TFAOT_GEMM_NAIVE(M, N, K)
#endif

// relu is what the bench models' hidden layers use; tanh adds the separate activation pass.
#define TFAOT_GEMM_SHAPE(M, N, K)                          \
  TFAOT_GEMM_NAIVE(M, N, K)                                \
  BENCHMARK(BM_Packed<M, N, K, tfaot_kernels::kGemmRelu>);

#define TFAOT_GEMM_SQUARE(N)   \
  TFAOT_GEMM_SHAPE(1, N, N)    \
  TFAOT_GEMM_SHAPE(4, N, N)    \
  TFAOT_GEMM_SHAPE(16, N, N)   \
  TFAOT_GEMM_SHAPE(64, N, N)   \
  TFAOT_GEMM_SHAPE(256, N, N)

TFAOT_GEMM_SQUARE(128)
TFAOT_GEMM_SQUARE(256)
TFAOT_GEMM_SQUARE(512)
TFAOT_GEMM_SHAPE(2, 256, 256)
TFAOT_GEMM_SHAPE(8, 256, 256)
BENCHMARK(BM_Packed<1, 128, 128, tfaot_kernels::kGemmTanh>);
BENCHMARK(BM_Packed<64, 128, 128, tfaot_kernels::kGemmTanh>);
TFAOT_GEMM_SHAPE(1, 2, 128)
TFAOT_GEMM_SHAPE(64, 2, 128)
TFAOT_GEMM_SHAPE(1, 8, 256)
TFAOT_GEMM_SHAPE(64, 8, 256)

// The instruction set this binary was compiled for, and whether the CPU runs it.
const char* compiled_isa() {
#if defined(__AVX512F__)
  return "x86-64-v4 (AVX-512)";
#elif defined(__AVX2__) && defined(__FMA__)
  return "x86-64-v3 (AVX2+FMA)";
#elif defined(__SSE2__)
  return "x86-64 / x86-64-v2 (SSE)";
#elif defined(__ARM_NEON)
  return "aarch64 NEON";
#else
  return "portable";
#endif
}

bool cpu_runs_it() {
#if defined(__x86_64__)
  __builtin_cpu_init();
#if defined(__AVX512F__)
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") ||
      !__builtin_cpu_supports("avx512dq") || !__builtin_cpu_supports("avx512vl"))
    return false;
#endif
#if defined(__AVX2__)
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return false;
#endif
#endif
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (!cpu_runs_it()) {
    std::printf("gemm_bench: skipped, this CPU cannot run %s code\n", compiled_isa());
    return 0;
  }
  const tfaot::backend::GemmPacking packing = tfaot::backend::gemm_packing_for({TFAOT_GEMM_BENCH_TARGET});
  if (packing.nr != kNR || packing.group != kGroup) {
    std::printf("gemm_bench: tfaot-compile packs for %s with NR = %d, groups of %d; this benchmark uses %d, %d\n",
                TFAOT_GEMM_BENCH_TARGET, packing.nr, packing.group, kNR, kGroup);
    return 1;
  }
  benchmark::AddCustomContext("tfaot_isa", compiled_isa());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
