#include "frontend/checkpoint.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <random>

#include "bundle_writer.h"
#include "support/crc32c.h"
#include "tensor_bundle.pb.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

namespace fs = std::filesystem;
using tfaot::test::TempDir;
using tfaot::test::write_bundle;
using tfaot::test::write_table;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void spit(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

// Runs `fn`, expects a tfaot::Error whose message contains every one of `needles`.
template <typename Fn>
void expect_error(Fn&& fn, std::initializer_list<std::string> needles) {
  try {
    fn();
    ADD_FAILURE() << "expected a tfaot::Error";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& n : needles) EXPECT_NE(msg.find(n), std::string::npos) << msg << "\n  lacks: " << n;
  }
}

// float16 has no C++ element type here; its bytes must still round-trip untouched.
Tensor half_tensor() {
  Tensor t(DType::Half, {3});
  const uint8_t bits[6] = {0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b};  // 1, -2, 65504
  std::memcpy(t.raw(), bits, sizeof(bits));
  return t;
}

std::vector<std::pair<std::string, Tensor>> sample_tensors() {
  Tensor strings(DType::String, {2, 2});
  strings.strings() = {"hello", "", std::string("nul\0byte", 8), std::string(300, 'x')};
  return {
      {"dense/kernel/.ATTRIBUTES/VARIABLE_VALUE",
       Tensor::from_vector<float>({2, 3}, {1.5f, -2.f, 3.25f, 0.f, -0.f, 1e-30f})},
      {"dense/bias/.ATTRIBUTES/VARIABLE_VALUE", Tensor::from_vector<double>({2}, {3.14, -1e300})},
      {"step", Tensor::scalar<int64_t>(int64_t{1} << 40)},
      {"counts", Tensor::from_vector<int32_t>({3}, {-7, 0, 2147483647})},
      {"mask", Tensor::from_vector<bool>({4}, {true, false, false, true})},
      {"bytes", Tensor::from_vector<uint8_t>({3}, {0, 128, 255})},
      {"empty", Tensor(DType::Float, {0, 4})},
      {"_CHECKPOINTABLE_OBJECT_GRAPH", Tensor::scalar<int32_t>(0)},  // replaced below
      {"vocab", strings},
      {"no_strings", Tensor(DType::String, {0})},
      {"half", half_tensor()},
  };
}

std::vector<std::pair<std::string, Tensor>> samples_with_object_graph() {
  auto t = sample_tensors();
  Tensor graph(DType::String, {});
  graph.strings()[0] = std::string("\x0a\x05\x12\x03\x0a\x01", 6) + "serialized proto";
  t[7].second = graph;
  return t;
}

void expect_round_trip(const fs::path& prefix,
                       const std::vector<std::pair<std::string, Tensor>>& tensors) {
  CheckpointReader r(prefix);
  ASSERT_EQ(r.keys().size(), tensors.size());
  for (const auto& [k, t] : tensors) {
    ASSERT_TRUE(r.contains(k)) << k;
    EXPECT_EQ(r.entry(k).dtype, t.dtype()) << k;
    EXPECT_EQ(r.entry(k).shape, t.shape()) << k;
    Tensor got = r.read(k);
    EXPECT_TRUE(got == t) << k;
  }
}

TEST(Checkpoint, RoundTripAllDtypes) {
  TempDir tmp;
  auto tensors = samples_with_object_graph();
  fs::path prefix = tmp.path() / "variables" / "variables";
  write_bundle(prefix, tensors);
  EXPECT_TRUE(fs::exists(tmp.path() / "variables" / "variables.data-00000-of-00001"));
  expect_round_trip(prefix, tensors);

  CheckpointReader r(prefix);
  EXPECT_EQ(r.num_shards(), 1);
  auto keys = r.keys();
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_FALSE(r.contains(""));  // the header is not a tensor
  EXPECT_EQ(r.read("vocab").strings()[2], std::string("nul\0byte", 8));
  EXPECT_EQ(r.read("step").values<int64_t>()[0], int64_t{1} << 40);
  EXPECT_EQ(r.entry("dense/kernel/.ATTRIBUTES/VARIABLE_VALUE").size, 24);
}

