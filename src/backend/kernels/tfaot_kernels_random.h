// Counter-based uniform random numbers for RandomUniform: element i of a node with key k is
// a hash of (k, i), so runs are deterministic and reentrant (no state). This is not
// TensorFlow's Philox stream; models only use it for dropout masks that inference disables.
#pragma once

#include <cstdint>

namespace tfaot_kernels {
namespace {

inline uint64_t mix64(uint64_t x) {
  // splitmix64 finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [0, 1): the top 24 (float) or 53 (double) bits of the hash.
template <class T>
T uniform01(uint64_t key, uint64_t i) {
  const uint64_t h = mix64(key ^ mix64(i));
  if constexpr (sizeof(T) == 4) return T(h >> 40) * T(1.0 / 16777216.0);
  else return T(h >> 11) * T(1.0 / 9007199254740992.0);
}

template <int64_t N, class T>
void random_uniform(uint64_t key, T* out) {
  for (int64_t i = 0; i < N; ++i) out[i] = uniform01<T>(key, uint64_t(i));
}

}  // namespace
}  // namespace tfaot_kernels
