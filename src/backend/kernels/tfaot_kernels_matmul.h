// Matrix multiplication C[M,N] = op(A) * op(B) with compile-time dims, row-major operands.
// A is [M,K] (or [K,M] if TA), B is [K,N] (or [N,K] if TB). Accumulates in T; the loop order
// keeps the innermost loop contiguous so the compiler vectorizes it. Integer products wrap
// (computed in the unsigned type) instead of overflowing.
#pragma once

#include <cstdint>
#include <type_traits>

namespace tfaot_kernels {
namespace {

template <class T, bool = std::is_integral_v<T>>
struct matmul_acc { using type = T; };
template <class T>
struct matmul_acc<T, true> { using type = std::make_unsigned_t<T>; };

template <int64_t M, int64_t N, int64_t K, bool TA, bool TB, class T>
void matmul(const T* __restrict a_in, const T* __restrict b_in, T* __restrict c_out) {
  using U = typename matmul_acc<T>::type;
  const U* __restrict a = reinterpret_cast<const U*>(a_in);
  const U* __restrict b = reinterpret_cast<const U*>(b_in);
  U* __restrict c = reinterpret_cast<U*>(c_out);
  if constexpr (!TB) {
    // c[i,:] += a[i,k] * b[k,:]: inner loop over contiguous rows of b and c.
    for (int64_t i = 0; i < M; ++i) {
      U* ci = c + i * N;
      for (int64_t j = 0; j < N; ++j) ci[j] = U(0);
      for (int64_t k = 0; k < K; ++k) {
        const U aik = TA ? a[k * M + i] : a[i * K + k];
        const U* bk = b + k * N;
        for (int64_t j = 0; j < N; ++j) ci[j] += aik * bk[j];
      }
    }
  } else if constexpr (!TA) {
    // b is [N,K]: each output is a dot product of two contiguous rows.
    for (int64_t i = 0; i < M; ++i) {
      const U* ai = a + i * K;
      for (int64_t j = 0; j < N; ++j) {
        const U* bj = b + j * K;
        U acc = U(0);
        for (int64_t k = 0; k < K; ++k) acc += ai[k] * bj[k];
        c[i * N + j] = acc;
      }
    }
  } else {
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        U acc = U(0);
        for (int64_t k = 0; k < K; ++k) acc += a[k * M + i] * b[j * K + k];
        c[i * N + j] = acc;
      }
  }
}

}  // namespace
}  // namespace tfaot_kernels