TEST(Checkpoint, MultiShard) {
  TempDir tmp;
  auto tensors = samples_with_object_graph();
  fs::path prefix = tmp.path() / "ckpt";
  write_bundle(prefix, tensors, 3);
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(fs::exists(tmp.path() / fmt::format("ckpt.data-{:05d}-of-00003", i)));
  CheckpointReader r(prefix);
  EXPECT_EQ(r.num_shards(), 3);
  for (size_t i = 0; i < tensors.size(); ++i)
    EXPECT_EQ(r.entry(tensors[i].first).shard_id, static_cast<int>(i % 3));
  expect_round_trip(prefix, tensors);
}

TEST(Checkpoint, StringCrcMatchesTensorFlowLayout) {
  // TF hashes string lengths as uint32, not as their varint bytes: for "ab" the data is
  // 02 <masked crc of 02 00 00 00> 'a' 'b'.
  Tensor t(DType::String, {1});
  t.strings()[0] = "ab";
  uint32_t masked = 0;
  std::string bytes = test::bundle_tensor_bytes(t, &masked);
  ASSERT_EQ(bytes.size(), 1u + 4 + 2);
  EXPECT_EQ(bytes[0], 2);
  uint32_t len_crc = crc32c::value(std::string("\x02\x00\x00\x00", 4));
  uint32_t stored;
  std::memcpy(&stored, bytes.data() + 1, 4);
  EXPECT_EQ(stored, crc32c::mask(len_crc));
  uint32_t c = crc32c::extend(len_crc, bytes.data() + 1, 4);
  c = crc32c::extend(c, "ab", 2);
  EXPECT_EQ(masked, crc32c::mask(c));
}

TEST(Checkpoint, MissingIndex) {
  TempDir tmp;
  expect_error([&] { CheckpointReader r(tmp.path() / "nothing"); },
               {"missing checkpoint index", "nothing.index"});
}

TEST(Checkpoint, NotALevelDbTable) {
  TempDir tmp;
  spit(tmp.path() / "x.index", "this is a text file, certainly not an sstable at all......");
  expect_error([&] { CheckpointReader r(tmp.path() / "x"); },
               {"x.index", "not a valid TensorBundle index"});
}

TEST(Checkpoint, TruncatedIndex) {
  TempDir tmp;
  fs::path prefix = tmp.path() / "v";
  write_bundle(prefix, sample_tensors());
  const std::string good = slurp(tmp.path() / "v.index");
  for (size_t len = 0; len < good.size(); ++len) {
    spit(tmp.path() / "v.index", good.substr(0, len));
    expect_error([&] { CheckpointReader r(prefix); }, {"v.index"});
  }
}

TEST(Checkpoint, FlippedIndexBytesAreDetectedOrHarmless) {
  TempDir tmp;
  fs::path prefix = tmp.path() / "v";
  auto tensors = samples_with_object_graph();
  write_bundle(prefix, tensors);
  const std::string good = slurp(tmp.path() / "v.index");
  size_t detected = 0;
  for (size_t pos = 0; pos < good.size(); ++pos) {
    std::string bad = good;
    bad[pos] ^= 0x41;
    spit(tmp.path() / "v.index", bad);
    try {
      CheckpointReader r(prefix);
      // Undetected flips (footer padding, the never-read empty metaindex block) must not
      // change anything we read.
      ASSERT_EQ(r.keys().size(), tensors.size()) << "flip at " << pos;
      for (const auto& [k, t] : tensors) ASSERT_TRUE(r.read(k) == t) << k << " flip at " << pos;
    } catch (const Error& e) {
      ++detected;
      if (pos == 0 || pos == 100) {
        EXPECT_NE(std::string(e.what()).find("v.index"), std::string::npos) << e.what();
      }
    }
  }
  // Everything but the 48-byte footer and the 13-byte metaindex block is checksummed.
  EXPECT_GE(detected, good.size() - 61) << "of " << good.size() << " bytes";
  EXPECT_GT(good.size(), 200u);
}

