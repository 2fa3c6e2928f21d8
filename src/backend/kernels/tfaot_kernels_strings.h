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

// Keras TextVectorization (ops/text_vectorize.cc) for N strings -> [N, L] ids: byte b becomes
// map_bytes[map_offsets[b], map_offsets[b+1]) (the standardization), ASCII whitespace runs
// separate tokens, token j < L gets values[index] of its key in the sorted table (TableSize
// keys, at most MaxKey bytes long) or *dflt; the rest of the row is *pad. A token longer than
// MaxKey cannot be a key, so only MaxKey bytes of it are kept.
template <std::size_t N, std::size_t L, std::size_t TableSize, std::size_t MaxKey, typename V>
void text_vectorize(const tfaot::StringRef* in, const std::int32_t* map_offsets, const char* map_bytes,
                    const std::int64_t* offsets, const char* bytes, const V* values, const V* dflt,
                    const V* pad, V* out) {
  char token[MaxKey + 1];
  for (std::size_t i = 0; i < N; ++i) {
    V* row = out + i * L;
    std::size_t count = 0, len = 0;
    bool in_token = false, too_long = false;
    auto finish = [&] {
      if (!in_token) return;
      const std::int64_t k = too_long ? -1 : table_index<TableSize>(tfaot::StringRef{token, len}, offsets, bytes);
      row[count++] = k >= 0 ? values[k] : *dflt;
      in_token = too_long = false;
      len = 0;
    };
    const unsigned char* s = reinterpret_cast<const unsigned char*>(in[i].data);
    for (std::size_t b = 0; b < in[i].size && count < L; ++b) {
      for (std::int32_t m = map_offsets[s[b]]; m < map_offsets[s[b] + 1] && count < L; ++m) {
        const char c = map_bytes[m];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
          finish();
        } else {
          in_token = true;
          if (len < MaxKey) token[len++] = c;
          else too_long = true;
        }
      }
    }
    if (count < L) finish();
    for (; count < L; ++count) row[count] = *pad;
  }
}

}  // namespace
}  // namespace tfaot_kernels
