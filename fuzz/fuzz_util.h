// Shared pieces of the fuzz targets: a private scratch directory (the parsers read files, so
// each input is written to disk first) and the record container that packs several files
// (e.g. saved_model.pb + variables.index + data shard) into one fuzz input.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace tfaot::fuzz {

// One directory per process, removed at exit; cleared between inputs by the targets.
inline const std::filesystem::path& scratch_dir() {
  struct Dir {
    std::filesystem::path path;
    Dir() {
      path = std::filesystem::temp_directory_path() / ("tfaot-fuzz-" + std::to_string(::getpid()));
      std::filesystem::create_directories(path);
    }
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static Dir dir;
  return dir.path;
}

inline void write_file(const std::filesystem::path& p, std::string_view bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Container: repeated [u32 little-endian length][bytes]. A truncated tail becomes the last
// record, so every byte string is a valid container (mutations never waste an execution).
inline std::vector<std::string_view> split_records(const uint8_t* data, size_t size) {
  std::vector<std::string_view> out;
  const char* p = reinterpret_cast<const char*>(data);
  size_t left = size;
  while (left >= 4) {
    uint32_t n = uint32_t(uint8_t(p[0])) | uint32_t(uint8_t(p[1])) << 8 |
                 uint32_t(uint8_t(p[2])) << 16 | uint32_t(uint8_t(p[3])) << 24;
    p += 4;
    left -= 4;
    if (n > left) n = static_cast<uint32_t>(left);
    out.emplace_back(p, n);
    p += n;
    left -= n;
  }
  return out;
}

inline std::string pack_records(const std::vector<std::string>& records) {
  std::string out;
  for (const auto& r : records) {
    uint32_t n = static_cast<uint32_t>(r.size());
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    out += r;
  }
  return out;
}

}  // namespace tfaot::fuzz