TEST(Checkpoint, FlippedShardByteIsCrcMismatch) {
  TempDir tmp;
  fs::path prefix = tmp.path() / "v";
  auto tensors = samples_with_object_graph();
  write_bundle(prefix, tensors);
  const fs::path shard = tmp.path() / "v.data-00000-of-00001";
  const std::string good = slurp(shard);
  CheckpointReader r(prefix);
  for (size_t pos = 0; pos < good.size(); ++pos) {
    std::string bad = good;
    bad[pos] ^= 0x08;
    spit(shard, bad);
    int failures = 0;
    for (const auto& [k, t] : tensors) {
      const BundleEntry& e = r.entry(k);
      bool covers = e.offset <= static_cast<int64_t>(pos) && static_cast<int64_t>(pos) < e.offset + e.size;
      try {
        Tensor got = r.read(k);
        EXPECT_FALSE(covers) << "flip at " << pos << " in '" << k << "' not detected";
        EXPECT_TRUE(got == t);
      } catch (const Error& err) {
        ++failures;
        EXPECT_TRUE(covers) << err.what();
        std::string msg = err.what();
        EXPECT_NE(msg.find("'" + k + "'"), std::string::npos) << msg;
        EXPECT_NE(msg.find(shard.string()), std::string::npos) << msg;
      }
    }
    EXPECT_EQ(failures, 1) << "flip at " << pos;
  }
  // The plain numeric case names it exactly as documented.
  std::string bad = good;
  bad[r.entry("counts").offset] ^= 1;
  spit(shard, bad);
  expect_error([&] { r.read("counts"); },
               {"CRC32C mismatch for tensor 'counts' in " + shard.string()});
  // Nothing computed from the file's bytes is printed (issue 18: a shard may be a link to a
  // file the attacker wants to read, 4 bytes at a time).
  try {
    r.read("counts");
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("computed"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("stored"), std::string::npos) << e.what();
  }
}

// A data shard that is a symbolic link to a file outside the model directory is refused, even
// with valid contents; a link inside the model directory is followed.
TEST(Checkpoint, ShardLinkOutsideTheModelIsRefused) {
  TempDir tmp;
  const fs::path model = tmp.path() / "model", prefix = model / "variables" / "variables";
  fs::create_directories(model / "variables");
  auto tensors = sample_tensors();
  write_bundle(prefix, tensors, 1);
  const fs::path shard = model / "variables" / "variables.data-00000-of-00001";
  fs::create_directories(tmp.path() / "elsewhere");
  fs::create_directories(model / "blobs");
  fs::copy_file(shard, tmp.path() / "elsewhere" / "secret");
  fs::rename(shard, model / "blobs" / "data");
  fs::create_symlink(model / "blobs" / "data", shard);
  {
    CheckpointReader r(prefix);
    EXPECT_TRUE(r.read("counts") == tensors[3].second);
  }
  fs::remove(shard);
  fs::create_symlink(tmp.path() / "elsewhere" / "secret", shard);
  CheckpointReader r(prefix);
  expect_error([&] { r.read("counts"); }, {shard.string(), "symbolic link to a file outside the model directory"});
}

TEST(Checkpoint, TruncatedAndMissingShard) {
  TempDir tmp;
  fs::path prefix = tmp.path() / "v";
  auto tensors = samples_with_object_graph();
  write_bundle(prefix, tensors, 2);
  const fs::path shard1 = tmp.path() / "v.data-00001-of-00002";
  std::string good = slurp(shard1);
  spit(shard1, good.substr(0, good.size() - 1));
  CheckpointReader r(prefix);
  // The last tensor of shard 1 no longer fits; the others still read.
  std::string last_key;
  int64_t last_end = -1;
  for (const auto& [k, t] : tensors)
    if (r.entry(k).shard_id == 1 && r.entry(k).offset + r.entry(k).size > last_end) {
      last_end = r.entry(k).offset + r.entry(k).size;
      last_key = k;
    }
  expect_error([&] { r.read(last_key); }, {"truncated", "'" + last_key + "'", shard1.string()});
  EXPECT_NO_THROW(r.read(tensors[0].first));  // shard 0

  fs::remove(shard1);
  expect_error([&] { r.read(last_key); }, {"missing data shard", shard1.string(), last_key});
}

TEST(Checkpoint, UnknownKey) {
  TempDir tmp;
  write_bundle(tmp.path() / "v", sample_tensors());
  CheckpointReader r(tmp.path() / "v");
  expect_error([&] { r.read("no/such/var"); }, {"'no/such/var'", "v.index"});
  expect_error([&] { r.entry("nope"); }, {"'nope'", "v.index"});
}

// Hand-made indexes for the header and entry checks.
std::string header_bytes(int num_shards, bool big = false, int min_consumer = 0) {
  tensorflow::BundleHeaderProto h;
  h.set_num_shards(num_shards);
  h.set_endianness(big ? tensorflow::BundleHeaderProto::BIG : tensorflow::BundleHeaderProto::LITTLE);
  h.mutable_version()->set_producer(1);
  h.mutable_version()->set_min_consumer(min_consumer);
  return h.SerializeAsString();
}

