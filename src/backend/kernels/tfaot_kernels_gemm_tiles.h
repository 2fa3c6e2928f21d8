// Register tiles of the packed GEMM (tfaot_kernels_gemm.h) and of the convolutions that reuse
// it (tfaot_kernels_conv_gemm.h). A tile keeps R rows x NP panels x NR columns of C in
// registers: init(), fma<BK, L>(rows, b) accumulates L steps of K (one pointer per row of A;
// B interleaved: panel p of K step k at b + k*BK + p*NR, see tfaot_kernels_gemm.h),
// store<Act>(rows of C, cols, bias) adds the
// bias after the products (as a separate BiasAdd would) and applies the activation.
//
// One implementation per vector ISA, picked by the preprocessor, all with NR = 16 (the packing
// the compiler emits); any other NR takes the portable tile:
//   AVX-512 (x86-64-v4, native on AVX-512 CPUs): one zmm per panel, 32 registers, so up to 24
//     accumulators; KS > 1 splits the K sum into KS interleaved partial sums (k mod KS) added
//     at the end, to hide FMA latency when the tile is small (few columns at batch 1);
//   AVX2 + FMA: two ymm per panel, 16 registers, up to 12 accumulators, KS as for AVX-512;
//   NEON / SSE (GCC vector extensions): four 128-bit registers per panel;
//   portable: fixed-size arrays.
// KS is a property of the product's shape (gemm_k_splits), never of the tile's row count, so
// a row of C gets the same bits whichever tile computes it (dynamic batch == static batch).
#pragma once

#include <cstdint>

#include "tfaot_kernels_vmath.h"

#if (defined(__AVX2__) && defined(__FMA__)) || defined(__AVX512F__)
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

