// Register-blocked float32 GEMM/GEMV against weights prepacked at compile time:
//   C[M,N] = act(A[M,K] * B[K,N] + bias)
// A and C are row-major. B was packed by the compiler (src/backend/gemm_packing.h) into
// ceil(N/NR) panels of NR columns, each panel K-major ([k][NR], zero-padded past N), so the
// microkernel reads one contiguous, aligned stream per panel. bias is null or padded to a
// multiple of NR as well (pack_gemm_bias).
//
// Blocking: the microkernel keeps MR rows x NP panels x NR columns of C in registers and walks
// K once, broadcasting one element of A per row and loading NR weights per panel. AVX2/FMA
// (also used for AVX-512 targets) has 16 ymm registers: NR = 16 (2 ymm), MR x NP in
// {3x2, 2x2, 1x4} keeps at most 12 accumulators; 3x2 (4 weight loads + 3 broadcasts per 12 FMA)
// measured 1.5x faster than 6x1 on Zen. M = 1 is the GEMV case: 4 panels per sweep, each
// weight read exactly once. NEON and SSE (x86-64, x86-64-v2) use a 128-bit tile in GCC vector
// extensions with NR = 16 (4 registers per panel; NEON 3x2 like AVX2, SSE 3x1). Other NR and
// other targets use a portable loop nest over fixed-size accumulator arrays.
// Epilogue per tile, while C is still in L1: bias, then relu/relu6 in registers or tanh /
// sigmoid through tfaot_kernels_vmath.h.
//
// The register tile (GemmTile: init, fma over a run of K, store with the bias + activation
// epilogue) takes one pointer per row of A and of C, so the convolutions
// (tfaot_kernels_conv_packed.h) run the same microkernel on rows gathered from an image.
#pragma once

#include <cstdint>

#include "tfaot_kernels_vmath.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace tfaot_kernels {
namespace {

enum GemmAct : int { kGemmNone = 0, kGemmRelu = 1, kGemmRelu6 = 2, kGemmTanh = 3, kGemmSigmoid = 4 };

// Activation of a finished row segment (tanh/sigmoid; relu variants are applied in registers
// by the AVX2 path, here for the portable one).
template <int Act>
inline void gemm_activate(float* c, int64_t n) {
  if constexpr (Act == kGemmTanh) vtanh_n(c, c, n);
  else if constexpr (Act == kGemmSigmoid) vsigmoid_n(c, c, n);
  else if constexpr (Act == kGemmRelu)
    for (int64_t j = 0; j < n; ++j) c[j] = c[j] > 0.0f ? c[j] : 0.0f;
  else if constexpr (Act == kGemmRelu6)
    for (int64_t j = 0; j < n; ++j) c[j] = c[j] > 0.0f ? (c[j] < 6.0f ? c[j] : 6.0f) : 0.0f;
}

// R rows x NP panels x NR columns of C in registers. Portable version: fixed-size arrays the
// compiler vectorizes.
template <int R, int NP, int NR>
struct GemmTile {
  float acc[R][NP * NR];

  inline void init() {
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NP * NR; ++j) acc[r][j] = 0.0f;
  }
  // acc[r] += a[r][0..L) * B rows [0..L): b points at row 0 of panel 0, panel p at b + p*PS.
  template <int64_t PS, int64_t L>
  inline void fma(const float* const (&a)[R], const float* __restrict b) {
    for (int64_t k = 0; k < L; ++k)
      for (int p = 0; p < NP; ++p) {
        const float* bk = b + p * PS + k * NR;
        for (int r = 0; r < R; ++r) {
          const float ark = a[r][k];
          for (int j = 0; j < NR; ++j) acc[r][p * NR + j] += ark * bk[j];
        }
      }
  }
  // Row r's first `cols` columns (< NP*NR only in the last panel group) plus the bias (null
  // or NP * NR values) to c[r], activated. The bias is added after the products, as a
  // separate BiasAdd would.
  template <int Act>
  inline void store(float* const (&c)[R], int64_t cols, const float* __restrict bias) const {
    for (int r = 0; r < R; ++r) {
      for (int64_t j = 0; j < cols; ++j) c[r][j] = bias ? acc[r][j] + bias[j] : acc[r][j];
      gemm_activate<Act>(c[r], cols);
    }
  }
};

