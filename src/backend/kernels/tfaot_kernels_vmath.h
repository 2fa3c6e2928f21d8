// Vectorizable float32 exp, tanh, sigmoid, log, log1p (and a softmax using them).
//
// Each function is a branch-free scalar routine (range reduction + polynomial, selects instead
// of branches, bit casts through memcpy) that GCC and Clang inline and auto-vectorize inside a
// plain loop at -O3 (SSE4.1/AVX2/AVX-512/NEON, whatever -march allows); the array forms
// vexp<N>(in, out) etc. are such loops. Called one element at a time they are still ~5x
// faster than libm because they never branch on the argument.
//
// Accuracy (checked by src/backend/vmath_test.cc against double-precision libm on a dense
// sample of all float32 bit patterns, with and without FMA contraction): at most 2 ulp for
// every argument whose result is a normal float. Where the exact result is subnormal
// (exp(x) for x < -87.3, sigmoid(x) for x < -87.3) the result is computed by one final
// correctly-rounded power-of-two scaling, so the error is at most 2 ulp of the smallest normal
// (absolute 2^-148), i.e. it may differ in the last bits of the subnormal.
// Special values follow IEEE/libm: NaN -> NaN, exp(+inf) = +inf, exp(-inf) = 0, tanh(±inf)
// = ±1, sigmoid(±inf) = 1/0, log(0) = -inf, log(x<0) = NaN, log(+inf) = +inf, log1p(-1) = -inf,
// log1p(x<-1) = NaN; subnormal arguments are handled exactly (no flush to zero).
#pragma once

#include <cstdint>
#include <cstring>

