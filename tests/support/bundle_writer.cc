#include "bundle_writer.h"

#include <leveldb/env.h>
#include <leveldb/options.h>
#include <leveldb/table_builder.h>

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <memory>

#include "support/crc32c.h"
#include "tensor_bundle.pb.h"

namespace tfaot::test {
namespace {

void put_varint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

template <typename T>
uint32_t extend_le(uint32_t crc, T v) {  // host is little-endian (the reader insists too)
  return crc32c::extend(crc, &v, sizeof(v));
}

}  // namespace

std::string bundle_tensor_bytes(const Tensor& t, uint32_t* masked_crc) {
  if (t.dtype() != DType::String) {
    if (dtype_size(t.dtype()) == 0) fail("write_bundle: cannot store dtype {}", dtype_name(t.dtype()));
    std::string bytes(reinterpret_cast<const char*>(t.raw()), t.byte_size());
    *masked_crc = crc32c::mask(crc32c::value(bytes));
    return bytes;
  }
  // TF WriteStringTensor: the CRC hashes each length as uint32 (uint64 if larger), then the
  // masked length checksum as written, then the string bytes.
  std::string out;
  uint32_t crc = 0;
  for (const std::string& s : t.strings()) {
    put_varint64(&out, s.size());
    crc = s.size() <= std::numeric_limits<uint32_t>::max()
              ? extend_le(crc, static_cast<uint32_t>(s.size()))
              : extend_le(crc, static_cast<uint64_t>(s.size()));
  }
  const uint32_t length_checksum = crc32c::mask(crc);
  out.append(reinterpret_cast<const char*>(&length_checksum), 4);
  crc = extend_le(crc, length_checksum);
  for (const std::string& s : t.strings()) {
    out += s;
    crc = crc32c::extend(crc, s);
  }
  *masked_crc = crc32c::mask(crc);
  return out;
}

void write_table(const std::filesystem::path& file,
                 std::vector<std::pair<std::string, std::string>> entries) {
  // LevelDB's TableBuilder needs strictly increasing keys (bytewise).
  std::sort(entries.begin(), entries.end());
  for (size_t i = 1; i < entries.size(); ++i)
    if (entries[i].first == entries[i - 1].first)
      fail("write_table {}: duplicate key '{}'", file.string(), entries[i].first);

  leveldb::WritableFile* raw = nullptr;
  leveldb::Status s = leveldb::Env::Default()->NewWritableFile(file.string(), &raw);
  if (!s.ok()) fail("write_table {}: {}", file.string(), s.ToString());
  std::unique_ptr<leveldb::WritableFile> out(raw);
  leveldb::Options options;
  options.compression = leveldb::kNoCompression;  // as TensorFlow writes bundle indexes
  leveldb::TableBuilder builder(options, out.get());
  for (const auto& [k, v] : entries) builder.Add(k, v);
  s = builder.Finish();
  if (s.ok()) s = out->Sync();
  if (s.ok()) s = out->Close();
  if (!s.ok()) fail("write_table {}: {}", file.string(), s.ToString());
}

void write_bundle(const std::filesystem::path& prefix,
                  const std::vector<std::pair<std::string, Tensor>>& tensors, int num_shards) {
  if (num_shards < 1) fail("write_bundle: num_shards must be >= 1, got {}", num_shards);
  if (prefix.has_parent_path()) std::filesystem::create_directories(prefix.parent_path());

  std::vector<std::string> shards(static_cast<size_t>(num_shards));
  std::vector<std::pair<std::string, std::string>> index;

  tensorflow::BundleHeaderProto header;
  header.set_num_shards(num_shards);
  header.set_endianness(tensorflow::BundleHeaderProto::LITTLE);
  header.mutable_version()->set_producer(1);  // TF's kTensorBundleVersion
  index.emplace_back("", header.SerializeAsString());

  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& [key, t] = tensors[i];
    if (key.empty()) fail("write_bundle: empty tensor key (reserved for the header)");
    const int shard = static_cast<int>(i % static_cast<size_t>(num_shards));
    tensorflow::BundleEntryProto e;
    e.set_dtype(static_cast<tensorflow::DataType>(t.dtype()));
    for (int64_t d : t.shape()) e.mutable_shape()->add_dim()->set_size(d);
    uint32_t crc = 0;
    std::string bytes = bundle_tensor_bytes(t, &crc);
    e.set_shard_id(shard);
    e.set_offset(static_cast<int64_t>(shards[shard].size()));
    e.set_size(static_cast<int64_t>(bytes.size()));
    e.set_crc32c(crc);
    shards[shard] += bytes;
    index.emplace_back(key, e.SerializeAsString());
  }

  for (int i = 0; i < num_shards; ++i) {
    auto path = fmt::format("{}.data-{:05d}-of-{:05d}", prefix.string(), i, num_shards);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(shards[i].data(), static_cast<std::streamsize>(shards[i].size()));
    if (!out) fail("write_bundle: cannot write {}", path);
  }
  write_table(prefix.string() + ".index", std::move(index));
}

}  // namespace tfaot::test
