// Image resizing on NHWC tensors. The source rows/columns (and bilinear weights) depend only on
// the static sizes, so the compiler computes them exactly as TensorFlow's kernels do and passes
// them as tables; the kernels only gather (and blend) channel rows.
#pragma once

#include <cstdint>

namespace tfaot_kernels {
namespace {

// out[n, y, x, :] = in[n, ys[y], xs[x], :].
template <int64_t N, int64_t H, int64_t W, int64_t C, int64_t OH, int64_t OW, class T>
void resize_nearest(const T* __restrict in, T* __restrict out, const int64_t* __restrict ys,
                    const int64_t* __restrict xs) {
  for (int64_t n = 0; n < N; ++n)
    for (int64_t y = 0; y < OH; ++y) {
      const T* __restrict row = in + (n * H + ys[y]) * W * C;
      for (int64_t x = 0; x < OW; ++x) {
        const T* __restrict src = row + xs[x] * C;
        T* __restrict dst = out + ((n * OH + y) * OW + x) * C;
        for (int64_t c = 0; c < C; ++c) dst[c] = src[c];
      }
    }
}

// Bilinear: rows y0[y], y1[y] blended by yl[y]; columns likewise. Output is float, blended as
// TF's compute_lerp: top = tl + (tr - tl) * xl; bottom likewise; top + (bottom - top) * yl.
template <int64_t N, int64_t H, int64_t W, int64_t C, int64_t OH, int64_t OW, class T>
void resize_bilinear(const T* __restrict in, float* __restrict out, const int64_t* __restrict y0,
                     const int64_t* __restrict y1, const float* __restrict yl,
                     const int64_t* __restrict x0, const int64_t* __restrict x1,
                     const float* __restrict xl) {
  for (int64_t n = 0; n < N; ++n)
    for (int64_t y = 0; y < OH; ++y) {
      const T* __restrict top = in + (n * H + y0[y]) * W * C;
      const T* __restrict bot = in + (n * H + y1[y]) * W * C;
      const float fy = yl[y];
      for (int64_t x = 0; x < OW; ++x) {
        const float fx = xl[x];
        const T* __restrict tl = top + x0[x] * C;
        const T* __restrict tr = top + x1[x] * C;
        const T* __restrict bl = bot + x0[x] * C;
        const T* __restrict br = bot + x1[x] * C;
        float* __restrict dst = out + ((n * OH + y) * OW + x) * C;
        for (int64_t c = 0; c < C; ++c) {
          const float t = float(tl[c]) + (float(tr[c]) - float(tl[c])) * fx;
          const float b = float(bl[c]) + (float(br[c]) - float(bl[c])) * fx;
          dst[c] = t + (b - t) * fy;
        }
      }
    }
}

}  // namespace
}  // namespace tfaot_kernels
