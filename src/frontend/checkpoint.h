// TensorFlow TensorBundle checkpoints (`variables/variables.index` + `.data-NNNNN-of-NNNNN`).
// The index is a LevelDB table (read with libleveldb, block checksums verified) mapping tensor
// keys to BundleEntryProto; the "" key holds the BundleHeaderProto. Every tensor read is
// checked against its masked CRC32C. Entry sizes are bounded by the tensor-bytes limit
// (support/limits.h) before anything is allocated for them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/tensor.h"

namespace tfaot::frontend {

struct BundleEntry {
  DType dtype = DType::Invalid;
  Shape shape;
  int shard_id = 0;
  int64_t offset = 0;
  int64_t size = 0;
  uint32_t crc32c = 0;       // masked, as stored
  bool partitioned = false;  // entry has `slices` (partitioned variable); read() rejects it
};

class CheckpointReader {
 public:
  // `prefix` is the path without suffix, e.g. "model/variables/variables". Reads and checks
  // the whole index (header: endianness little, version). Throws Error naming the file.
  explicit CheckpointReader(const std::filesystem::path& prefix);

  std::vector<std::string> keys() const;  // sorted, without the header key ""
  bool contains(std::string_view key) const;
  // Throws Error naming the key and the index file if absent.
  const BundleEntry& entry(std::string_view key) const;
  // Reads the tensor from its data shard and verifies size and CRC32C; throws Error naming
  // the key and the shard file on any mismatch (missing/truncated shard, bad checksum).
  // DT_STRING tensors are supported (used for the object graph).
  Tensor read(std::string_view key) const;
  int num_shards() const { return num_shards_; }
  const std::filesystem::path& prefix() const { return prefix_; }
  std::filesystem::path index_path() const;
  std::filesystem::path shard_path(int shard_id) const;  // <prefix>.data-%05d-of-%05d

 private:
  std::filesystem::path prefix_;
  int num_shards_ = 0;
  std::map<std::string, BundleEntry, std::less<>> entries_;
};

}  // namespace tfaot::frontend
