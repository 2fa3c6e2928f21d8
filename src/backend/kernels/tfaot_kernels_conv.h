// 2-D convolutions on NHWC tensors with compile-time geometry.
//  - Plain loop kernels for any element type and a filter known only at run time: Conv2D
//    (filter HWIO, optional groups; DepthwiseConv2dNative with filter [KH,KW,C,M] is the
//    grouped case CG = 1, CO = C*M) and Conv2DBackpropInput (the transposed convolution of Keras Conv2DTranspose). For each
//    output pixel the output channels are a contiguous row updated by an inner loop the
//    compiler vectorizes; window taps outside the input are skipped (zero padding).
//  - depthwise_conv2d_fused: the float32 depthwise kernel with bias and activation, whose
//    pixels are grouped by their in-image taps (ConvAxis) so the tap loops carry no bounds
//    checks; float32 Conv2D with a constant filter is in tfaot_kernels_conv_gemm.h.
#pragma once

#include <array>
#include <cstdint>

#include "tfaot_kernels_gemm.h"

namespace tfaot_kernels {
namespace {

// Window geometry of one convolution kernel instantiation (its template arguments).
template <int64_t N_, int64_t H_, int64_t W_, int64_t C_, int64_t KH_, int64_t KW_,
          int64_t OH_, int64_t OW_, int64_t SH_, int64_t SW_, int64_t DH_, int64_t DW_,
          int64_t PT_, int64_t PL_>
struct ConvWindow {
  static constexpr int64_t N = N_, H = H_, W = W_, C = C_, KH = KH_, KW = KW_, OH = OH_,
                           OW = OW_, SH = SH_, SW = SW_, DH = DH_, DW = DW_, PT = PT_, PL = PL_;

