// Matrix multiplication C[M,N] = op(A) * op(B) with compile-time dims, row-major operands.
// A is [M,K] (or [K,M] if TA), B is [K,N] (or [N,K] if TB). Accumulates in T; the loop order
// keeps the innermost loop contiguous so the compiler vectorizes it.
#pragma once

#include <cstdint>

namespace tfaot_kernels {
namespace {

template <int64_t M, int64_t N, int64_t K, bool TA, bool TB, class T>
void matmul(const T* __restrict a, const T* __restrict b, T* __restrict c) {
  if constexpr (!TB) {
    // c[i,:] += a[i,k] * b[k,:]: inner loop over contiguous rows of b and c.
    for (int64_t i = 0; i < M; ++i) {
      T* ci = c + i * N;
      for (int64_t j = 0; j < N; ++j) ci[j] = T(0);
      for (int64_t k = 0; k < K; ++k) {
        const T aik = TA ? a[k * M + i] : a[i * K + k];
        const T* bk = b + k * N;
        for (int64_t j = 0; j < N; ++j) ci[j] += aik * bk[j];
      }
    }
  } else if constexpr (!TA) {
    // b is [N,K]: each output is a dot product of two contiguous rows.
    for (int64_t i = 0; i < M; ++i) {
      const T* ai = a + i * K;
      for (int64_t j = 0; j < N; ++j) {
        const T* bj = b + j * K;
        T acc = T(0);
        for (int64_t k = 0; k < K; ++k) acc += ai[k] * bj[k];
        c[i * N + j] = acc;
      }
    }
  } else {
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        T acc = T(0);
        for (int64_t k = 0; k < K; ++k) acc += a[k * M + i] * b[j * K + k];
        c[i * N + j] = acc;
      }
  }
}

}  // namespace
}  // namespace tfaot_kernels
