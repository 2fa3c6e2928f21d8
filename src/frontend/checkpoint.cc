#include "frontend/checkpoint.h"

#include <fmt/format.h>
#include <leveldb/env.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>

#include "frontend/table_layout.h"
#include "support/crc32c.h"
#include "support/file.h"
#include "support/limits.h"
#include "tensor_bundle.pb.h"

namespace tfaot::frontend {
namespace {

// TensorBundle format version this reader implements (TF's kTensorBundleVersion).
constexpr int kBundleVersion = 1;

// The index is read into memory once (it is small) and served to leveldb from there, so a
// truncated or lying file can only produce short reads, which leveldb reports as corruption.
class MemoryFile final : public leveldb::RandomAccessFile {
 public:
  explicit MemoryFile(std::string data) : data_(std::move(data)) {}
  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result,
                       char* /*scratch*/) const override {
    if (offset > data_.size()) {
      *result = leveldb::Slice();
      return leveldb::Status::IOError("read past the end of the index file");
    }
    n = std::min<uint64_t>(n, data_.size() - offset);
    *result = leveldb::Slice(data_.data() + offset, n);
    return leveldb::Status::OK();
  }
  size_t size() const { return data_.size(); }

 private:
  std::string data_;
};

std::string read_whole_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail("missing {} {}", what, path.string());
  // The index holds one entry per tensor, not the data: 2 GiB is far beyond any real one.
  return read_regular_file(path, what, static_cast<uint64_t>(INT32_MAX));
}

void check_header(const std::string& value, const std::string& file, int* num_shards) {
  tensorflow::BundleHeaderProto header;
  if (!header.ParseFromString(value))
    fail("{}: header entry is not a valid BundleHeaderProto", file);
  if (header.endianness() != tensorflow::BundleHeaderProto::LITTLE)
    fail("{}: checkpoint was written big-endian; only little-endian bundles are supported", file);
  if (header.num_shards() < 1) fail("{}: header claims {} data shards", file, header.num_shards());
  const auto& v = header.version();
  if (v.min_consumer() > kBundleVersion)
    fail("{}: bundle format needs a reader of version >= {} (this reader is version {})", file,
         v.min_consumer(), kBundleVersion);
  for (int bad : v.bad_consumers())
    if (bad == kBundleVersion) fail("{}: bundle format version {} is marked bad", file, bad);
  *num_shards = header.num_shards();
}

BundleEntry parse_entry(const std::string& key, const std::string& value, const std::string& file,
                        int num_shards) {
  tensorflow::BundleEntryProto proto;
  if (!proto.ParseFromString(value))
    fail("{}: entry for tensor '{}' is not a valid BundleEntryProto", file, key);
  BundleEntry e;
  e.dtype = dtype_from_tf(static_cast<int>(proto.dtype()));
  if (proto.shape().unknown_rank()) fail("{}: tensor '{}' has an unknown rank", file, key);
  for (const auto& d : proto.shape().dim()) {
    if (d.size() < 0) fail("{}: tensor '{}' has negative dimension {}", file, key, d.size());
    e.shape.push_back(d.size());
  }
  try {
    num_elements(e.shape);  // later code relies on the element count not overflowing
  } catch (const Error&) {
    fail("{}: tensor '{}' has shape {} with too many elements", file, key, shape_str(e.shape));
  }
  e.shard_id = proto.shard_id();
  e.offset = proto.offset();
  e.size = proto.size();
  e.crc32c = proto.crc32c();
  e.partitioned = proto.slices_size() > 0;
  if (e.partitioned) return e;  // shard/offset are meaningless for the full-tensor entry
  if (e.shard_id < 0 || e.shard_id >= num_shards)
    fail("{}: tensor '{}' is in shard {} but the header declares {} shards", file, key,
         e.shard_id, num_shards);
  if (e.offset < 0 || e.size < 0)
    fail("{}: tensor '{}' has negative offset {} or size {}", file, key, e.offset, e.size);
  check_limit(Limit::TensorBytes, e.size, fmt::format("{}: tensor '{}'", file, key));
  if (e.offset > std::numeric_limits<int64_t>::max() - e.size)
    fail("{}: tensor '{}' offset {} + size {} overflows", file, key, e.offset, e.size);
  return e;
}

