// 2-D convolutions on NHWC tensors with compile-time geometry: Conv2D (filter HWIO, optional
// groups), DepthwiseConv2dNative (filter [KH,KW,C,M]) and Conv2DBackpropInput (the transposed
// convolution of Keras Conv2DTranspose). Direct convolution: for each output
// pixel, the output channels are a contiguous row updated by an inner loop the compiler
// vectorizes. Padding is implicit: window taps outside the input are skipped (zero padding).
#pragma once

#include <cstdint>

namespace tfaot_kernels {
namespace {

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
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        T* __restrict o = out + ((n * OH + oh) * OW + ow) * CO;
        for (int64_t co = 0; co < CO; ++co) o[co] = T(0);
        for (int64_t kh = 0; kh < KH; ++kh) {
          const int64_t ih = oh * SH - PT + kh * DH;
          if (ih < 0 || ih >= H) continue;
          for (int64_t kw = 0; kw < KW; ++kw) {
            const int64_t iw = ow * SW - PL + kw * DW;
            if (iw < 0 || iw >= W) continue;
            const T* __restrict x = in + ((n * H + ih) * W + iw) * C;
            const T* __restrict f = filter + (kh * KW + kw) * CG * CO;
            for (int64_t g = 0; g < G; ++g)
              for (int64_t ci = 0; ci < CG; ++ci) {
                const T xv = x[g * CG + ci];
                const T* __restrict fr = f + ci * CO + g * COG;
                T* __restrict og = o + g * COG;
                for (int64_t co = 0; co < COG; ++co) og[co] += xv * fr[co];
              }
          }
        }
      }
}

// in [N,H,W,C], filter [KH,KW,C,M], out [N,OH,OW,C*M]: output channel c*M+m is input channel
// c convolved with filter[:,:,c,m].
template <int64_t N, int64_t H, int64_t W, int64_t C, int64_t KH, int64_t KW, int64_t M,
          int64_t OH, int64_t OW, int64_t SH, int64_t SW, int64_t DH, int64_t DW, int64_t PT,
          int64_t PL, class T>
void depthwise_conv2d(const T* __restrict in, const T* __restrict filter, T* __restrict out) {
  constexpr int64_t CO = C * M;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        T* __restrict o = out + ((n * OH + oh) * OW + ow) * CO;
        for (int64_t co = 0; co < CO; ++co) o[co] = T(0);
        for (int64_t kh = 0; kh < KH; ++kh) {
          const int64_t ih = oh * SH - PT + kh * DH;
          if (ih < 0 || ih >= H) continue;
          for (int64_t kw = 0; kw < KW; ++kw) {
            const int64_t iw = ow * SW - PL + kw * DW;
            if (iw < 0 || iw >= W) continue;
            const T* __restrict x = in + ((n * H + ih) * W + iw) * C;
            const T* __restrict f = filter + (kh * KW + kw) * CO;
            if constexpr (M == 1) {
              for (int64_t c = 0; c < C; ++c) o[c] += x[c] * f[c];
            } else {
              for (int64_t c = 0; c < C; ++c) {
                const T xv = x[c];
                for (int64_t m = 0; m < M; ++m) o[c * M + m] += xv * f[c * M + m];
              }
            }
          }
        }
      }
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
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        const T* __restrict g = dy + ((n * OH + oh) * OW + ow) * CO;
        for (int64_t kh = 0; kh < KH; ++kh) {
          const int64_t ih = oh * SH - PT + kh * DH;
          if (ih < 0 || ih >= H) continue;
          for (int64_t kw = 0; kw < KW; ++kw) {
            const int64_t iw = ow * SW - PL + kw * DW;
            if (iw < 0 || iw >= W) continue;
            T* __restrict x = dx + ((n * H + ih) * W + iw) * C;
            const T* __restrict f = filter_t + (kh * KW + kw) * CO * C;
            for (int64_t co = 0; co < CO; ++co) {
              const T gv = g[co];
              const T* __restrict fr = f + co * C;
              for (int64_t c = 0; c < C; ++c) x[c] += gv * fr[c];
            }
          }
        }
      }
}

}  // namespace
}  // namespace tfaot_kernels