std::string float_entry(int64_t dim, int shard = 0, int64_t offset = 0, int64_t size = -1) {
  tensorflow::BundleEntryProto e;
  e.set_dtype(tensorflow::DT_FLOAT);
  e.mutable_shape()->add_dim()->set_size(dim);
  e.set_shard_id(shard);
  e.set_offset(offset);
  e.set_size(size < 0 ? dim * 4 : size);
  return e.SerializeAsString();
}

TEST(Checkpoint, HeaderChecks) {
  TempDir tmp;
  fs::path prefix = tmp.path() / "h";
  fs::path index = tmp.path() / "h.index";
  write_table(index, {{"", header_bytes(1, /*big=*/true)}});
  expect_error([&] { CheckpointReader r(prefix); }, {"h.index", "big-endian"});
  write_table(index, {{"a", float_entry(1)}});
  expect_error([&] { CheckpointReader r(prefix); }, {"h.index", "missing the TensorBundle header"});
  write_table(index, {});
  expect_error([&] { CheckpointReader r(prefix); }, {"h.index", "missing the TensorBundle header"});
  write_table(index, {{"", "\xff\xff garbage"}});
  expect_error([&] { CheckpointReader r(prefix); }, {"h.index", "BundleHeaderProto"});
  write_table(index, {{"", header_bytes(0)}});
  expect_error([&] { CheckpointReader r(prefix); }, {"h.index", "0 data shards"});
  write_table(index, {{"", header_bytes(1, false, /*min_consumer=*/2)}});
  expect_error([&] { CheckpointReader r(prefix); }, {"h.index", "version"});
  write_table(index, {{"", header_bytes(1)}});
  EXPECT_TRUE(CheckpointReader(prefix).keys().empty());
}

TEST(Checkpoint, EntryChecks) {
  TempDir tmp;
  fs::path prefix = tmp.path() / "e";
  fs::path index = tmp.path() / "e.index";
  auto expect_index_error = [&](const std::string& value, const std::string& what) {
    write_table(index, {{"", header_bytes(2)}, {"the/key", value}});
    expect_error([&] { CheckpointReader r(prefix); }, {"e.index", "'the/key'", what});
  };
  expect_index_error("\xff\xff\xff", "not a valid BundleEntryProto");
  expect_index_error(float_entry(4, /*shard=*/2), "shard 2");
  expect_index_error(float_entry(4, 0, -8), "negative offset");
  expect_index_error(float_entry(-3), "negative dimension");
  expect_index_error(float_entry(int64_t{3} << 30, 0, 0, int64_t{3} << 32), "limit");
  expect_index_error(float_entry(4, 0, INT64_MAX - 4), "overflows");

  // Size that disagrees with dtype x shape: the index is fine, the read says so.
  spit(tmp.path() / "e.data-00000-of-00002", std::string(64, '\0'));
  write_table(index, {{"", header_bytes(2)}, {"the/key", float_entry(4, 0, 0, 12)}});
  CheckpointReader r(prefix);
  expect_error([&] { r.read("the/key"); }, {"size mismatch", "'the/key'", "e.data-00000-of-00002"});

  // Shapes claiming ~10^12 elements with a small size: rejected before allocating anything.
  tensorflow::BundleEntryProto huge;
  huge.ParseFromString(float_entry(int64_t{1} << 40, 0, 0, 16));
  tensorflow::BundleEntryProto huge_strings = huge;
  huge_strings.set_dtype(tensorflow::DT_STRING);
  write_table(index, {{"", header_bytes(2)},
                      {"huge", huge.SerializeAsString()},
                      {"huge_strings", huge_strings.SerializeAsString()}});
  CheckpointReader r3(prefix);
  expect_error([&] { r3.read("huge"); }, {"size mismatch", "'huge'"});
  expect_error([&] { r3.read("huge_strings"); }, {"size mismatch", "'huge_strings'"});

  // A partitioned variable: full-tensor entry with slices.
  tensorflow::BundleEntryProto sliced;
  sliced.ParseFromString(float_entry(4));
  sliced.add_slices()->add_extent()->set_length(2);
  write_table(index, {{"", header_bytes(2)}, {"part/var", sliced.SerializeAsString()}});
  CheckpointReader r2(prefix);
  EXPECT_TRUE(r2.entry("part/var").partitioned);
  expect_error([&] { r2.read("part/var"); },
               {"'part/var'", "partitioned variables are not supported"});
}

