// Fuzz target: the TensorBundle reader (LevelDB-table index, header, entries, data shard
// with CRC32C). Input = records [variables.index, variables.data-00000-of-00001]; every key
// the index lists is read.
#include <filesystem>

#include "frontend/checkpoint.h"
#include "fuzz_util.h"
#include "support/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  auto records = tfaot::fuzz::split_records(data, size);
  if (records.empty()) return 0;
  const fs::path dir = tfaot::fuzz::scratch_dir() / "ckpt";
  fs::remove_all(dir);
  tfaot::fuzz::write_file(dir / "variables.index", records[0]);
  if (records.size() > 1) tfaot::fuzz::write_file(dir / "variables.data-00000-of-00001", records[1]);
  try {
    tfaot::frontend::CheckpointReader reader(dir / "variables");
    for (const auto& key : reader.keys()) {
      try {
        reader.read(key);
      } catch (const tfaot::Error&) {
      }
    }
  } catch (const tfaot::Error&) {
  }
  return 0;
}