// Reads bytes [offset, offset+size) of a data shard into `dst`, after checking the shard
// exists and is long enough (so nothing is allocated for a region the file does not have).
class ShardFile {
 public:
  ShardFile(const std::filesystem::path& path, const std::string& key, const BundleEntry& e)
      : name_(path.string()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      fail("missing data shard {} (needed for tensor '{}')", name_, key);
    // A shard is variables/NAME inside the model directory; a symlink to a file elsewhere (say
    // /etc/shadow) is refused rather than read.
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
      const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(path).parent_path().parent_path(), ec);
      const auto target = std::filesystem::canonical(path, ec);
      const auto rel = target.lexically_relative(root);
      if (ec || rel.empty() || *rel.begin() == "..")
        fail("data shard {} is a symbolic link to a file outside the model directory; refusing to read it", name_);
    }
    auto file_size = std::filesystem::file_size(path, ec);
    if (ec) fail("cannot stat data shard {}: {}", name_, ec.message());
    if (static_cast<uint64_t>(e.offset) + static_cast<uint64_t>(e.size) > file_size)
      fail("data shard {} is truncated: tensor '{}' needs bytes [{}, {}) but the file has {}",
           name_, key, e.offset, e.offset + e.size, file_size);
    in_.open(path, std::ios::binary);
    if (!in_) fail("cannot open data shard {}", name_);
    in_.seekg(e.offset);
  }
  void read(void* dst, int64_t n, const std::string& key) {
    if (n == 0) return;
    in_.read(static_cast<char*>(dst), n);
    if (!in_ || in_.gcount() != n) fail("short read of tensor '{}' from {}", key, name_);
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::ifstream in_;
};

void check_crc(uint32_t computed, uint32_t stored_masked, const std::string& key,
               const std::string& file, std::string_view part = "") {
  uint32_t stored = crc32c::unmask(stored_masked);
  if (computed != stored)
    // No CRC values in the message: the computed one is a function of the file's bytes, and a
    // shard can be a link to any file the user can read (issue 18).
    fail("CRC32C mismatch for tensor '{}' in {}{}: the data does not match the checkpoint's index", key, file,
         part);
}

template <typename T>
uint32_t extend_le(uint32_t crc, T v) {
  static_assert(std::endian::native == std::endian::little, "little-endian hosts only");
  return crc32c::extend(crc, &v, sizeof(v));
}

// DT_STRING layout (TF WriteStringTensor): varint64 length of every element, the masked
// CRC32C of the lengths (each hashed as a little-endian uint32, or uint64 if it does not fit
// 32 bits, NOT as varint bytes), then all string bytes. The entry CRC covers those lengths,
// the 4 raw length-checksum bytes, and the string bytes.
Tensor read_string_tensor(const std::string& key, const BundleEntry& e, ShardFile& shard) {
  const int64_t n = num_elements(e.shape);
  if (e.size == 0 && n == 0) {  // TF reads nothing for size 0 and checks the CRC of nothing
    check_crc(0, e.crc32c, key, shard.name());
    return Tensor(DType::String, e.shape);
  }
  // Each element needs at least one varint byte, plus the 4-byte length checksum. Checked
  // before allocating `n` strings, so a lying shape cannot make us allocate without bound.
  if (e.size < 4 || n > e.size - 4)
    fail("size mismatch for tensor '{}' in {}: {} string elements cannot fit in {} bytes", key,
         shard.name(), n, e.size);
  Tensor t(DType::String, e.shape);
  std::string buf(static_cast<size_t>(e.size), '\0');
  shard.read(buf.data(), e.size, key);

  size_t pos = 0;
  uint32_t crc = 0;
  std::vector<uint64_t> lengths(static_cast<size_t>(n));
  for (auto& len : lengths) {
    if (!get_varint64(buf, &pos, &len))
      fail("tensor '{}' in {}: corrupt string length", key, shard.name());
    crc = len <= std::numeric_limits<uint32_t>::max() ? extend_le(crc, static_cast<uint32_t>(len))
                                                      : extend_le(crc, len);
  }
  if (buf.size() - pos < 4)
    fail("tensor '{}' in {}: string lengths run past the entry size {}", key, shard.name(),
         e.size);
  uint32_t length_crc;
  std::memcpy(&length_crc, buf.data() + pos, 4);
  check_crc(crc, length_crc, key, shard.name(), " (string lengths)");
  crc = crc32c::extend(crc, buf.data() + pos, 4);
  pos += 4;
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] > buf.size() - pos)
      fail("tensor '{}' in {}: string element {} runs past the entry size {}", key, shard.name(),
           i, e.size);
    t.strings()[i].assign(buf.data() + pos, lengths[i]);
    crc = crc32c::extend(crc, buf.data() + pos, lengths[i]);
    pos += lengths[i];
  }
  check_crc(crc, e.crc32c, key, shard.name());
  if (pos != buf.size())
    fail("size mismatch for tensor '{}' in {}: entry size {} but the strings end at {}", key,
         shard.name(), e.size, pos);
  return t;
}