namespace tfaot_kernels {
namespace {
namespace vm {

inline __attribute__((always_inline)) float as_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
inline __attribute__((always_inline)) uint32_t as_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
// c ? a : b through a bit mask. A plain ?: with a constant operand lets GCC thread the
// constant into a separate path ("control flow in loop"), which stops vectorization.
inline __attribute__((always_inline)) float sel(bool c, float a, float b) {
  const uint32_t m = 0u - static_cast<uint32_t>(c);
  return as_float((as_bits(a) & m) | (as_bits(b) & ~m));
}
inline __attribute__((always_inline)) int32_t sel(bool c, int32_t a, int32_t b) {
  const uint32_t m = 0u - static_cast<uint32_t>(c);
  return static_cast<int32_t>((static_cast<uint32_t>(a) & m) | (static_cast<uint32_t>(b) & ~m));
}
// a*b+c, fused where the target has FMA (generated code is built with -ffp-contract=off).
inline __attribute__((always_inline)) float mad(float a, float b, float c) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
  return __builtin_fmaf(a, b, c);
#else
  return a * b + c;
#endif
}
// Round to nearest integer (vectorizes to roundps / frintn; no errno with -fno-math-errno,
// and unlike the 1.5*2^23 trick it survives -fassociative-math).
inline __attribute__((always_inline)) float round_nearest(float x) { return __builtin_rintf(x); }

// exp(x) = 2^n * (1 + q), returned as the two power-of-two factors s1 * s2 = 2^n and q.
// n = round(x/ln2), r = x - n*ln2 in two parts (Cody-Waite: n*kLn2Hi is exact for |n| < 2^15),
// exp(r) - 1 = q by a degree-6 minimax polynomial on [-ln2/2, ln2/2] (Cephes expf). Splitting
// 2^n = 2^(n/2) * 2^(n - n/2) covers n in [-150, 128] without a branch: overflow gives +inf,
// underflow one correctly rounded scaling to a subnormal or 0.
inline __attribute__((always_inline)) void exp_parts(float x, float& s1, float& s2, float& q) {
  x = sel(x > 89.0f, 89.0f, x);  // NaN compares false and passes through both clamps
  x = sel(x < -104.0f, -104.0f, x);
  const float n = round_nearest(x * 1.44269504088896341f);
  float r = mad(n, -0.693359375f, x);
  r = mad(n, 2.12194440e-4f, r);
  float p = 1.9875691500e-4f;
  p = mad(p, r, 1.3981999507e-3f);
  p = mad(p, r, 8.3334519073e-3f);
  p = mad(p, r, 4.1665795894e-2f);
  p = mad(p, r, 1.6666665459e-1f);
  p = mad(p, r, 5.0000001201e-1f);
  q = mad(p * r, r, r);
  // NaN gives an arbitrary (in-range) n; q is NaN anyway.
  const int32_t ni = static_cast<int32_t>(sel(n == n, n, 0.0f));
  const int32_t h = ni >> 1;
  s1 = as_float(static_cast<uint32_t>(h + 127) << 23);
  s2 = as_float(static_cast<uint32_t>(ni - h + 127) << 23);
}

inline __attribute__((always_inline)) float exp1(float x) {
  float s1, s2, q;
  exp_parts(x, s1, s2, q);
  return ((q + 1.0f) * s1) * s2;
}

// 1 / (1 + exp(-x)), as N / D with N = 1 (x >= 0) or e = exp(x) (x < 0, keeps the relative
// error small where the result is tiny). e and D = 1 + e are carried as unevaluated sums
// hi + lo (e = s + s*q exactly up to the rounding of q), so the result is one division plus a
// first-order correction: 2 ulp where a plain 1/(1+exp(-x)) reaches 3. The correction
// (N_lo - q1 D_lo) / D is below 2^-23 relative, so 1/D comes from the quotient itself (q1 = 1/D
// for x >= 0, 1 - q1 = 1/D for x < 0) instead of a second division.
// exp(-|x|) is only needed on [-104, 0]: n = round(-|x|/ln2) in [-150, 0] by truncation of
// a negative value minus 1/2 (no roundps: vectorizes for SSE2 too), 2^n = 2^(n+64) * 2^-64
// (exact down to 2^-149, 2^-150 rounds to 0; where the result is subnormal, s*q is rounded to
// the subnormal grid: error <= 2^-150), exp(r) - 1 by the Cephes expf polynomial in Estrin's
// form (the dependency chain, not the operation count, limits this function). |x| >= 104
// (also +-inf) is clamped to 104, where exp(-104) < 2^-150 gives exactly 0 or 1; so is NaN
// (the float-to-int conversion never sees it), restored at the end.
// Errors measured on every float with |x| in [2^-26, 104]: at most 1.44 ulp with FMA, 1.47
// without (near x = -5.9).
inline __attribute__((always_inline)) float sigmoid1(float x) {
  const bool neg = x < 0.0f;
  const float ax = __builtin_fabsf(x);
  const float a = sel(ax < 104.0f, ax, 104.0f);
  const int32_t ni = static_cast<int32_t>(mad(a, -1.44269504088896341f, -0.5f));
  const float n = static_cast<float>(ni);
  float r = mad(n, -0.693359375f, -a);  // Cody-Waite: -a - n ln2, n ln2hi exact
  r = mad(n, 2.12194440e-4f, r);
  // exp(r) - 1 = r + r^2 P(r), P evaluated by Estrin's scheme (shorter dependency chain)
  const float r2 = r * r;
  const float p01 = mad(1.6666665459e-1f, r, 5.0000001201e-1f);
  const float p23 = mad(8.3334519073e-3f, r, 4.1665795894e-2f);
  const float p45 = mad(1.9875691500e-4f, r, 1.3981999507e-3f);
  const float p = mad(r2 * r2, p45, mad(r2, p23, p01));
  const float q = mad(r2, p, r);
  const float s = as_float(static_cast<uint32_t>(ni + 191) << 23) * 0x1p-64f;  // 2^n
  const float sq = s * q;
  const float e_hi = s + sq;
  const float e_lo = (s - e_hi) + sq;  // Fast2Sum, |s| >= |sq|
  const float d_hi = 1.0f + e_hi;
  const float d_lo = ((1.0f - d_hi) + e_hi) + e_lo;  // Fast2Sum, 1 >= e_hi
  const float n_hi = sel(neg, e_hi, 1.0f);
  const float n_lo = sel(neg, e_lo, 0.0f);
  const float q1 = n_hi / d_hi;
  const float inv = sel(neg, 1.0f - q1, q1);  // 1 / d_hi to 2^-23
  const float res = mad(mad(-q1, d_lo, n_lo), inv, q1);
  return sel(x != x, x, res);
}

// tanh(x), odd: computed for t = |x| and the sign of x copied on (tanh(-0) = -0).
// t < 0.5625: x + x^3 P(x^2), P a degree-4 minimax polynomial (relative error 2^-28.6; fitted
// by Remez exchange in 50-digit arithmetic).
// t >= 0.5625: (d - 2) / d with d = exp(2t) + 1, i.e. 1 - 2/d without the rounding of 2/d (d - 2
// is exact for 4 <= d < 2^25); the result is >= 0.51, so there is no cancellation, and an error
// in exp(2t) reaches the result damped by at least 0.37. exp(2t) = 2^n exp(2r) with
// n = round(2t/ln2) in [2, 26], r = t - n ln2/2 in [-ln2/4, ln2/4] (one FMA with a rounded ln2/2:
// error n * 1e-9; without FMA Cody-Waite in two parts), exp(2r) = 1 + r q(r), q a degree-5
// minimax polynomial (relative error 2^-27.9). Only this range needs it, so 2^n is one exponent
// field and d = (2^n q) r + (2^n + 1) is rounded once. t >= 9.1 (also +-inf) is clamped to 9.1,
// where the quotient rounds to exactly 1. NaN: the clamp maps it to 9.1 (the float-to-int
// conversion never sees a NaN) and the final select (t >= 0.5625 is false) returns the small
// branch, which is NaN.
// Both branches are computed for every element (no branches; ~17 multiplies/FMAs and one
// division). Errors measured on every float in [2^-31, 10], with and without FMA: at most
// 1.22 ulp near t = 0.5625, 1.25 ulp where 8.66 < t < 9.01 (d >= 2^25: d - 2 rounds),
// elsewhere below 1 ulp.
inline __attribute__((always_inline)) float tanh1(float x) {
  const float ax = __builtin_fabsf(x);
  const float z = x * x;
  float p = -6.14354359277e-3f;
  p = mad(p, z, 2.09904706945e-2f);
  p = mad(p, z, -5.38367063136e-2f);
  p = mad(p, z, 1.33324984976e-1f);
  p = mad(p, z, -3.33333179116e-1f);
  const float small = mad(p * z, x, x);
  const float t = sel(ax < 9.1f, ax, 9.1f);
  // n = round(2t/ln2) >= 0 by truncation of a value in [0.5, 26.8]: cvttps2dq, so the loop
  // vectorizes even for SSE2 (no roundps), and no -fassociative-math can break it.
  const int32_t ni = static_cast<int32_t>(mad(t, 2.88539008177792681f, 0.5f));
  const float n = static_cast<float>(ni);
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
  const float r = mad(n, -0.346573590279972654709f, t);  // n <= 27: error n * 1e-9, harmless
#else
  float r = mad(n, -0.3466796875f, t);  // ln2hi/2, exact product
  r = mad(n, 1.06097220e-4f, r);        // -ln2lo/2
#endif
  float q = 8.92716831126e-2f;
  q = mad(q, r, 2.68198563666e-1f);
  q = mad(q, r, 6.66659824068e-1f);
  q = mad(q, r, 1.33330594608f);
  q = mad(q, r, 2.00000003251f);
  q = mad(q, r, 2.00000013015f);
  const float s = as_float(static_cast<uint32_t>(ni + 127) << 23);  // 2^n
  const float d = mad(s * q, r, s + 1.0f);  // s q exact; s + 1 exact for n <= 23
  const float big = (d - 2.0f) / d;
  const float res = sel(ax >= 0.5625f, big, small);
  return as_float((as_bits(res) & 0x7fffffffu) | (as_bits(x) & 0x80000000u));
}

// log(x). x = 2^e * m with m in [sqrt(1/2), sqrt(2)), log(m) = f - f^2/2 + f^3 P(f) with
// f = m - 1 (Cephes logf, degree-8 minimax P), plus e*ln2 in two parts. Subnormal arguments
// are scaled by 2^23 first.
inline __attribute__((always_inline)) float log1(float x) {
  const bool sub = x < 1.17549435e-38f;  // subnormal, zero or negative
  const float xscaled = x * 8388608.0f;  // computed unconditionally: keeps the loop if-convertible
  const float xs = sel(sub, xscaled, x);
  const uint32_t bits = as_bits(xs);
  int32_t e = static_cast<int32_t>((bits >> 23) & 0xffu) - sel(sub, 149, 126);
  float m = as_float((bits & 0x007fffffu) | 0x3f000000u);  // in [0.5, 1)
  const bool lo = m < 0.70710678118654752f;
  e = sel(lo, e - 1, e);
  const float m2 = m + m;
  m = sel(lo, m2, m);
  const float f = m - 1.0f;
  const float z = f * f;
  float p = 7.0376836292e-2f;
  p = mad(p, f, -1.1514610310e-1f);
  p = mad(p, f, 1.1676998740e-1f);
  p = mad(p, f, -1.2420140846e-1f);
  p = mad(p, f, 1.4249322787e-1f);
  p = mad(p, f, -1.6668057665e-1f);
  p = mad(p, f, 2.0000714765e-1f);
  p = mad(p, f, -2.4999993993e-1f);
  p = mad(p, f, 3.3333331174e-1f);
  const float ef = static_cast<float>(e);
  float y = p * f * z;
  y = mad(ef, -2.12194440e-4f, y);
  y = mad(z, -0.5f, y);
  float r = f + y;
  r = mad(ef, 0.693359375f, r);
  r = sel(x == 0.0f, -__builtin_inff(), r);
  r = sel(x < 0.0f, __builtin_nanf(""), r);
  r = sel(x == __builtin_inff(), x, r);
  return sel(x != x, x, r);
}

// log1p(x) = log(u) - ((u - 1) - x) / u with u = 1 + x rounded: the correction restores the
// part of x lost when forming u. Where u rounds to 1 the result is x itself.
inline __attribute__((always_inline)) float log1p1(float x) {
  const float u = 1.0f + x;
  float c = ((u - 1.0f) - x) / u;
  c = sel(u > 0.0f, c, 0.0f);  // u = 0 or negative: log(u) decides (-inf or NaN)
  float r = log1(u) - c;
  r = sel(u == 1.0f, x, r);
  r = sel(u == __builtin_inff(), u, r);  // also x = +inf (c would be NaN)
  return r;
}

}  // namespace vm

// Array forms: out[i] = f(in[i]) for i < N (in == out allowed).
#define TFAOT_VMATH_ARRAY(name, fn)                                          \
  template <int64_t N>                                                       \
  void name(const float* in, float* out) {                                   \
    for (int64_t i = 0; i < N; ++i) out[i] = vm::fn(in[i]);                  \
  }                                                                          \
  inline void name##_n(const float* in, float* out, int64_t n) {             \
    for (int64_t i = 0; i < n; ++i) out[i] = vm::fn(in[i]);                  \
  }
