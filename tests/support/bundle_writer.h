// Writes TensorFlow TensorBundle checkpoints (the `variables/variables.*` files of a
// SavedModel) for tests, in the same layout TensorFlow's BundleWriter produces:
//   <prefix>.index                    LevelDB table: "" -> BundleHeaderProto, key -> BundleEntryProto
//   <prefix>.data-00000-of-0000N ...  tensor bytes (numeric: raw little-endian; DT_STRING: TF's
//                                     varint-lengths + masked-CRC + bytes layout), masked CRC32C
//                                     of each tensor stored in its entry.
// Example (a SavedModel fixture):
//   write_bundle(dir / "variables" / "variables",
//                {{"layer/kernel/.ATTRIBUTES/VARIABLE_VALUE", Tensor::from_vector<float>({2}, {1, 2})}});
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/tensor.h"

namespace tfaot::test {

// Keys must be unique and non-empty (any order; the index is sorted here). Tensor i goes to
// shard i % num_shards. Creates the parent directory. Throws tfaot::Error on failure.
void write_bundle(const std::filesystem::path& prefix,
                  const std::vector<std::pair<std::string, Tensor>>& tensors, int num_shards = 1);

// Low level, for hand-made (e.g. deliberately wrong) indexes: writes a LevelDB table file
// holding these (key, value) pairs, sorted here, uncompressed like TensorFlow writes it.
void write_table(const std::filesystem::path& file,
                 std::vector<std::pair<std::string, std::string>> entries);

// The bytes write_bundle stores in the data shard for `t`, and their masked CRC32C (the value
// of BundleEntryProto.crc32c).
std::string bundle_tensor_bytes(const Tensor& t, uint32_t* masked_crc);

}  // namespace tfaot::test
