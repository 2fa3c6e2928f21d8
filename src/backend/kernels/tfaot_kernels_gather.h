// Index-driven kernels: Gather along one axis and OneHot. Indices come from the model's data,
// so they are checked: an out-of-range index yields zeros (Gather) or an all-off row (OneHot)
// instead of reading out of bounds (TensorFlow reports an error there).
#pragma once

#include <cstdint>

namespace tfaot_kernels {
namespace {

// params viewed as [Outer, Dim, Inner]; out as [Outer, N, Inner] with out[o, n, :] =
// params[o, indices[n], :].
template <int64_t Outer, int64_t N, int64_t Dim, int64_t Inner, class T, class I>
void gather(const T* params, const I* indices, T* out) {
  for (int64_t o = 0; o < Outer; ++o)
    for (int64_t n = 0; n < N; ++n) {
      const int64_t idx = static_cast<int64_t>(indices[n]);
      T* dst = out + (o * N + n) * Inner;
      if (idx < 0 || idx >= Dim) {
        for (int64_t i = 0; i < Inner; ++i) dst[i] = T(0);
      } else {
        const T* src = params + (o * Dim + idx) * Inner;
        for (int64_t i = 0; i < Inner; ++i) dst[i] = src[i];
      }
    }
}

// indices viewed as [Outer, Inner]; out as [Outer, Depth, Inner].
template <int64_t Outer, int64_t Depth, int64_t Inner, class T, class I>
void one_hot(const I* indices, const T* on, const T* off, T* out) {
  const T on_v = *on, off_v = *off;
  for (int64_t o = 0; o < Outer; ++o)
    for (int64_t d = 0; d < Depth; ++d)
      for (int64_t i = 0; i < Inner; ++i)
        out[(o * Depth + d) * Inner + i] =
            static_cast<int64_t>(indices[o * Inner + i]) == d ? on_v : off_v;
}

}  // namespace
}  // namespace tfaot_kernels
