// Register-blocked float32 GEMM/GEMV against weights prepacked at compile time:
//   C[M,N] = act(A[M,K] * B[K,N] + bias)
// A and C are row-major. B was packed by the compiler (src/backend/gemm_packing.h) into
// P = ceil(N/NR) panels of NR columns (zero-padded past N), stored in groups of
// GW = gemm_group_panels(P, GP) panels (GP = 8 or 7, the packing's choice per target, see
// gemm_packing.h; the last group may be narrower, gw panels) that are
// interleaved per K step: group g is a [K][gw*NR] row-major block at g*GW*K*NR, so row k of
// panel p is at group base + k*gw*NR + (p - g*GW)*NR. A GEMV (batch 1) therefore reads each
// group as one sequential stream (8 separate panel streams ran 1.5x slower from L2), and a
// tile of fewer panels reads a contiguous part of each row. bias is null or padded to P*NR
// (pack_gemm_bias).
//
// Blocking (gemm_tile_shape): a register tile (tfaot_kernels_gemm_tiles.h) keeps R rows x NP
// panels of C in registers and walks K once, broadcasting one element of A per row and loading
// one panel row of B per panel. When M fits one tile (batch 1..~8) R = M, so every weight is
// read exactly once per call (batch 1 is the GEMV case, NP as wide as the registers allow);
// otherwise the tile is as square as the register budget allows (AVX-512: 6 rows x 4 panels =
// 24 zmm accumulators; AVX2: 6 rows x 1 panel of two ymm = 12; SSE: 2 x 1 panel of four xmm). The loop runs panel groups outside and
// rows inside, so one group of weights (NP x K x NR floats) stays in L1/L2 while A streams.
// Small products (one or two panels, long K) split the K sum into interleaved partial sums
// (gemm_k_splits) so FMA latency does not bound them; the split depends on (N, K) only.
// Epilogue per tile, while C is still in L1: bias, then relu/relu6 in registers or tanh /
// sigmoid through tfaot_kernels_vmath.h.
//
// The tiles take one pointer per row of A and of C, so the convolutions
// (tfaot_kernels_conv_gemm.h) run the same microkernels on rows gathered from an image.
#pragma once

#include <cstdint>
#include <type_traits>

#include "tfaot_kernels_gemm_tiles.h"

