// String elements and lookup tables. A string tensor is an array of tfaot::StringRef views
// (the generated code's ABI, also defined by NAME_bsN.h and the runtime's Arrays.h under the
// same guard); the bytes belong to the caller (inputs) or to read-only data (constants).
// Tables are sorted at compile time and searched by bisection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#ifndef TFAOT_STRING_REF_DEFINED
#define TFAOT_STRING_REF_DEFINED
namespace tfaot {
// One element of a string tensor: `size` bytes at `data` (no terminator; data may be null
// when size is 0).
struct StringRef {
  const char* data;
  std::size_t size;
};
}  // namespace tfaot
#endif

namespace tfaot {
// For the generic Equal/NotEqual functors. Internal linkage like every kernel helper.
static inline bool operator==(const StringRef& a, const StringRef& b) {
  return a.size == b.size && (a.size == 0 || std::memcmp(a.data, b.data, a.size) == 0);
}
static inline bool operator!=(const StringRef& a, const StringRef& b) { return !(a == b); }
}  // namespace tfaot

namespace tfaot_kernels {
namespace {

// Bytewise lexicographic order (std::string's order): <0, 0, >0.
inline int compare_bytes(const char* a, std::size_t an, const char* b, std::size_t bn) {
  const std::size_t n = an < bn ? an : bn;
  const int c = n ? std::memcmp(a, b, n) : 0;
  if (c != 0) return c;
  return an < bn ? -1 : (an > bn ? 1 : 0);
}

// Index of `key` among the TableSize sorted keys (key k = bytes[offsets[k], offsets[k+1])),
// or -1.
template <std::size_t TableSize>
inline std::int64_t table_index(const tfaot::StringRef& key, const std::int64_t* offsets,
                                const char* bytes) {
  std::size_t lo = 0, hi = TableSize;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const std::int64_t begin = offsets[mid];
    const int c = compare_bytes(bytes + begin, static_cast<std::size_t>(offsets[mid + 1] - begin),
                                key.data, key.size);
    if (c == 0) return static_cast<std::int64_t>(mid);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

// Same for numeric keys (sorted ascending).
template <std::size_t TableSize, typename K>
inline std::int64_t table_index(const K& key, const K* sorted) {
  std::size_t lo = 0, hi = TableSize;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (sorted[mid] == key) return static_cast<std::int64_t>(mid);
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

// out[i] = values[index of keys[i]], or *dflt when absent.
template <std::size_t N, std::size_t TableSize, typename V>
void table_find(const tfaot::StringRef* keys, const std::int64_t* offsets, const char* bytes,
                const V* values, const V* dflt, V* out) {
  for (std::size_t i = 0; i < N; ++i) {
    const std::int64_t k = table_index<TableSize>(keys[i], offsets, bytes);
    out[i] = k >= 0 ? values[k] : *dflt;
  }
}

template <std::size_t N, std::size_t TableSize, typename K, typename V>
void table_find(const K* keys, const K* sorted, const V* values, const V* dflt, V* out) {
  for (std::size_t i = 0; i < N; ++i) {
    const std::int64_t k = table_index<TableSize>(keys[i], sorted);
    out[i] = k >= 0 ? values[k] : *dflt;
  }
}

}  // namespace
}  // namespace tfaot_kernels