Tensor read_numeric_tensor(const std::string& key, const BundleEntry& e, ShardFile& shard) {
  const size_t es = dtype_size(e.dtype);
  const int64_t n = num_elements(e.shape);
  if (checked_bytes(e.shape, es) != e.size)
    fail("size mismatch for tensor '{}' in {}: entry size is {} bytes but {} {} needs {} x {}",
         key, shard.name(), e.size, dtype_name(e.dtype), shape_str(e.shape), n, es);
  Tensor t(e.dtype, e.shape);
  shard.read(t.raw(), e.size, key);
  check_crc(crc32c::value(t.raw(), t.byte_size()), e.crc32c, key, shard.name());
  // A bool byte other than 0/1 is undefined behaviour when read as bool; TF treats it as true.
  if (e.dtype == DType::Bool)
    for (size_t i = 0; i < t.byte_size(); ++i) t.raw()[i] = t.raw()[i] != 0;
  return t;
}

}  // namespace

CheckpointReader::CheckpointReader(const std::filesystem::path& prefix) : prefix_(prefix) {
  const std::string file = index_path().string();
  std::string bytes = read_whole_file(index_path(), "checkpoint index");
  // What leveldb would trust (block handles, sizes) is checked first: see table_layout.h.
  check_table_layout(bytes, file);
  MemoryFile index(std::move(bytes));

  leveldb::Options options;
  options.paranoid_checks = true;  // makes Table::Open verify the index/meta block checksums
  leveldb::Table* raw_table = nullptr;
  leveldb::Status s = leveldb::Table::Open(options, &index, index.size(), &raw_table);
  if (!s.ok()) fail("{}: not a valid TensorBundle index (LevelDB table): {}", file, s.ToString());
  std::unique_ptr<leveldb::Table> table(raw_table);

  leveldb::ReadOptions read_options;
  read_options.verify_checksums = true;
  read_options.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(read_options));
  it->SeekToFirst();
  // TF writes the header under "" so that it sorts first.
  if (!it->Valid() || !it->key().empty()) {
    if (!it->status().ok())
      fail("{}: corrupt TensorBundle index: {}", file, it->status().ToString());
    fail("{}: missing the TensorBundle header entry (key \"\")", file);
  }
  check_header(it->value().ToString(), file, &num_shards_);
  for (it->Next(); it->Valid(); it->Next()) {
    std::string key = it->key().ToString();
    BundleEntry e = parse_entry(key, it->value().ToString(), file, num_shards_);
    if (!entries_.emplace(key, std::move(e)).second)
      fail("{}: duplicate tensor key '{}'", file, key);
  }
  if (!it->status().ok())
    fail("{}: corrupt TensorBundle index: {}", file, it->status().ToString());
}

std::filesystem::path CheckpointReader::index_path() const {
  return std::filesystem::path(prefix_.string() + ".index");
}

std::filesystem::path CheckpointReader::shard_path(int shard_id) const {
  return std::filesystem::path(
      fmt::format("{}.data-{:05d}-of-{:05d}", prefix_.string(), shard_id, num_shards_));
}

std::vector<std::string> CheckpointReader::keys() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [k, _] : entries_) out.push_back(k);
  return out;
}

bool CheckpointReader::contains(std::string_view key) const {
  return entries_.find(key) != entries_.end();
}

const BundleEntry& CheckpointReader::entry(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end())
    fail("unknown tensor key '{}' in checkpoint index {}", key, index_path().string());
  return it->second;
}

Tensor CheckpointReader::read(std::string_view key_view) const {
  const BundleEntry& e = entry(key_view);
  const std::string key(key_view);
  if (e.partitioned)
    fail("tensor '{}' in {} is sliced: partitioned variables are not supported", key,
         index_path().string());
  const bool is_string = e.dtype == DType::String;
  if (!is_string && dtype_size(e.dtype) == 0)
    fail("tensor '{}' in {} has unsupported dtype (TF DataType {})", key, index_path().string(),
         static_cast<int>(e.dtype));
  ShardFile shard(shard_path(e.shard_id), key, e);
  return is_string ? read_string_tensor(key, e, shard) : read_numeric_tensor(key, e, shard);
}

}  // namespace tfaot::frontend
