// Float32 Conv2D (NHWC, optional groups) as an implicit GEMM on the register tile of
// tfaot_kernels_gemm.h: output pixels are the rows of C, the filter [KH*KW*CG, COG] per group
// is B, prepacked at compile time into panels of NR columns (gemm_packing.h,
// pack_conv_filter), and each row of A is gathered on the fly: tap (kh, kw) of a pixel is CG
// contiguous input channels, so the tile's K loop runs CG at a time from one pointer per row.
// No im2col buffer and no padded copy: output pixels are grouped by the range of filter taps
// that fall inside the image (ConvAxis spans; in a 3x3 SAME convolution, interior, edges and
// corners), pixels of one group share their taps and are blocked MR at a time across rows and
// images, so padding costs neither work nor branches in the K loop.
// Bias and activation are the tile's epilogue, as in the GEMM.
#pragma once

#include <cstdint>

#include "tfaot_kernels_conv.h"
#include "tfaot_kernels_gemm.h"

namespace tfaot_kernels {
namespace {

// Geometry of one conv2d_packed call (the template arguments, bundled for the helpers).
template <int64_t N_, int64_t H_, int64_t W_, int64_t C_, int64_t KH_, int64_t KW_,
          int64_t CG_, int64_t CO_, int64_t OH_, int64_t OW_, int64_t SH_, int64_t SW_,
          int64_t DH_, int64_t DW_, int64_t PT_, int64_t PL_, int NR_, int GP_>
struct ConvShape {
  static constexpr int64_t N = N_, H = H_, W = W_, C = C_, KH = KH_, KW = KW_, CG = CG_,
                           CO = CO_, OH = OH_, OW = OW_, SH = SH_, SW = SW_, DH = DH_, DW = DW_,
                           PT = PT_, PL = PL_;
  static constexpr int NR = NR_, GP = GP_;  // panel width, panels per packed group at most
  static constexpr int64_t G = C / CG, COG = CO / G;
  static constexpr int64_t P = (COG + NR - 1) / NR;  // panels per group
  static constexpr int64_t K = KH * KW * CG;         // GEMM depth
};

// A box of output pixels (all images, output rows [h.o0,h.o1), columns [w.o0,w.o1)) that share
// the taps h.t0..h.t1 x w.t0..w.t1, walked MR pixels at a time. b: row 0 of the tile's NP
// panels, K stride BK (the packed layout of tfaot_kernels_gemm.h).
template <class S, int R, int NP, int64_t BK, int Act>
inline void conv_tile(const float* in, const float* b, const float* bias, float* out,
                      const int64_t (&x_off)[R], const int64_t (&y_off)[R], const ConvSpan& h,
                      const ConvSpan& w, int64_t cols) {
  gemm_tile_t<R, NP, S::NR> t;
  t.init();
  for (int64_t kh = h.t0; kh < h.t1; ++kh)
    for (int64_t kw = w.t0; kw < w.t1; ++kw) {
      const int64_t tap = (kh * S::DH * S::W + kw * S::DW) * S::C;
      const float* rows[R];
      for (int r = 0; r < R; ++r) rows[r] = in + (x_off[r] + tap);
      t.template fma<BK, S::CG>(rows, b + (kh * S::KW + kw) * S::CG * BK);
    }
  float* dst[R];
  for (int r = 0; r < R; ++r) dst[r] = out + y_off[r];
  t.template store<Act>(dst, cols, bias);
}

// R pixels (offsets of their first tap's input row and of their output row, group g applied)
// against all panels of group g, in tiles of the target's panel count for many rows.
template <class S, int R, int Act>
inline void conv_rows(const float* in, const float* bp, const float* bias, float* out,
                      const int64_t (&x_off)[R], const int64_t (&y_off)[R], const ConvSpan& h,
                      const ConvSpan& w) {
  constexpr int NP = gemm_tile_shape(0, S::P).panels;
  gemm_for_panel_tiles<S::P, S::K, S::NR, NP, S::GP>(bp, [&](auto np, auto bk, int64_t p,
                                                      const float* b) {
    const int64_t cols = S::COG - p * S::NR < np * S::NR ? S::COG - p * S::NR : np * S::NR;
    conv_tile<S, R, decltype(np)::value, decltype(bk)::value, Act>(
        in, b, bias ? bias + p * S::NR : nullptr, out + p * S::NR, x_off, y_off, h, w, cols);
  });
}

// in [N,H,W,C], out [N,OH,OW,CO]; filter prepacked per group g (P*K*NR floats each) as the
// matrix [KH*KW*CG, COG] in the panel layout of tfaot_kernels_gemm.h (output channel
// g*COG + p*NR + j in panel p); bias null or [G][P*NR].
template <int64_t N, int64_t H, int64_t W, int64_t C, int64_t KH, int64_t KW, int64_t CG,
          int64_t CO, int64_t OH, int64_t OW, int64_t SH, int64_t SW, int64_t DH, int64_t DW,
          int64_t PT, int64_t PL, int NR, int Act, int GP = 8>
void conv2d_packed(const float* __restrict in, const float* __restrict packed,
                   const float* __restrict bias, float* __restrict out) {
  using S = ConvShape<N, H, W, C, KH, KW, CG, CO, OH, OW, SH, SW, DH, DW, PT, PL, NR, GP>;
  static_assert(C % CG == 0 && CO % S::G == 0, "channels must split into groups");
  static_assert(N > 0 && OH > 0 && OW > 0 && CO > 0, "empty outputs are not emitted");
  constexpr auto hs = ConvAxis<OH, H, KH, SH, DH, PT>::spans();
  constexpr auto ws = ConvAxis<OW, W, KW, SW, DW, PL>::spans();
  constexpr int MR = gemm_tile_shape(0, S::P).rows;
  for (int64_t g = 0; g < S::G; ++g) {
    const float* bp = packed + g * S::P * S::K * NR;
    const float* bg = bias ? bias + g * S::P * NR : nullptr;
    for (int64_t i = 0; i < hs.count; ++i)
      for (int64_t j = 0; j < ws.count; ++j) {
        const ConvSpan& h = hs.s[i];
        const ConvSpan& w = ws.s[j];
        // Walk the box (n, oh, ow) with a carrying cursor; offsets may be negative before the
        // first tap is added (the tap range keeps every read inside the image).
        int64_t n = 0, oh = h.o0, ow = w.o0;
        auto next = [&](int64_t& xo, int64_t& yo) {
          xo = ((n * H + oh * SH - PT) * W + ow * SW - PL) * C + g * CG;
          yo = ((n * OH + oh) * OW + ow) * CO + g * S::COG;
          if (++ow == w.o1) {
            ow = w.o0;
            if (++oh == h.o1) oh = h.o0, ++n;
          }
        };
        const int64_t count = N * (h.o1 - h.o0) * (w.o1 - w.o0);
        int64_t done = 0;
        for (; done + MR <= count; done += MR) {
          int64_t xo[MR], yo[MR];
          for (int r = 0; r < MR; ++r) next(xo[r], yo[r]);
          conv_rows<S, MR, Act>(in, bp, bg, out, xo, yo, h, w);
        }
        gemm_with_rows<MR - 1>(count - done, [&](auto rows) {
          constexpr int R = decltype(rows)::value;
          int64_t xo[R], yo[R];
          for (int r = 0; r < R; ++r) next(xo[r], yo[r]);
          conv_rows<S, R, Act>(in, bp, bg, out, xo, yo, h, w);
        });
      }
  }
}

}  // namespace
}  // namespace tfaot_kernels
