// Machine limits for tfaot-inspect's roofline estimate: a quick in-process probe (FMA peak and
// read bandwidth) or the CSV of ../shared/bench's roofline probe.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "driver/inspect.h"
#include "support/error.h"

namespace tfaot::driver {

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double best_seconds(int repeats, F&& f) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

constexpr long kFmaIters = 1L << 20;

#if defined(__x86_64__)
// Sum of a zmm's lanes. Not _mm512_reduce_add_ps: GCC 12's expands to intrinsics that pass
// _mm512_undefined_ps(), which -Wuninitialized reports (GCC PR105593).
__attribute__((target("avx512f"))) float lanes_sum(__m512 v) {
  alignas(64) float t[16];
  _mm512_store_ps(t, v);
  float s = 0;
  for (float x : t) s += x;
  return s;
}
#endif

// 12 independent FMA chains (enough to cover latency x throughput on current cores).
#if defined(__x86_64__)
__attribute__((target("avx512f"))) float fma_avx512() {
  __m512 acc[12], m = _mm512_set1_ps(0.999999f), a = _mm512_set1_ps(1e-7f);
  for (auto& x : acc) x = _mm512_set1_ps(1.0f);
  for (long i = 0; i < kFmaIters; ++i)
    for (auto& x : acc) x = _mm512_fmadd_ps(x, m, a);
  __m512 s = acc[0];
  for (int i = 1; i < 12; ++i) s = _mm512_add_ps(s, acc[i]);
  return lanes_sum(s);
}
__attribute__((target("avx2,fma"))) float fma_avx2() {
  __m256 acc[12], m = _mm256_set1_ps(0.999999f), a = _mm256_set1_ps(1e-7f);
  for (auto& x : acc) x = _mm256_set1_ps(1.0f);
  for (long i = 0; i < kFmaIters; ++i)
    for (auto& x : acc) x = _mm256_fmadd_ps(x, m, a);
  alignas(32) float out[8];
  __m256 s = acc[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, acc[i]);
  _mm256_store_ps(out, s);
  return out[0];
}
// Sum of `n` floats (n a multiple of 64) with 4 independent vector accumulators.
__attribute__((target("avx512f"))) float read_avx512(const float* p, size_t n) {
  __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  for (size_t i = 0; i < n; i += 64) {
    a0 = _mm512_add_ps(a0, _mm512_load_ps(p + i));
    a1 = _mm512_add_ps(a1, _mm512_load_ps(p + i + 16));
    a2 = _mm512_add_ps(a2, _mm512_load_ps(p + i + 32));
    a3 = _mm512_add_ps(a3, _mm512_load_ps(p + i + 48));
  }
  return lanes_sum(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}
#endif

float fma_scalar() {
  float acc[12];
  for (auto& x : acc) x = 1.0f;
  for (long i = 0; i < kFmaIters; ++i)
    for (auto& x : acc) x = x * 0.999999f + 1e-7f;
  float s = 0;
  for (float x : acc) s += x;
  return s;
}
float read_scalar(const float* p, size_t n) {
  float a[8] = {};
  for (size_t i = 0; i < n; i += 8)
    for (int k = 0; k < 8; ++k) a[k] += p[i + k];
  return a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7];
}

volatile float sink;

}  // namespace

double Machine::bandwidth_for(uint64_t bytes) const {
  if (bandwidth_gbs.empty()) return 0;
  for (const auto& [size, gbs] : bandwidth_gbs)
    if (bytes <= size) return gbs;
  return bandwidth_gbs.back().second;
}

Machine measure_machine() {
  Machine m;
  int lanes = 1;
  float (*fma)() = fma_scalar;
  float (*read)(const float*, size_t) = read_scalar;
  std::string isa = "scalar";
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) fma = fma_avx512, read = read_avx512, lanes = 16, isa = "AVX-512";
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) fma = fma_avx2, lanes = 8, isa = "AVX2";
#endif
  const double s = best_seconds(3, [&] { sink = fma(); });
  m.peak_gflops = 2.0 * lanes * 12 * double(kFmaIters) / s / 1e9;
  constexpr size_t kMax = size_t(64) << 20;
  std::unique_ptr<float, decltype(&std::free)> buf(static_cast<float*>(std::aligned_alloc(64, kMax)), &std::free);
  for (size_t i = 0; i < kMax / sizeof(float); ++i) buf.get()[i] = 1.0f;
  for (size_t bytes : {size_t(16) << 10, size_t(256) << 10, size_t(4) << 20, kMax}) {
    const size_t n = bytes / sizeof(float);
    const int passes = static_cast<int>(std::max<size_t>(1, (size_t(32) << 20) / bytes));
    const double t = best_seconds(3, [&] {
      for (int p = 0; p < passes; ++p) sink = read(buf.get(), n);
    });
    m.bandwidth_gbs.push_back({bytes, double(bytes) * passes / t / 1e9});
  }
  m.source = "measured now (" + isa + " FMA chains; read bandwidth at 16 KiB, 256 KiB, 4 MiB, 64 MiB)";
  return m;
}

Machine read_roofline_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail("{}: cannot read the roofline file", path);
  Machine m;
  double avx512 = 0, avx2 = 0, scalar = 0;
  std::string line;
  std::getline(in, line);  // header: key,value,unit,note
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key, value;
    std::getline(fields, key, ',');
    std::getline(fields, value, ',');
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end) continue;
    if (key == "fma_avx512_gflops") avx512 = v;
    if (key == "fma_avx2_gflops") avx2 = v;
    if (key == "fma_scalar_gflops") scalar = v;
    if (key.rfind("read_gbs_", 0) == 0 && key.size() > 12 && key.substr(key.size() - 3) == "KiB")
      m.bandwidth_gbs.push_back({std::stoull(key.substr(9)) << 10, v});
  }
  m.peak_gflops = avx512 > 0 ? avx512 : avx2 > 0 ? avx2 : scalar;
  if (m.peak_gflops <= 0 || m.bandwidth_gbs.empty())
    fail("{}: not a roofline file (needs fma_*_gflops and read_gbs_*KiB rows)", path);
  std::sort(m.bandwidth_gbs.begin(), m.bandwidth_gbs.end());
  m.source = path;
  return m;
}

}  // namespace tfaot::driver
