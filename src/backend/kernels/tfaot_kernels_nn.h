// Row-wise kernels of the neural-network ops: softmax over the last axis.
#pragma once

#include <cmath>
#include <cstdint>

namespace tfaot_kernels {
namespace {

// Softmax over each of Rows contiguous rows of Cols elements; subtracts the row max first so
// exp never overflows. Log selects LogSoftmax.
template <int64_t Rows, int64_t Cols, bool Log, class T>
void softmax(const T* in, T* out) {
  for (int64_t r = 0; r < Rows; ++r) {
    const T* x = in + r * Cols;
    T* y = out + r * Cols;
    T m = x[0];
    for (int64_t j = 1; j < Cols; ++j) m = x[j] > m ? x[j] : m;
    T sum = T(0);
    if constexpr (Log) {
      for (int64_t j = 0; j < Cols; ++j) sum += std::exp(x[j] - m);
      const T lse = std::log(sum);
      for (int64_t j = 0; j < Cols; ++j) y[j] = x[j] - m - lse;
    } else {
      for (int64_t j = 0; j < Cols; ++j) {
        y[j] = std::exp(x[j] - m);
        sum += y[j];
      }
      const T inv = T(1) / sum;
      for (int64_t j = 0; j < Cols; ++j) y[j] *= inv;
    }
  }
}

}  // namespace
}  // namespace tfaot_kernels

namespace tfaot_kernels {
namespace {

// TopK along the last axis of Rows rows of N elements: the K largest values in descending
// order; ties keep the lower index first (a stable insertion into the running top K).
template <int64_t Rows, int64_t N, int64_t K, class T>
void top_k(const T* in, T* values, int32_t* indices) {
  for (int64_t r = 0; r < Rows; ++r) {
    const T* x = in + r * N;
    T* v = values + r * K;
    int32_t* ix = indices + r * K;
    int64_t filled = 0;
    for (int64_t j = 0; j < N; ++j) {
      const T xj = x[j];
      if (filled == K && !(xj > v[K - 1])) continue;
      int64_t p = filled < K ? filled++ : K - 1;
      while (p > 0 && xj > v[p - 1]) {
        v[p] = v[p - 1];
        ix[p] = ix[p - 1];
        --p;
      }
      v[p] = xj;
      ix[p] = int32_t(j);
    }
  }
}

}  // namespace
}  // namespace tfaot_kernels
