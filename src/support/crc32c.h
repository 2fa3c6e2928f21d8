// CRC32C (Castagnoli polynomial, reflected 0x82F63B78), as used by TensorFlow's TensorBundle
// data checksums and LevelDB-format tables, plus TensorFlow's "masking" of stored CRCs.
// Hand-written: a slicing-by-8 table implementation, and the SSE4.2 crc32 instruction when the
// CPU has it (checked once at run time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tfaot::crc32c {

// CRC32C of `data` appended to a stream whose CRC so far is `crc` (0 for an empty stream).
uint32_t extend(uint32_t crc, const void* data, size_t n);
inline uint32_t extend(uint32_t crc, std::string_view s) { return extend(crc, s.data(), s.size()); }
inline uint32_t value(const void* data, size_t n) { return extend(0, data, n); }
inline uint32_t value(std::string_view s) { return extend(0, s.data(), s.size()); }

// The portable table version, regardless of CPU support (exposed so tests compare both paths).
uint32_t extend_portable(uint32_t crc, const void* data, size_t n);
// True if extend() uses the SSE4.2 instruction on this machine.
bool hardware_accelerated();

// TensorFlow stores masked CRCs: computing the CRC of a string that contains embedded CRCs
// is otherwise problematic. Mask = rotate right by 15 bits, plus a constant.
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;
constexpr uint32_t mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
constexpr uint32_t unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace tfaot::crc32c
