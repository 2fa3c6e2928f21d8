// FusedBatchNorm kernels. x is viewed as [Outer, C, Inner] with the channel axis in the middle
// (NHWC: Outer = N*H*W, Inner = 1; NCHW: Outer = N, Inner = H*W). Statistics and scale factors
// are computed in U (the op's float type) as TensorFlow's CPU kernel does:
// y = (x - mean) * (rsqrt(variance + epsilon) * scale) + offset.
#pragma once

#include <cmath>
#include <cstdint>

namespace tfaot_kernels {
namespace {

template <int64_t Outer, int64_t C, int64_t Inner, class T, class U>
void batch_norm_apply(const T* __restrict x, const U* __restrict mean,
                      const U* __restrict factor, const U* __restrict offset, T* __restrict y) {
  for (int64_t o = 0; o < Outer; ++o) {
    if constexpr (Inner == 1) {
      const T* __restrict xr = x + o * C;
      T* __restrict yr = y + o * C;
      for (int64_t c = 0; c < C; ++c) yr[c] = T((U(xr[c]) - mean[c]) * factor[c] + offset[c]);
    } else {
      for (int64_t c = 0; c < C; ++c) {
        const U m = mean[c], f = factor[c], b = offset[c];
        const T* __restrict xr = x + (o * C + c) * Inner;
        T* __restrict yr = y + (o * C + c) * Inner;
        for (int64_t i = 0; i < Inner; ++i) yr[i] = T((U(xr[i]) - m) * f + b);
      }
    }
  }
}

// is_training=false: normalizes with the given mean/variance; outputs batch_mean/batch_var and
// saved_mean/saved_var are copies of mean/variance.
template <int64_t Outer, int64_t C, int64_t Inner, class T, class U>
void batch_norm_inference(const T* __restrict x, const U* __restrict scale,
                          const U* __restrict offset, const U* __restrict mean,
                          const U* __restrict variance, U epsilon, T* __restrict y,
                          U* __restrict batch_mean, U* __restrict batch_var,
                          U* __restrict saved_mean, U* __restrict saved_var) {
  // saved_var holds the per-channel factor while y is computed.
  for (int64_t c = 0; c < C; ++c)
    saved_var[c] = U(1) / std::sqrt(variance[c] + epsilon) * scale[c];
  batch_norm_apply<Outer, C, Inner, T, U>(x, mean, saved_var, offset, y);
  for (int64_t c = 0; c < C; ++c) {
    batch_mean[c] = mean[c];
    batch_var[c] = variance[c];
    saved_mean[c] = mean[c];
    saved_var[c] = variance[c];
  }
}

// is_training=true: normalizes with the batch statistics over Outer and Inner. saved_mean /
// saved_var get the batch mean and (biased) variance; batch_mean / batch_var the running
// statistics: Bessel-corrected variance, blended with old_mean / old_var when
// exponential_avg_factor != 1 (Blend).
template <int64_t Outer, int64_t C, int64_t Inner, bool Blend, class T, class U>
void batch_norm_training(const T* __restrict x, const U* __restrict scale,
                         const U* __restrict offset, const U* __restrict old_mean,
                         const U* __restrict old_var, U epsilon, U exponential_avg_factor,
                         T* __restrict y, U* __restrict batch_mean, U* __restrict batch_var,
                         U* __restrict saved_mean, U* __restrict saved_var) {
  constexpr int64_t rest = Outer * Inner;
  const U rest_inv = U(1) / U(rest);
  for (int64_t c = 0; c < C; ++c) {
    saved_mean[c] = U(0);
    saved_var[c] = U(0);
  }
  for (int64_t o = 0; o < Outer; ++o)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t i = 0; i < Inner; ++i) saved_mean[c] += U(x[(o * C + c) * Inner + i]);
  for (int64_t c = 0; c < C; ++c) saved_mean[c] *= rest_inv;
  for (int64_t o = 0; o < Outer; ++o)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t i = 0; i < Inner; ++i) {
        const U d = U(x[(o * C + c) * Inner + i]) - saved_mean[c];
        saved_var[c] += d * d;
      }
  for (int64_t c = 0; c < C; ++c) {
    saved_var[c] *= rest_inv;
    batch_var[c] = U(1) / std::sqrt(saved_var[c] + epsilon) * scale[c];  // factor, for now
  }
  batch_norm_apply<Outer, C, Inner, T, U>(x, saved_mean, batch_var, offset, y);
  const U adjust = U(rest) / U(rest > 1 ? rest - 1 : 1);
  for (int64_t c = 0; c < C; ++c) {
    if constexpr (Blend) {
      const U keep = U(1) - exponential_avg_factor;
      batch_mean[c] = keep * old_mean[c] + exponential_avg_factor * saved_mean[c];
      batch_var[c] = keep * old_var[c] + (exponential_avg_factor * adjust) * saved_var[c];
    } else {
      batch_mean[c] = saved_mean[c];
      batch_var[c] = saved_var[c] * adjust;
    }
  }
  (void)old_mean;
  (void)old_var;
  (void)exponential_avg_factor;
}

}  // namespace
}  // namespace tfaot_kernels
