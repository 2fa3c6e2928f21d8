// Accuracy of the vectorized float32 math kernels (tfaot_kernels_vmath.h) against libm in
// double precision, on every 397th float32 bit pattern (10.8 M arguments, all exponents and
// signs) plus the special values. The kernel header is compiled here with the project's
// flags (no FMA); the generated-code path (FMA, AVX2) is covered by the JIT tests of the ops.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "backend/kernels/tfaot_kernels_vmath.h"

namespace {

float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

struct ErrorStats {
  double max_ulp = 0;       // over results that are normal floats (or overflow)
  float worst_arg = 0;
  double max_sub_abs = 0;   // absolute error where the exact result is subnormal
  int64_t special_failures = 0;
  float special_arg = 0;
};

// Error of `got` in units of the last place of the exact result `ref`.
void account(ErrorStats& s, float x, float got, double ref) {
  constexpr double kMinNormal = 1.1754943508222875e-38;
  if (std::isnan(ref) || std::isnan(got)) {
    if (std::isnan(ref) != std::isnan(got)) ++s.special_failures, s.special_arg = x;
    return;
  }
  const double aref = std::fabs(ref);
  if (aref < kMinNormal) {
    s.max_sub_abs = std::max(s.max_sub_abs, std::fabs(double(got) - ref));
    return;
  }
  // Overflow: an infinite result stands for 2^128 (one ulp above FLT_MAX).
  const double g = std::isinf(got) ? std::copysign(0x1p128, double(got)) : double(got);
  // An exact result of at least FLT_MAX + ulp/2 rounds to infinity.
  const double r = std::fabs(ref) >= 0x1.ffffffp127 ? std::copysign(0x1p128, ref) : ref;
  if (std::fabs(r) == 0x1p128 && std::isinf(got) && (ref > 0) == (got > 0)) return;
  const double ulp = std::ldexp(1.0, std::ilogb(std::min(std::fabs(r), 0x1p127)) - 23);
  const double e = std::fabs(g - r) / ulp;
  if (e > s.max_ulp) s.max_ulp = e, s.worst_arg = x;
}

template <class Vec, class Ref>
ErrorStats sweep(Vec vec, Ref ref) {
  ErrorStats s;
  constexpr uint64_t kStep = 397;
  std::vector<float> in, out;
  in.reserve(4096);
  auto flush = [&] {
    out.resize(in.size());
    vec(in.data(), out.data(), static_cast<int64_t>(in.size()));
    for (size_t i = 0; i < in.size(); ++i) account(s, in[i], out[i], ref(double(in[i])));
    in.clear();
  };
  for (uint64_t u = 0; u < (uint64_t(1) << 32); u += kStep) {
    in.push_back(from_bits(static_cast<uint32_t>(u)));
    if (in.size() == 4096) flush();
  }
  // Values around the switch points and limits of the implementations.
  for (float c : {0.5625f, 9.0f, 88.72f, 89.0f, -87.33f, -103.97f, -104.0f, 1.0f, -1.0f, 0.70710678f,
                  1.17549435e-38f, 1e-30f, 0.0f, -0.0f}) {
    flush();
    float v = c;
    for (int k = 0; k < 64; ++k, v = std::nextafter(v, 1e30f)) in.push_back(v), in.push_back(-v);
  }
  flush();
  return s;
}

void report(const char* name, const ErrorStats& s) {
  std::printf("%-8s max error %.3f ulp (at %a), subnormal-result abs error %.3g, specials wrong %lld\n",
              name, s.max_ulp, double(s.worst_arg), s.max_sub_abs,
              static_cast<long long>(s.special_failures));
  EXPECT_LE(s.max_ulp, 2.0) << name << " worst argument " << s.worst_arg;
  EXPECT_LE(s.max_sub_abs, 0x1p-148) << name;
  EXPECT_EQ(s.special_failures, 0) << name << " e.g. at " << s.special_arg;
}

TEST(VMath, Exp) {
  report("exp", sweep(tfaot_kernels::vexp_n, [](double x) { return std::exp(x); }));
}
TEST(VMath, Tanh) {
  report("tanh", sweep(tfaot_kernels::vtanh_n, [](double x) { return std::tanh(x); }));
}
TEST(VMath, Sigmoid) {
  report("sigmoid", sweep(tfaot_kernels::vsigmoid_n, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }));
}
TEST(VMath, Log) {
  report("log", sweep(tfaot_kernels::vlog_n, [](double x) { return std::log(x); }));
}
TEST(VMath, Log1p) {
  report("log1p", sweep(tfaot_kernels::vlog1p_n, [](double x) { return std::log1p(x); }));
}