// tanh / sigmoid of a tile's stored rows (relu variants are applied in registers), after all
// rows are stored. Not inlined: GCC hoisted the vectorized tanh's constants out of the
// tile's K loop, and the accumulators spilled there (a 128 x 128 tanh layer 3x slower).
template <int Act, int R>
__attribute__((noinline)) void gemm_activate_rows(float* const (&c)[R], int64_t cols) {
  if constexpr (Act == kGemmTanh || Act == kGemmSigmoid)
    for (int r = 0; r < R; ++r) gemm_activate<Act>(c[r], cols);
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
  // acc[r] += a[r][0..L) * B rows [0..L): row k of panel p at b + k*BK + p*NR.
  template <int64_t BK, int64_t L>
  inline void fma(const float* const (&a)[R], const float* __restrict b) {
    for (int64_t k = 0; k < L; ++k)
      for (int p = 0; p < NP; ++p) {
        const float* bk = b + k * BK + p * NR;
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
// A zero made where it is used: GCC hoisted _mm256_setzero_ps() out of a convolution's whole
// loop nest, and the register it kept there made an accumulator spill (issue 17).
inline __m256 gemm_zero_here() {
  __m256 z;
  __asm__ volatile("vxorps %0, %0, %0" : "=x"(z));
  return z;
}
template <int Act>
inline __m256 gemm_act_reg(__m256 v) {
  if constexpr (Act == kGemmRelu) return _mm256_max_ps(v, gemm_zero_here());
  else if constexpr (Act == kGemmRelu6)
    return _mm256_min_ps(_mm256_max_ps(v, gemm_zero_here()), _mm256_set1_ps(6.0f));
  else return v;
}

// AVX2 tile, NR = 16 (two ymm per panel), KS partial sums per accumulator (k mod KS, added
// at the end; 1 except for products of one or two panels, gemm_k_splits). Same contract as
// the portable one.
template <int R, int NP, int KS>
struct GemmTileY {
  __m256 acc[KS][R][NP][2];

  inline void init() {
    for (int s = 0; s < KS; ++s)
      for (int r = 0; r < R; ++r)
        for (int p = 0; p < NP; ++p) acc[s][r][p][0] = acc[s][r][p][1] = _mm256_setzero_ps();
  }
  template <int64_t BK, int64_t L>
  inline __attribute__((always_inline)) void fma(const float* const (&a)[R], const float* __restrict b) {
    // The K loop works on a local copy of the accumulators: a member array that lives across
    // a convolution's tap loops was kept in registers but also stored to the stack after every
    // K step (GCC did not sink the stores out of the loop nest: 12 stores per 12 FMAs, issue 17).
    __m256 c[KS][R][NP][2];
#pragma GCC unroll 16
    for (int s = 0; s < KS; ++s)
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
        for (int p = 0; p < NP; ++p) c[s][r][p][0] = acc[s][r][p][0], c[s][r][p][1] = acc[s][r][p][1];
    int64_t k = 0;
    for (; k + KS <= L; k += KS) {
#pragma GCC unroll 16
      for (int s = 0; s < KS; ++s) step<BK>(c[s], a, b, k + s);
    }
#pragma GCC unroll 16
    for (int s = 0; s < static_cast<int>(L % KS); ++s) step<BK>(c[s], a, b, k + s);
#pragma GCC unroll 16
    for (int s = 0; s < KS; ++s)
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
        for (int p = 0; p < NP; ++p) acc[s][r][p][0] = c[s][r][p][0], acc[s][r][p][1] = c[s][r][p][1];
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
      __m256 v[NP][2];
      for (int p = 0; p < NP; ++p)
        for (int h = 0; h < 2; ++h) {
          __m256 sum = acc[0][r][p][h];
          for (int s = 1; s < KS; ++s) sum = _mm256_add_ps(sum, acc[s][r][p][h]);
          v[p][h] = gemm_act_reg<Act>(_mm256_add_ps(sum, b[p][h]));
        }
      float* cr = c[r];
      if (full) {
        for (int p = 0; p < NP; ++p) {
          _mm256_storeu_ps(cr + p * 16, v[p][0]);
          _mm256_storeu_ps(cr + p * 16 + 8, v[p][1]);
        }
      } else {
        alignas(32) float tmp[NP * 16];
        for (int p = 0; p < NP; ++p) {
          _mm256_store_ps(tmp + p * 16, v[p][0]);
          _mm256_store_ps(tmp + p * 16 + 8, v[p][1]);
        }
        for (int64_t j = 0; j < cols; ++j) cr[j] = tmp[j];
      }
    }
    gemm_activate_rows<Act, R>(c, cols);
  }

 private:
  // One K step into one set of partial sums: NP x 2 weight vectors, then per row a broadcast
  // and 2 x NP FMAs.
  template <int64_t BK>
  static inline __attribute__((always_inline)) void step(__m256 (&c)[R][NP][2], const float* const (&a)[R],
                                                         const float* __restrict b, int64_t k) {
    __m256 w[NP][2];
#pragma GCC unroll 16
    for (int p = 0; p < NP; ++p) {
      w[p][0] = _mm256_loadu_ps(b + k * BK + p * 16);
      w[p][1] = _mm256_loadu_ps(b + k * BK + p * 16 + 8);
    }
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const __m256 ar = _mm256_broadcast_ss(a[r] + k);
#pragma GCC unroll 16
      for (int p = 0; p < NP; ++p) {
        c[r][p][0] = _mm256_fmadd_ps(ar, w[p][0], c[r][p][0]);
        c[r][p][1] = _mm256_fmadd_ps(ar, w[p][1], c[r][p][1]);
      }
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
  template <int64_t BK, int64_t L>
  inline void fma(const float* const (&a)[R], const float* __restrict b) {
    for (int64_t k = 0; k < L; ++k) {
      float ar[R];
      for (int r = 0; r < R; ++r) ar[r] = a[r][k];
      for (int p = 0; p < NP; ++p)
        for (int q = 0; q < 4; ++q) {
          const gemm_v4 w = gemm_load4(b + k * BK + p * 16 + q * 4);
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
    }
    gemm_activate_rows<Act, R>(c, cols);
  }
};
#endif

#if defined(__AVX512F__)
// GCC 12's _mm512_max_ps/_mm512_min_ps pass _mm512_undefined_ps() as the merge source, which
// -Wuninitialized reports (GCC PR105593); the all-lanes masked forms compute the same.
template <int Act>
inline __m512 gemm_act_zmm(__m512 v) {
  const __mmask16 all = 0xFFFF;
  if constexpr (Act == kGemmRelu) return _mm512_mask_max_ps(v, all, v, _mm512_setzero_ps());
  else if constexpr (Act == kGemmRelu6) {
    const __m512 r = _mm512_mask_max_ps(v, all, v, _mm512_setzero_ps());
    return _mm512_mask_min_ps(r, all, r, _mm512_set1_ps(6.0f));
  } else return v;
}

// AVX-512 tile: one zmm per panel of 16 columns, KS partial sums per accumulator.
template <int R, int NP, int KS>
struct GemmTileZ {
  __m512 acc[KS][R][NP];

  inline void init() {
    for (int s = 0; s < KS; ++s)
      for (int r = 0; r < R; ++r)
        for (int p = 0; p < NP; ++p) acc[s][r][p] = _mm512_setzero_ps();
  }
  template <int64_t BK, int64_t L>
  inline void fma(const float* const (&a)[R], const float* __restrict b) {
    int64_t k = 0;
    for (; k + KS <= L; k += KS) steps<0, KS, BK>(a, b, k);
    steps<0, static_cast<int>(L % KS), BK>(a, b, k);
  }
  template <int Act>
  inline void store(float* const (&c)[R], int64_t cols, const float* __restrict bias) const {
    __m512 bv[NP];
    for (int p = 0; p < NP; ++p) bv[p] = bias ? _mm512_loadu_ps(bias + p * 16) : _mm512_setzero_ps();
    for (int r = 0; r < R; ++r) {
      float* cr = c[r];
      for (int p = 0; p < NP; ++p) {
        __m512 v = acc[0][r][p];
        for (int s = 1; s < KS; ++s) v = _mm512_add_ps(v, acc[s][r][p]);
        v = gemm_act_zmm<Act>(_mm512_add_ps(v, bv[p]));
        const int64_t left = cols - p * 16;
        if (left >= 16) _mm512_storeu_ps(cr + p * 16, v);
        else if (left > 0)
          _mm512_mask_storeu_ps(cr + p * 16, static_cast<__mmask16>((1u << left) - 1u), v);
      }
    }
    gemm_activate_rows<Act, R>(c, cols);
  }

 private:
  // Partial sums S0..S1-1 take K steps k+S0..k+S1-1 (a compile-time unrolled run, so every
  // accumulator index is a constant and stays in a register).
  template <int S0, int S1, int64_t BK>
  inline __attribute__((always_inline)) void steps(const float* const (&a)[R],
                                                   const float* __restrict b, int64_t k) {
    if constexpr (S0 < S1) {
      // With few rows each weight vector is loaded once into a register: the empty asm keeps
      // GCC from folding the load into every row's FMA (R loads of the same vector: 2.2x
      // slower at 4 rows x 4 panels on Zen 5). From 5 rows on the folded form measured faster.
      // A GEMV (one row) uses each vector once: there the barrier made GCC store every weight
      // vector to the stack in the K loop (cms_simple batch 1: 2.10 -> 1.89 us without it).
      __m512 w[NP];
      for (int p = 0; p < NP; ++p) {
        w[p] = _mm512_loadu_ps(b + (k + S0) * BK + p * 16);
        if constexpr (R >= 2 && R <= 4) __asm__("" : "+v"(w[p]));
      }
      for (int r = 0; r < R; ++r) {
        const __m512 ar = _mm512_set1_ps(a[r][k + S0]);
        for (int p = 0; p < NP; ++p) acc[S0][r][p] = _mm512_fmadd_ps(ar, w[p], acc[S0][r][p]);
      }
      steps<S0 + 1, S1, BK>(a, b, k);
    }
  }
};
#endif

// The tile gemm_packed and the convolutions instantiate: KS is honoured by the AVX-512 and
// AVX2 tiles (gemm_k_splits is 1 everywhere else).
template <int R, int NP, int NR, int KS>
struct GemmTileSel { using type = GemmTile<R, NP, NR>; };
#if defined(__AVX512F__)
template <int R, int NP, int KS>
struct GemmTileSel<R, NP, 16, KS> { using type = GemmTileZ<R, NP, KS>; };
#elif defined(__AVX2__) && defined(__FMA__)
template <int R, int NP, int KS>
struct GemmTileSel<R, NP, 16, KS> { using type = GemmTileY<R, NP, KS>; };
#endif
template <int R, int NP, int NR, int KS = 1>
using gemm_tile_t = typename GemmTileSel<R, NP, NR, KS>::type;

}  // namespace
}  // namespace tfaot_kernels
