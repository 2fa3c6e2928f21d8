// The layout checks run before libleveldb opens a TensorBundle index: handles that would make
// leveldb allocate more than the file (a corrupt footer, an index block whose values are not
// handles) are one Error naming the file, never an allocation of what the bytes claim.
#include "frontend/table_layout.h"

#include <gtest/gtest.h>

#include <leveldb/env.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>
#include <leveldb/table_builder.h>

#include <fstream>
#include <memory>

#include "bundle_writer.h"
#include "frontend/checkpoint.h"
#include "test_util.h"

namespace tfaot::frontend {
namespace {

namespace fs = std::filesystem;

struct Footer {
  uint64_t meta_offset, meta_size, index_offset, index_size;
};

void put_varint64(std::string& out, uint64_t v) {
  for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>(v | 0x80));
  out.push_back(static_cast<char>(v));
}

Footer read_footer(const std::string& table) {
  const std::string_view f = std::string_view(table).substr(table.size() - 48);
  Footer h;
  size_t pos = 0;
  EXPECT_TRUE(get_varint64(f, &pos, &h.meta_offset) && get_varint64(f, &pos, &h.meta_size) &&
              get_varint64(f, &pos, &h.index_offset) && get_varint64(f, &pos, &h.index_size));
  return h;
}

// `table` with its footer rewritten to `h` (magic kept).
std::string with_footer(std::string table, const Footer& h) {
  std::string f;
  for (uint64_t v : {h.meta_offset, h.meta_size, h.index_offset, h.index_size}) put_varint64(f, v);
  f.resize(40, '\0');
  table.replace(table.size() - 48, 40, f);
  return table;
}

class TableLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_bundle(prefix(), {{"a", Tensor::from_vector<float>({2}, {1, 2})},
                                  {"b", Tensor::from_vector<int32_t>({3}, {7, 8, 9})}});
    std::ifstream in(index(), std::ios::binary);
    good_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  fs::path prefix() const { return dir_.path() / "variables"; }
  fs::path index() const { return dir_.path() / "variables.index"; }
  // Writes `table` as the index and expects CheckpointReader to fail naming the file and `what`.
  void expect_rejected(const std::string& table, const std::string& what) {
    std::ofstream(index(), std::ios::binary | std::ios::trunc) << table;
    try {
      CheckpointReader r(prefix());
      ADD_FAILURE() << "accepted; expected: " << what;
    } catch (const Error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("variables.index: not a valid TensorBundle index"), std::string::npos) << msg;
      EXPECT_NE(msg.find(what), std::string::npos) << msg;
    }
  }
  test::TempDir dir_;
  std::string good_;
};

TEST_F(TableLayout, WellFormedTablePasses) {
  EXPECT_NO_THROW(check_table_layout(good_, "x"));
  EXPECT_EQ(CheckpointReader(prefix()).keys(), (std::vector<std::string>{"a", "b"}));
}

// The fuzzer's find: leveldb allocated the footer's index size (here 1 TiB) before reading.
TEST_F(TableLayout, HugeIndexHandleInFooter) {
  Footer h = read_footer(good_);
  h.index_size = uint64_t{1} << 40;
  expect_rejected(with_footer(good_, h), "index block");
  h.index_size = UINT64_MAX;  // offset + size overflows
  expect_rejected(with_footer(good_, h), "runs past");
  h = read_footer(good_);
  h.meta_offset = good_.size();
  expect_rejected(with_footer(good_, h), "metaindex block");
}

// A footer pointing the index at a data block (whose checksum is valid): its values are
// tensor entries, not block handles, and must not reach leveldb as sizes to allocate.
TEST_F(TableLayout, IndexHandlePointingAtADataBlock) {
  Footer h = read_footer(good_);
  h.index_offset = 0;
  h.index_size = h.meta_offset - 5;  // the first (only) data block, its trailer excluded
  expect_rejected(with_footer(good_, h), "");
}

TEST_F(TableLayout, IndexChecksumAndCompression) {
  const Footer h = read_footer(good_);
  std::string bad = good_;
  bad[h.index_offset] ^= 1;
  expect_rejected(bad, "index block checksum mismatch");
  bad = good_;
  bad[h.index_offset + h.index_size] = 7;
  expect_rejected(bad, "unknown compression type 7");
  expect_rejected(good_.substr(0, 47), "less than a table footer");
  bad = good_;
  bad.back() ^= 0x10;
  expect_rejected(bad, "magic");
}

// Some real bundles have snappy-compressed blocks (leveldb's default): they pass, and a
// compressed block claiming an absurd uncompressed size is refused before leveldb allocates it.
TEST_F(TableLayout, SnappyBlocks) {
  const std::string file = (dir_.path() / "snappy.table").string();
  {
    leveldb::WritableFile* raw = nullptr;
    ASSERT_TRUE(leveldb::Env::Default()->NewWritableFile(file, &raw).ok());
    std::unique_ptr<leveldb::WritableFile> out(raw);
    leveldb::Options options;
    options.compression = leveldb::kSnappyCompression;
    options.block_size = 1024;
    leveldb::TableBuilder builder(options, out.get());
    for (int i = 0; i < 2000; ++i) builder.Add(fmt::format("key{:06d}", i), std::string(40, 'v'));
    ASSERT_TRUE(builder.Finish().ok());
    ASSERT_TRUE(out->Close().ok());
  }
  std::ifstream in(file, std::ios::binary);
  std::string table{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_NO_THROW(check_table_layout(table, file));
  const Footer h = read_footer(table);
  ASSERT_EQ(table[h.index_offset + h.index_size], 1) << "index block expected snappy-compressed";
  // The first data block starts at 0 with snappy's varint uncompressed length (~1 KiB: two
  // bytes); 16383 is far more than its ~100 compressed bytes can expand to.
  ASSERT_EQ(static_cast<uint8_t>(table[0]) & 0x80, 0x80);
  ASSERT_EQ(static_cast<uint8_t>(table[1]) & 0x80, 0);
  std::string bad = table;
  bad[0] = '\xff';
  bad[1] = '\x7f';
  try {
    check_table_layout(bad, "t");
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data block [0, +"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("out of proportion"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tfaot::frontend