#if defined(__AVX2__) && defined(__FMA__)
template <int Act>
inline __m256 gemm_act_reg(__m256 v) {
  if constexpr (Act == kGemmRelu) return _mm256_max_ps(v, _mm256_setzero_ps());
  else if constexpr (Act == kGemmRelu6)
    return _mm256_min_ps(_mm256_max_ps(v, _mm256_setzero_ps()), _mm256_set1_ps(6.0f));
  else return v;
}

// AVX2 tile, NR = 16 (two ymm per panel). Same contract as the portable one.
template <int R, int NP>
struct GemmTile<R, NP, 16> {
  __m256 acc[R][NP][2];

  inline void init() {
    for (int r = 0; r < R; ++r)
      for (int p = 0; p < NP; ++p) acc[r][p][0] = acc[r][p][1] = _mm256_setzero_ps();
  }
  template <int64_t PS, int64_t L>
  inline void fma(const float* const (&a)[R], const float* __restrict b) {
    for (int64_t k = 0; k < L; ++k) {
      __m256 w[NP][2];
      for (int p = 0; p < NP; ++p) {
        w[p][0] = _mm256_loadu_ps(b + p * PS + k * 16);
        w[p][1] = _mm256_loadu_ps(b + p * PS + k * 16 + 8);
      }
      for (int r = 0; r < R; ++r) {
        const __m256 ar = _mm256_broadcast_ss(a[r] + k);
        for (int p = 0; p < NP; ++p) {
          acc[r][p][0] = _mm256_fmadd_ps(ar, w[p][0], acc[r][p][0]);
          acc[r][p][1] = _mm256_fmadd_ps(ar, w[p][1], acc[r][p][1]);
        }
      }
    }
  }
  template <int Act>
  inline void store(float* const (&c)[R], int64_t cols, const float* __restrict bias) const {
    const bool full = cols == NP * 16;
    __m256 b[NP][2];
    for (int p = 0; p < NP; ++p) {
      b[p][0] = bias ? _mm256_loadu_ps(bias + p * 16) : _mm256_setzero_ps();
      b[p][1] = bias ? _mm256_loadu_ps(bias + p * 16 + 8) : _mm256_setzero_ps();
    }
    for (int r = 0; r < R; ++r) {
      float* cr = c[r];
      if (full) {
        for (int p = 0; p < NP; ++p) {
          _mm256_storeu_ps(cr + p * 16, gemm_act_reg<Act>(_mm256_add_ps(acc[r][p][0], b[p][0])));
          _mm256_storeu_ps(cr + p * 16 + 8, gemm_act_reg<Act>(_mm256_add_ps(acc[r][p][1], b[p][1])));
        }
      } else {
        alignas(32) float tmp[NP * 16];
        for (int p = 0; p < NP; ++p) {
          _mm256_store_ps(tmp + p * 16, gemm_act_reg<Act>(_mm256_add_ps(acc[r][p][0], b[p][0])));
          _mm256_store_ps(tmp + p * 16 + 8, gemm_act_reg<Act>(_mm256_add_ps(acc[r][p][1], b[p][1])));
        }
        for (int64_t j = 0; j < cols; ++j) cr[j] = tmp[j];
      }
      if constexpr (Act == kGemmTanh || Act == kGemmSigmoid) gemm_activate<Act>(cr, cols);
    }
  }
};
#elif defined(__ARM_NEON) || defined(__SSE2__)
// 128-bit tile, NR = 16 (four NEON q / SSE xmm registers per panel), in GCC vector extensions:
// GCC 12 keeps the portable tile's arrays in memory and runs it scalar, this one stays in
// registers. Same contract as the portable one. a*w+acc becomes fmla where the target has FMA
// (aarch64; GCC contracts by default in C++), separate mul + add on SSE.
typedef float gemm_v4 __attribute__((vector_size(16)));

inline gemm_v4 gemm_load4(const float* p) {
  gemm_v4 v;
  __builtin_memcpy(&v, p, sizeof v);  // unaligned load
  return v;
}

template <int R, int NP>
struct GemmTile<R, NP, 16> {
  gemm_v4 acc[R][NP][4];