  // fn(n, oh, ow, pixel index) for every output pixel, in order.
  template <class F>
  static void for_each_pixel(F&& fn) {
    for (int64_t n = 0; n < N; ++n)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow) fn(n, oh, ow, (n * OH + oh) * OW + ow);
  }
  // fn(offset of the input pixel's channel 0, tap kh * KW + kw) for the taps of output pixel
  // (n, oh, ow) that fall inside the image.
  template <class F>
  static void for_each_tap(int64_t n, int64_t oh, int64_t ow, F&& fn) {
    for (int64_t kh = 0; kh < KH; ++kh) {
      const int64_t ih = oh * SH - PT + kh * DH;
      if (ih < 0 || ih >= H) continue;
      for (int64_t kw = 0; kw < KW; ++kw) {
        const int64_t iw = ow * SW - PL + kw * DW;
        if (iw < 0 || iw >= W) continue;
        fn(((n * H + ih) * W + iw) * C, kh * KW + kw);
      }
    }
  }
};

// in [N,H,W,C], filter [KH,KW,CG,CO] with CG = C / groups, out [N,OH,OW,CO]. Output channel
// co belongs to group co / (CO / groups) and reads input channels of that group.
// Strides SH,SW, dilations DH,DW, padding before PT (top), PL (left).
template <int64_t N, int64_t H, int64_t W, int64_t C, int64_t KH, int64_t KW, int64_t CG,
          int64_t CO, int64_t OH, int64_t OW, int64_t SH, int64_t SW, int64_t DH, int64_t DW,
          int64_t PT, int64_t PL, class T>
void conv2d(const T* __restrict in, const T* __restrict filter, T* __restrict out) {
  static_assert(C % CG == 0, "input channels must be a multiple of the filter's");
  constexpr int64_t G = C / CG;
  static_assert(CO % G == 0, "output channels must be a multiple of the groups");
  constexpr int64_t COG = CO / G;
  using Win = ConvWindow<N, H, W, C, KH, KW, OH, OW, SH, SW, DH, DW, PT, PL>;
  Win::for_each_pixel([&](int64_t n, int64_t oh, int64_t ow, int64_t pixel) {
    T* __restrict o = out + pixel * CO;
    for (int64_t co = 0; co < CO; ++co) o[co] = T(0);
    Win::for_each_tap(n, oh, ow, [&](int64_t x_off, int64_t tap) {
      const T* __restrict x = in + x_off;
      const T* __restrict f = filter + tap * CG * CO;
      for (int64_t g = 0; g < G; ++g)
        for (int64_t ci = 0; ci < CG; ++ci) {
          const T xv = x[g * CG + ci];
          const T* __restrict fr = f + ci * CO + g * COG;
          T* __restrict og = o + g * COG;
          for (int64_t co = 0; co < COG; ++co) og[co] += xv * fr[co];
        }
    });
  });
}

// Conv2DBackpropInput: dy [N,OH,OW,CO] -> dx [N,H,W,C], the adjoint of conv2d with the same
// geometry. The filter comes transposed to [KH,KW,CO,C] so that every tap adds dy[co] times a
// contiguous filter row to the dx row (vectorized over c).
template <int64_t N, int64_t H, int64_t W, int64_t C, int64_t KH, int64_t KW, int64_t CO,
          int64_t OH, int64_t OW, int64_t SH, int64_t SW, int64_t DH, int64_t DW, int64_t PT,
          int64_t PL, class T>
void conv2d_backprop_input(const T* __restrict dy, const T* __restrict filter_t,
                           T* __restrict dx) {
  for (int64_t i = 0; i < N * H * W * C; ++i) dx[i] = T(0);
  using Win = ConvWindow<N, H, W, C, KH, KW, OH, OW, SH, SW, DH, DW, PT, PL>;
  Win::for_each_pixel([&](int64_t n, int64_t oh, int64_t ow, int64_t pixel) {
    const T* __restrict g = dy + pixel * CO;
    Win::for_each_tap(n, oh, ow, [&](int64_t x_off, int64_t tap) {
      T* __restrict x = dx + x_off;
      const T* __restrict f = filter_t + tap * CO * C;
      for (int64_t co = 0; co < CO; ++co) {
        const T gv = g[co];
        const T* __restrict fr = f + co * C;
        for (int64_t c = 0; c < C; ++c) x[c] += gv * fr[c];
      }
    });
  });
}

// One spatial axis of a convolution window: output positions [o0, o1) all read exactly the
// taps [t0, t1) (input o * S - P + t * D inside [0, I)); t0 == t1 means only padding.
struct ConvSpan {
  int64_t o0, o1, t0, t1;
};

template <int64_t O, int64_t I, int64_t K, int64_t S, int64_t D, int64_t P>
struct ConvAxis {
  static constexpr int64_t first_tap(int64_t o) {
    const int64_t s = o * S - P;
    if (s >= 0) return 0;
    const int64_t t = (-s + D - 1) / D;
    return t < K ? t : K;
  }
  static constexpr int64_t end_tap(int64_t o) {
    const int64_t s = o * S - P, t0 = first_tap(o);
    if (s > I - 1) return t0;
    const int64_t t = (I - 1 - s) / D + 1;
    const int64_t e = t < K ? t : K;
    return e > t0 ? e : t0;
  }
  // first_tap and end_tap are monotone in o, so each changes at most K times.
  struct Spans {
    std::array<ConvSpan, 2 * K + 1> s{};
    int64_t count = 0;
  };
  static constexpr Spans spans() {
    Spans r;
    for (int64_t o = 0; o < O; ++o) {
      const int64_t t0 = first_tap(o), t1 = end_tap(o);
      if (r.count > 0 && r.s[r.count - 1].t0 == t0 && r.s[r.count - 1].t1 == t1)
        r.s[r.count - 1].o1 = o + 1;
      else
        r.s[r.count++] = ConvSpan{o, o + 1, t0, t1};
    }
    return r;
  }
};

// fn(h, w, n, oh, ow) for every output pixel, grouped into boxes of pixels sharing their
// in-image taps (h.t0..h.t1 x w.t0..w.t1); within a box, images, rows, then columns.
template <class Win, class F>
inline void for_each_pixel_by_taps(F&& fn) {
  constexpr auto hs = ConvAxis<Win::OH, Win::H, Win::KH, Win::SH, Win::DH, Win::PT>::spans();
  constexpr auto ws = ConvAxis<Win::OW, Win::W, Win::KW, Win::SW, Win::DW, Win::PL>::spans();
  for (int64_t i = 0; i < hs.count; ++i)
    for (int64_t j = 0; j < ws.count; ++j)
      for (int64_t n = 0; n < Win::N; ++n)
        for (int64_t oh = hs.s[i].o0; oh < hs.s[i].o1; ++oh)
          for (int64_t ow = ws.s[j].o0; ow < ws.s[j].o1; ++ow) fn(hs.s[i], ws.s[j], n, oh, ow);
}

// CB output channels [c0, c0 + CB) of one depthwise output pixel: accumulators in registers
// (the compiler vectorizes the fixed-length loops), epilogue applied before the store.
template <class Win, int64_t M, int64_t CB, int Act>
inline void depthwise_block(const float* __restrict in, int64_t x_off, const float* __restrict f,
                            const float* __restrict bias, float* __restrict o,
                            const ConvSpan& h, const ConvSpan& w) {
  constexpr int64_t CO = Win::C * M;
  float acc[CB];
  for (int64_t j = 0; j < CB; ++j) acc[j] = 0.0f;
  for (int64_t kh = h.t0; kh < h.t1; ++kh)
    for (int64_t kw = w.t0; kw < w.t1; ++kw) {
      const float* __restrict xt = in + (x_off + (kh * Win::DH * Win::W + kw * Win::DW) * Win::C);
      const float* __restrict ft = f + (kh * Win::KW + kw) * CO;
      if constexpr (M == 1) {
        for (int64_t j = 0; j < CB; ++j) acc[j] += xt[j] * ft[j];
      } else {
        for (int64_t j = 0; j < CB; ++j) acc[j] += xt[j / M] * ft[j];
      }
    }
  for (int64_t j = 0; j < CB; ++j) {
    float v = bias ? acc[j] + bias[j] : acc[j];  // after the products, as BiasAdd
    if constexpr (Act == kGemmRelu) v = v > 0.0f ? v : 0.0f;
    if constexpr (Act == kGemmRelu6) v = v > 0.0f ? (v < 6.0f ? v : 6.0f) : 0.0f;
    o[j] = v;
  }
  if constexpr (Act == kGemmTanh || Act == kGemmSigmoid) gemm_activate<Act>(o, CB);
}

// Float32 depthwise convolution with fused bias (null or [C*M]) and activation:
// in [N,H,W,C], filter [KH,KW,C,M], out [N,OH,OW,C*M].
template <int64_t N, int64_t H, int64_t W, int64_t C, int64_t KH, int64_t KW, int64_t M,
          int64_t OH, int64_t OW, int64_t SH, int64_t SW, int64_t DH, int64_t DW, int64_t PT,
          int64_t PL, int Act>
void depthwise_conv2d_fused(const float* __restrict in, const float* __restrict filter,
                            const float* __restrict bias, float* __restrict out) {
  using Win = ConvWindow<N, H, W, C, KH, KW, OH, OW, SH, SW, DH, DW, PT, PL>;
  constexpr int64_t CO = C * M;
  // Blocks of 32 channels (4 AVX2 registers) keep the accumulators in registers; an input
  // channel block feeds M times as many outputs.
  constexpr int64_t CB = CO <= 32 ? CO : M == 1 ? 32 : M >= 32 ? M : 32 / M * M;
  constexpr int64_t blocks = CO / CB, rest = CO % CB;
  for_each_pixel_by_taps<Win>([&](const ConvSpan& h, const ConvSpan& w, int64_t n, int64_t oh,
                                  int64_t ow) {
    // Input offset of tap (0, 0) (outside the image at the borders, where only the in-image
    // taps' offsets are added to it).
    const int64_t x0 = ((n * H + oh * SH - PT) * W + ow * SW - PL) * C;
    float* o = out + ((n * OH + oh) * OW + ow) * CO;
    for (int64_t b = 0; b < blocks; ++b)
      depthwise_block<Win, M, CB, Act>(in, x0 + b * CB / M, filter + b * CB,
                                       bias ? bias + b * CB : nullptr, o + b * CB, h, w);
    if constexpr (rest > 0)
      depthwise_block<Win, M, rest, Act>(in, x0 + blocks * CB / M, filter + blocks * CB,
                                         bias ? bias + blocks * CB : nullptr, o + blocks * CB,
                                         h, w);
  });
}

}  // namespace
}  // namespace tfaot_kernels