TFAOT_VMATH_ARRAY(vexp, exp1)
TFAOT_VMATH_ARRAY(vtanh, tanh1)
TFAOT_VMATH_ARRAY(vsigmoid, sigmoid1)
TFAOT_VMATH_ARRAY(vlog, log1)
TFAOT_VMATH_ARRAY(vlog1p, log1p1)
#undef TFAOT_VMATH_ARRAY

// Softmax / LogSoftmax over Rows contiguous rows of Cols floats, with the vectorized exp/log.
// Max and sum use 8 independent partial results so the loops vectorize without
// -fassociative-math (the summation order differs from a serial sum only by rounding).
template <int64_t Rows, int64_t Cols, bool Log>
void softmax_f32(const float* in, float* out) {
  static_assert(Cols > 0, "empty rows are not emitted");
  constexpr int64_t kMain = Cols / 8 * 8;
  for (int64_t r = 0; r < Rows; ++r) {
    const float* x = in + r * Cols;
    float* y = out + r * Cols;
    float mp[8];
    for (int l = 0; l < 8; ++l) mp[l] = x[0];
    for (int64_t j = 0; j < kMain; j += 8)
      for (int l = 0; l < 8; ++l) mp[l] = x[j + l] > mp[l] ? x[j + l] : mp[l];
    float m = mp[0];
    for (int l = 1; l < 8; ++l) m = mp[l] > m ? mp[l] : m;
    for (int64_t j = kMain; j < Cols; ++j) m = x[j] > m ? x[j] : m;
    for (int64_t j = 0; j < Cols; ++j) y[j] = vm::exp1(x[j] - m);
    float sp[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t j = 0; j < kMain; j += 8)
      for (int l = 0; l < 8; ++l) sp[l] += y[j + l];
    float sum = ((sp[0] + sp[1]) + (sp[2] + sp[3])) + ((sp[4] + sp[5]) + (sp[6] + sp[7]));
    for (int64_t j = kMain; j < Cols; ++j) sum += y[j];
    if constexpr (Log) {
      const float lse = vm::log1(sum);
      for (int64_t j = 0; j < Cols; ++j) y[j] = (x[j] - m) - lse;
    } else {
      const float inv = 1.0f / sum;
      for (int64_t j = 0; j < Cols; ++j) y[j] *= inv;
    }
  }
}

}  // namespace
}  // namespace tfaot_kernels
