// Max and average pooling on NHWC tensors with compile-time geometry. Each window is clipped to
// the input (padding never takes part): max pooling ignores padded positions and average
// pooling divides by the number of input elements in the clipped window, as TensorFlow does.
// The channels of one output pixel are a contiguous row (vectorized inner loop).
#pragma once

#include <cstdint>
#include <limits>

namespace tfaot_kernels {
namespace {

// in [N,H,W,C] -> out [N,OH,OW,C]; window KH x KW, strides SH,SW, padding before PT, PL.
template <bool Max, int64_t N, int64_t H, int64_t W, int64_t C, int64_t KH, int64_t KW,
          int64_t OH, int64_t OW, int64_t SH, int64_t SW, int64_t PT, int64_t PL, class T>
void pool2d(const T* __restrict in, T* __restrict out) {
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh) {
      const int64_t hs = oh * SH - PT;
      const int64_t h0 = hs < 0 ? 0 : hs, h1 = hs + KH > H ? H : hs + KH;
      for (int64_t ow = 0; ow < OW; ++ow) {
        const int64_t ws = ow * SW - PL;
        const int64_t w0 = ws < 0 ? 0 : ws, w1 = ws + KW > W ? W : ws + KW;
        T* __restrict o = out + ((n * OH + oh) * OW + ow) * C;
        if constexpr (Max) {
          const T init = std::numeric_limits<T>::has_infinity
                             ? -std::numeric_limits<T>::infinity()
                             : std::numeric_limits<T>::lowest();
          for (int64_t c = 0; c < C; ++c) o[c] = init;
        } else {
          for (int64_t c = 0; c < C; ++c) o[c] = T(0);
        }
        for (int64_t h = h0; h < h1; ++h)
          for (int64_t w = w0; w < w1; ++w) {
            const T* __restrict x = in + ((n * H + h) * W + w) * C;
            if constexpr (Max) {
              for (int64_t c = 0; c < C; ++c) o[c] = x[c] > o[c] ? x[c] : o[c];
            } else {
              for (int64_t c = 0; c < C; ++c) o[c] += x[c];
            }
          }
        if constexpr (!Max) {
          const T count = T((h1 - h0) * (w1 - w0));
          for (int64_t c = 0; c < C; ++c) o[c] /= count;
        }
      }
    }
}

}  // namespace
}  // namespace tfaot_kernels