TEST(VMath, SpecialValues) {
  namespace vm = tfaot_kernels::vm;
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(vm::exp1(inf), inf);
  EXPECT_EQ(vm::exp1(-inf), 0.0f);
  EXPECT_EQ(vm::exp1(0.0f), 1.0f);
  EXPECT_EQ(vm::exp1(100.0f), inf);
  EXPECT_TRUE(std::isnan(vm::exp1(std::nanf(""))));
  EXPECT_EQ(vm::tanh1(inf), 1.0f);
  EXPECT_EQ(vm::tanh1(-inf), -1.0f);
  EXPECT_TRUE(std::signbit(vm::tanh1(-0.0f)));
  EXPECT_TRUE(std::isnan(vm::tanh1(std::nanf(""))));
  EXPECT_EQ(vm::sigmoid1(inf), 1.0f);
  EXPECT_EQ(vm::sigmoid1(-inf), 0.0f);
  EXPECT_EQ(vm::sigmoid1(0.0f), 0.5f);
  EXPECT_EQ(vm::log1(0.0f), -inf);
  EXPECT_EQ(vm::log1(-0.0f), -inf);
  EXPECT_EQ(vm::log1(inf), inf);
  EXPECT_EQ(vm::log1(1.0f), 0.0f);
  EXPECT_TRUE(std::isnan(vm::log1(-1.0f)));
  EXPECT_TRUE(std::isnan(vm::log1(-inf)));
  EXPECT_EQ(vm::log1p1(-1.0f), -inf);
  EXPECT_EQ(vm::log1p1(inf), inf);
  EXPECT_EQ(vm::log1p1(1e-30f), 1e-30f);
  EXPECT_TRUE(std::isnan(vm::log1p1(-2.0f)));
  EXPECT_TRUE(std::isnan(vm::log1p1(-inf)));
}

}  // namespace

namespace {

// softmax_f32 (vectorized exp/log, 8 partial max/sum lanes) against double, on rows whose
// length exercises both the 8-wide main part and the tail.
TEST(VMath, Softmax) {
  constexpr int64_t kRows = 3, kCols = 13;
  float x[kRows * kCols], y[kRows * kCols], ly[kRows * kCols];
  for (int i = 0; i < kRows * kCols; ++i) x[i] = std::sin(i * 1.3f) * 20.0f;
  tfaot_kernels::softmax_f32<kRows, kCols, false>(x, y);
  tfaot_kernels::softmax_f32<kRows, kCols, true>(x, ly);
  for (int r = 0; r < kRows; ++r) {
    double m = -INFINITY, s = 0;
    for (int j = 0; j < kCols; ++j) m = std::max(m, double(x[r * kCols + j]));
    for (int j = 0; j < kCols; ++j) s += std::exp(x[r * kCols + j] - m);
    for (int j = 0; j < kCols; ++j) {
      const double ref = std::exp(x[r * kCols + j] - m) / s;
      // x - max is rounded to float32 (as in TF's float kernel): for |x - max| near 40 that
      // alone is ~40 float ulp of relative error in exp, so the bound scales with it.
      const double rtol = 2e-7 * (2.0 + std::fabs(x[r * kCols + j] - m));
      EXPECT_NEAR(y[r * kCols + j], ref, rtol * ref + 1e-38) << r << "," << j;
      EXPECT_NEAR(ly[r * kCols + j], x[r * kCols + j] - m - std::log(s), 4e-6) << r << "," << j;
    }
  }
}

}  // namespace
