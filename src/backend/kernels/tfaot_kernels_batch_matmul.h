// Batched matrix products with compile-time element strides, the kernel behind BatchMatMul
// (adjoint flags, broadcast batch dims) and Einsum (any label layout that collapses to
// matrices). For batch entry p:
//   C(m,n) = sum_k A(m,k) * B(k,n),  A(m,k) = a[a_off[p] + m*AM + k*AK],
//   B(k,n) = b[b_off[p] + k*BK + n*BN],  C(m,n) = c[c_off[p] + m*CM + n*CN].
// The loop order is chosen from the strides so the innermost loop runs over contiguous memory
// when some layout allows it. Integer products wrap (two's complement) like TF on CPU.
#pragma once

#include <cstdint>
#include <type_traits>

namespace tfaot_kernels {
namespace {

// Accumulator type: unsigned for integers so that overflow wraps instead of being undefined.
template <class T, bool = std::is_integral_v<T>>
struct bmm_acc { using type = T; };
template <class T>
struct bmm_acc<T, true> { using type = std::make_unsigned_t<T>; };

template <int64_t Batch, int64_t M, int64_t N, int64_t K, int64_t AM, int64_t AK, int64_t BK,
          int64_t BN, int64_t CM, int64_t CN, class T>
void strided_batch_matmul(const T* __restrict a, const T* __restrict b, T* __restrict c,
                          const int64_t* a_off, const int64_t* b_off, const int64_t* c_off) {
  using A = typename bmm_acc<T>::type;
  for (int64_t p = 0; p < Batch; ++p) {
    const T* __restrict ap = a + a_off[p];
    const T* __restrict bp = b + b_off[p];
    T* __restrict cp = c + c_off[p];
    if constexpr (BN == 1 && CN == 1 && !std::is_integral_v<T>) {
      // Rows of C accumulate rows of B: contiguous inner loop over n.
      for (int64_t m = 0; m < M; ++m) {
        T* __restrict cr = cp + m * CM;
        for (int64_t n = 0; n < N; ++n) cr[n] = T(0);
        for (int64_t k = 0; k < K; ++k) {
          const T av = ap[m * AM + k * AK];
          const T* __restrict br = bp + k * BK;
          for (int64_t n = 0; n < N; ++n) cr[n] += av * br[n];
        }
      }
    } else if constexpr (AM == 1 && CM == 1 && !std::is_integral_v<T>) {
      // Columns of C accumulate columns of A: contiguous inner loop over m.
      for (int64_t n = 0; n < N; ++n) {
        T* __restrict cc = cp + n * CN;
        for (int64_t m = 0; m < M; ++m) cc[m] = T(0);
        for (int64_t k = 0; k < K; ++k) {
          const T bv = bp[k * BK + n * BN];
          const T* __restrict ac = ap + k * AK;
          for (int64_t m = 0; m < M; ++m) cc[m] += ac[m] * bv;
        }
      }
    } else if constexpr (AK == 1 && BK == 1 && !std::is_integral_v<T> && K >= 16) {
      // Contiguous dot products: 8 independent partial sums so that the loop vectorizes
      // without reassociating a single accumulator (which the compiler may not do).
      for (int64_t m = 0; m < M; ++m)
        for (int64_t n = 0; n < N; ++n) {
          const T* __restrict ar = ap + m * AM;
          const T* __restrict br = bp + n * BN;
          T part[8] = {};
          int64_t k = 0;
          for (; k + 8 <= K; k += 8)
            for (int64_t u = 0; u < 8; ++u) part[u] += ar[k + u] * br[k + u];
          T acc = ((part[0] + part[1]) + (part[2] + part[3])) +
                  ((part[4] + part[5]) + (part[6] + part[7]));
          for (; k < K; ++k) acc += ar[k] * br[k];
          cp[m * CM + n * CN] = acc;
        }
    } else {
      // Short or strided dot products, and integers.
      for (int64_t m = 0; m < M; ++m)
        for (int64_t n = 0; n < N; ++n) {
          A acc = A(0);
          for (int64_t k = 0; k < K; ++k)
            acc += A(ap[m * AM + k * AK]) * A(bp[k * BK + n * BN]);
          cp[m * CM + n * CN] = T(acc);
        }
    }
  }
}

}  // namespace
}  // namespace tfaot_kernels