  inline void init() {
    for (int r = 0; r < R; ++r)
      for (int p = 0; p < NP; ++p)
        for (int q = 0; q < 4; ++q) acc[r][p][q] = gemm_v4{};
  }
  template <int64_t PS, int64_t L>
  inline void fma(const float* const (&a)[R], const float* __restrict b) {
    for (int64_t k = 0; k < L; ++k) {
      float ar[R];
      for (int r = 0; r < R; ++r) ar[r] = a[r][k];
      for (int p = 0; p < NP; ++p)
        for (int q = 0; q < 4; ++q) {
          const gemm_v4 w = gemm_load4(b + p * PS + k * 16 + q * 4);
          for (int r = 0; r < R; ++r) acc[r][p][q] += ar[r] * w;
        }
    }
  }
  template <int Act>
  inline void store(float* const (&c)[R], int64_t cols, const float* __restrict bias) const {
    for (int r = 0; r < R; ++r) {
      alignas(16) float row[NP * 16];
      for (int p = 0; p < NP; ++p)
        for (int q = 0; q < 4; ++q) {
          gemm_v4 v = acc[r][p][q] + (bias ? gemm_load4(bias + p * 16 + q * 4) : gemm_v4{});
          if constexpr (Act == kGemmRelu || Act == kGemmRelu6) v = v > 0.0f ? v : gemm_v4{};
          if constexpr (Act == kGemmRelu6) v = v < 6.0f ? v : gemm_v4{} + 6.0f;
          __builtin_memcpy(row + p * 16 + q * 4, &v, sizeof v);
        }
      for (int64_t j = 0; j < cols; ++j) c[r][j] = row[j];
      if constexpr (Act == kGemmTanh || Act == kGemmSigmoid) gemm_activate<Act>(c[r], cols);
    }
  }
};
#endif

// Rows [0,R) of a (stride K) times panels [0,NP) of b (stride K*NR), writing `cols` valid
// columns to c (stride N).
template <int R, int NP, int NR, int64_t K, int64_t N, int Act>
inline void gemm_micro(const float* a, const float* b, const float* bias, float* c, int64_t cols) {
  const float* rows[R];
  float* out[R];
  for (int r = 0; r < R; ++r) rows[r] = a + r * K, out[r] = c + r * N;
  GemmTile<R, NP, NR> t;
  t.init();
  t.template fma<K * NR, K>(rows, b);
  t.template store<Act>(out, cols, bias);
}

// Rows [0,R) of A against all panels: groups of NP panels, then the leftover panels one by one.
template <int R, int NP, int NR, int64_t K, int64_t N, int Act>
inline void gemm_rows(const float* a, const float* bp, const float* bias, float* c) {
  constexpr int64_t P = (N + NR - 1) / NR;
  constexpr int64_t G = P / NP;  // full groups of NP panels
  for (int64_t g = 0; g < G; ++g) {
    const int64_t p = g * NP;
    const int64_t cols = (N - p * NR) < NP * NR ? N - p * NR : NP * NR;
    gemm_micro<R, NP, NR, K, N, Act>(a, bp + p * K * NR, bias ? bias + p * NR : nullptr,
                                     c + p * NR, cols);
  }
  if constexpr (P % NP != 0) {
    for (int64_t p = G * NP; p < P; ++p) {
      const int64_t cols = (N - p * NR) < NR ? N - p * NR : NR;
      gemm_micro<R, 1, NR, K, N, Act>(a, bp + p * K * NR, bias ? bias + p * NR : nullptr,
                                      c + p * NR, cols);
    }
  }
}

// Accumulators per tile: 3 rows x 2 panels (or 1 row x 4) = 24 (16) vector registers of the 32
// NEON has, 12 (8) ymm with AVX2; SSE has 16 xmm of 4 floats, so one panel (two for one row).
template <int R>
constexpr int gemm_panels_per_sweep() {
#if defined(__SSE2__) && !defined(__AVX2__)
  return R == 1 ? 2 : 1;
#else
  return R == 1 ? 4 : 2;
#endif
}

// C[M,N] = act(A[M,K] * B + bias) with B packed in panels of NR (see the top of this file).
template <int64_t M, int64_t N, int64_t K, int NR, int Act>
void gemm_packed(const float* __restrict a, const float* __restrict b_packed,
                 const float* __restrict bias_padded, float* __restrict c) {
  static_assert(M > 0 && N > 0 && K > 0, "empty products are emitted as fills");
  constexpr int MR = 3;
  int64_t i = 0;
  for (; i + MR <= M; i += MR)
    gemm_rows<MR, gemm_panels_per_sweep<MR>(), NR, K, N, Act>(a + i * K, b_packed, bias_padded,
                                                             c + i * N);
  constexpr int rest = static_cast<int>(M % MR);
  if constexpr (rest > 0)
    gemm_rows<rest, gemm_panels_per_sweep<rest>(), NR, K, N, Act>(a + i * K, b_packed,
                                                                  bias_padded, c + i * N);
}

}  // namespace
}  // namespace tfaot_kernels