namespace tfaot_kernels {
namespace {

// The target's vector registers and how many of them one panel of NR = 16 columns takes.
struct GemmRegs {
  int total;
  int per_panel;
};
constexpr GemmRegs gemm_regs() {
#if defined(__AVX512F__)
  return {32, 1};  // zmm
#elif defined(__AVX2__) && defined(__FMA__)
  return {16, 2};  // ymm
#elif defined(__ARM_NEON)
  return {32, 4};  // q
#elif defined(__SSE2__)
  return {16, 4};  // xmm
#else
  return {16, 2};
#endif
}

struct GemmTileShape {
  int rows;    // R: rows of A (pixels, for a convolution) per tile
  int panels;  // NP: panels of NR columns per tile
};

// The tile for a product with M rows (0: many, e.g. a convolution's pixels) and P panels;
// k_splits partial sums per accumulator (gemm_k_splits).
constexpr GemmTileShape gemm_tile_shape(int64_t M, int64_t P, int k_splits = 1) {
  const GemmRegs regs = gemm_regs();
  if (regs.total == 16 && regs.per_panel == 2) {
    // AVX2 (16 ymm): 6 rows x 1 panel = 12 accumulators + 2 weight vectors + 1 broadcast
    // (the 3 x 2-panel tile needed 17 and spilled an accumulator: see issue 17). Batches of
    // up to 6 rows in one tile (every weight read once), 12 accumulators where the row count
    // allows (1 row: 4 panels, 8 independent FMA chains = latency 4 x 2 pipes).
    int units = 6 / k_splits;  // rows x panels with 2 ymm per panel: 12 accumulators
    if (units < 1) units = 1;
    if (M > 0 && M <= units) {
      const int r = static_cast<int>(M);
      int np = r == 1 ? (units < 4 ? units : 4) : units / r;
      if (np < 1) np = 1;
      return {r, np < P ? np : static_cast<int>(P)};
    }
    return {units, 1};
  }
  // Many rows: a square-ish tile of 24 zmm accumulators (AVX-512: 6 x 4 panels, 8 x 3, 8 x 2),
  // 3 x 2 panels with NEON, 2 x 1 with SSE (8 xmm accumulators + a weight vector, two
  // broadcasts and a product temporary: the 3 x 1 tile needed 17 of 16 and spilled 2). At most 8 rows: a convolution holds one
  // pointer per row in a general register, and with 12 rows GCC ran out of them and spilled
  // the weight vectors (1.6x slower).
  const int units = (regs.total == 32 && regs.per_panel == 1 ? 24 : regs.per_panel == 4 && regs.total == 16 ? 2 : 6) / k_splits;
  int np = units >= 24 ? 4 : units >= 6 ? 2 : 1;
  if (np > P) np = static_cast<int>(P);
  int r = units / np;
  if (r > 8) r = 8;
  if (r < 1) r = 1;
  // Up to 8 rows in one tile with AVX-512 (8 x 3 panels: batch 8 1.3x faster than 6 + 2 rows).
  const int one_tile = regs.total == 32 && regs.per_panel == 1 ? 8 : r;
  if (M > 0 && M <= one_tile) {
    // All rows in one tile, so every weight is read once: as many panels as fit beside the
    // M x NP accumulators and the NP weight registers of one K step (3 registers spare for
    // the broadcast and the epilogue; with fewer spare GCC used memory operands and read each
    // weight M times).
    r = static_cast<int>(M);
    int wide = (regs.total - 3) / (regs.per_panel * (r * k_splits + 1));
    if (wide > 8) wide = 8;
    if (wide < 1) wide = 1;
    np = wide < P ? wide : static_cast<int>(P);
  }
  return {r, np};
}

// Interleaved partial sums for a GEMM of N columns and depth K: only where the tile has few
// accumulators (one or two panels) and K is long enough for latency to matter (one panel of
// one row is 1 zmm / 2 ymm FMA chain(s) of 4 cycles latency where 8 are needed to fill two
// FMA pipes). AVX-512 and AVX2; the 128-bit tiles have 4 registers per panel already.
constexpr int gemm_k_splits(int64_t N, int64_t K, int NR) {
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
  const int64_t P = (N + NR - 1) / NR;
  if (NR != 16 || K < 32) return 1;
  return P == 1 ? 4 : P == 2 ? 2 : 1;
#else
  (void)N, (void)K, (void)NR;
  return 1;
#endif
}

// Calls f(std::integral_constant<int, r>{}) for the run-time value r in [1, RMAX] (a remainder
// of rows; C++17 has no template lambdas).
template <int RMAX, class F>
inline void gemm_with_rows(int64_t r, F&& f) {
  if constexpr (RMAX >= 1) {
    if (r == RMAX) f(std::integral_constant<int, RMAX>{});
    else gemm_with_rows<RMAX - 1>(r, f);
  }
}

// Panels per interleaved group of the packed layout, at most GP (gemm_packing.h packs with the
// same rule).
constexpr int64_t gemm_group_panels(int64_t P, int GP) { return P < GP ? P : GP; }

// Calls f(integral_constant np, integral_constant bk, p, b) for consecutive tiles of at most
// NP panels covering all P panels: np panels starting at panel p, row 0 at b, K stride bk
// (its group's width times NR). Tiles never span groups.
template <int64_t P, int64_t K, int NR, int NP, int64_t GW, class F>
inline void gemm_group_tiles(const float* b_group, int64_t p_group, F&& f) {
  constexpr int64_t full = GW / NP;
  for (int64_t q = 0; q < full; ++q)
    f(std::integral_constant<int, NP>{}, std::integral_constant<int64_t, GW * NR>{},
      p_group + q * NP, b_group + q * NP * NR);
  constexpr int last = static_cast<int>(GW % NP);
  if constexpr (last > 0)
    f(std::integral_constant<int, last>{}, std::integral_constant<int64_t, GW * NR>{},
      p_group + full * NP, b_group + full * NP * NR);
}
template <int64_t P, int64_t K, int NR, int NP, int GP, class F>
inline void gemm_for_panel_tiles(const float* b, F&& f) {
  constexpr int64_t GW = gemm_group_panels(P, GP);
  constexpr int64_t G = P / GW;  // full groups
  for (int64_t g = 0; g < G; ++g)
    gemm_group_tiles<P, K, NR, (NP < GW ? NP : GW), GW>(b + g * GW * K * NR, g * GW, f);
  constexpr int64_t last = P % GW;
  if constexpr (last > 0)
    gemm_group_tiles<P, K, NR, (NP < last ? NP : static_cast<int>(last)), last>(b + G * GW * K * NR,
                                                                               G * GW, f);
}

// Rows [0,R) of a (stride K) times NP panels of b (K stride BK), writing `cols` valid columns
// to c (stride N).
template <int R, int NP, int NR, int KS, int64_t BK, int64_t K, int64_t N, int Act>
inline void gemm_micro(const float* a, const float* b, const float* bias, float* c, int64_t cols) {
  const float* rows[R];
  float* out[R];
  for (int r = 0; r < R; ++r) rows[r] = a + r * K, out[r] = c + r * N;
  gemm_tile_t<R, NP, NR, KS> t;
  t.init();
  t.template fma<BK, K>(rows, b);
  t.template store<Act>(out, cols, bias);
}

// All M rows, R at a time, against the NP panels starting at panel p0 (B row 0 at b).
template <int R, int NP, int NR, int KS, int64_t BK, int64_t M, int64_t K, int64_t N, int Act>
inline void gemm_panel_tile(const float* a, const float* b, const float* bias, float* c,
                            int64_t p0) {
  const int64_t cols = (N - p0 * NR) < NP * NR ? N - p0 * NR : NP * NR;
  const float* bb = bias ? bias + p0 * NR : nullptr;
  int64_t i = 0;
  for (; i + R <= M; i += R)
    gemm_micro<R, NP, NR, KS, BK, K, N, Act>(a + i * K, b, bb, c + i * N + p0 * NR, cols);
  constexpr int rest = static_cast<int>(M % R);
  if constexpr (rest > 0)
    gemm_micro<rest, NP, NR, KS, BK, K, N, Act>(a + i * K, b, bb, c + i * N + p0 * NR, cols);
}

// C[M,N] = act(A[M,K] * B + bias) with B packed as described at the top of this file (groups
// of at most GP panels). Panel tiles are the outer loop, rows the inner one, so a tile's
// weights stay in cache while A streams.
template <int64_t M, int64_t N, int64_t K, int NR, int Act, int GP = 8>
void gemm_packed(const float* __restrict a, const float* __restrict b_packed,
                 const float* __restrict bias_padded, float* __restrict c) {
  static_assert(M > 0 && N > 0 && K > 0, "empty products are emitted as fills");
  constexpr int64_t P = (N + NR - 1) / NR;
  constexpr int KS = gemm_k_splits(N, K, NR);
  constexpr GemmTileShape shape = gemm_tile_shape(M, P, KS);
  gemm_for_panel_tiles<P, K, NR, shape.panels, GP>(b_packed, [&](auto np, auto bk, int64_t p0,
                                                             const float* b) {
    gemm_panel_tile<shape.rows, decltype(np)::value, NR, KS, decltype(bk)::value, M, K, N, Act>(
        a, b, bias_padded, c, p0);
  });
}

}  // namespace
}  // namespace tfaot_kernels