TEST(Checkpoint, CorruptStringLengthsNeverOverread) {
  TempDir tmp;
  Tensor s(DType::String, {3});
  s.strings() = {"a", "bc", "def"};
  fs::path prefix = tmp.path() / "s";
  write_bundle(prefix, {{"s", s}});
  // Lengths that claim far more than the entry holds: caught by the lengths checksum or the
  // bounds check, never by reading past the entry.
  std::string data = slurp(tmp.path() / "s.data-00000-of-00001");
  data[0] = '\xff';
  data[1] = '\x7f';
  spit(tmp.path() / "s.data-00000-of-00001", data);
  expect_error([&] { CheckpointReader(prefix).read("s"); }, {"'s'", "s.data-00000-of-00001"});
}

// Random multi-byte damage to index and shard: every outcome is a tfaot::Error or exactly
// the original tensors (run under ASan/UBSan this also checks for out-of-bounds reads).
TEST(Checkpoint, RandomCorruptionIsErrorOrExact) {
  TempDir tmp;
  fs::path prefix = tmp.path() / "v";
  auto tensors = samples_with_object_graph();
  write_bundle(prefix, tensors, 2);
  const fs::path files[3] = {tmp.path() / "v.index", tmp.path() / "v.data-00000-of-00002",
                             tmp.path() / "v.data-00001-of-00002"};
  std::string good[3];
  for (int f = 0; f < 3; ++f) good[f] = slurp(files[f]);
  std::mt19937 rng(1234);
  int errors = 0;
  for (int iter = 0; iter < 600; ++iter) {
    const int f = static_cast<int>(rng() % 3);
    std::string bad = good[f];
    if (rng() % 4 == 0) {
      bad.resize(rng() % bad.size());
    } else {
      for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k)
        bad[rng() % bad.size()] = static_cast<char>(rng());
    }
    spit(files[f], bad);
    try {
      CheckpointReader r(prefix);
      for (const auto& [k, t] : tensors) ASSERT_TRUE(r.read(k) == t) << k << " iter " << iter;
    } catch (const Error&) {
      ++errors;
    }
    spit(files[f], good[f]);
  }
  EXPECT_GT(errors, 400);
}

// Every checkpoint TensorFlow wrote in the shared corpus: all keys read, all CRCs verify.
TEST(Checkpoint, RealCheckpoints) {
  TFAOT_REQUIRE_SHARED_MODELS(models);
  int checkpoints = 0;
  int64_t tensors = 0, bytes = 0;
  for (const auto& dir : fs::directory_iterator(models)) {
    fs::path index = dir.path() / "variables" / "variables.index";
    if (!fs::exists(index)) continue;
    SCOPED_TRACE(index.string());
    ++checkpoints;
    CheckpointReader r(dir.path() / "variables" / "variables");
    EXPECT_GE(r.num_shards(), 1);
    for (const auto& k : r.keys()) {
      Tensor t;
      ASSERT_NO_THROW(t = r.read(k)) << k;
      EXPECT_EQ(t.dtype(), r.entry(k).dtype);
      EXPECT_EQ(t.shape(), r.entry(k).shape);
      ++tensors;
      bytes += r.entry(k).size;
    }
    // TF2 checkpoints always carry their object graph as a scalar string.
    if (r.contains("_CHECKPOINTABLE_OBJECT_GRAPH")) {
      Tensor g = r.read("_CHECKPOINTABLE_OBJECT_GRAPH");
      EXPECT_EQ(g.dtype(), DType::String);
      EXPECT_FALSE(g.strings().at(0).empty());
    }
  }
  EXPECT_GT(checkpoints, 0);
  std::cout << "[ corpus   ] " << checkpoints << " checkpoints, " << tensors << " tensors, "
            << bytes << " bytes read and CRC-verified\n";
}

// The fuzzer-made broken SavedModels: their checkpoints may be anything; reading must either
// work or throw tfaot::Error, never crash.
TEST(Checkpoint, BadCorpusNeverCrashes) {
  TFAOT_REQUIRE_SHARED_MODELS(models);
  for (const auto& dir : fs::directory_iterator(models / "bad")) {
    fs::path prefix = dir.path() / "variables" / "variables";
    if (!fs::exists(prefix.string() + ".index")) continue;
    try {
      CheckpointReader r(prefix);
      for (const auto& k : r.keys()) r.read(k);
    } catch (const Error& e) {
      std::cout << "[ bad      ] " << e.what() << "\n";
    }
  }
}

}  // namespace
}  // namespace tfaot::frontend
