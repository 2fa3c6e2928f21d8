#include "frontend/table_layout.h"

#include <snappy.h>

#include <cstring>

#include "support/crc32c.h"
#include "support/error.h"

namespace tfaot::frontend {
namespace {

// LevelDB table format (table/format.h): a footer of two block handles, padding and a magic
// number; every block followed by a 1-byte compression type and a masked CRC32C of block and
// type.
constexpr size_t kFooterSize = 48;
constexpr size_t kTrailerSize = 5;
constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr uint8_t kNoCompression = 0;
constexpr uint8_t kSnappyCompression = 1;
// Snappy's best case encodes 64 bytes in a 3-byte copy: a block claiming to expand more than
// this is corrupt (leveldb would allocate the claimed size before decompressing).
constexpr uint64_t kMaxSnappyRatio = 32;

struct Handle {
  uint64_t offset = 0, size = 0;
};

uint32_t fixed32(std::string_view s, size_t pos) {
  uint32_t v;
  std::memcpy(&v, s.data() + pos, 4);  // little-endian hosts only (as the checkpoint reader)
  return v;
}

class Checker {
 public:
  Checker(std::string_view table, const std::string& file) : t_(table), file_(file) {}

  void run() {
    if (t_.size() < kFooterSize) bad("the file has {} bytes, less than a table footer", t_.size());
    const size_t footer = t_.size() - kFooterSize;
    const uint64_t magic = uint64_t{fixed32(t_, footer + 40)} | uint64_t{fixed32(t_, footer + 44)} << 32;
    if (magic != kTableMagic) bad("bad table magic number");
    size_t pos = footer;
    const Handle meta = handle(t_.substr(0, footer + 40), &pos, "metaindex handle");
    const Handle index = handle(t_.substr(0, footer + 40), &pos, "index handle");
    check_block(meta, footer, "metaindex block");
    check_block(index, footer, "index block");
    const uint32_t crc = crc32c::value(t_.data() + index.offset, index.size + 1);
    if (crc != crc32c::unmask(fixed32(t_, index.offset + index.size + 1)))
      bad("index block checksum mismatch");
    std::string_view block = t_.substr(index.offset, index.size);
    std::string uncompressed;
    if (t_[index.offset + index.size] == kSnappyCompression) {
      if (!snappy::Uncompress(block.data(), block.size(), &uncompressed))
        bad("index block does not decompress");
      block = uncompressed;
    }
    check_index_entries(block, index.offset);
  }

 private:
  template <typename... Args>
  [[noreturn]] void bad(fmt::format_string<Args...> f, Args&&... args) const {
    fail("{}: not a valid TensorBundle index (LevelDB table): {}", file_, fmt::format(f, std::forward<Args>(args)...));
  }

  Handle handle(std::string_view buf, size_t* pos, std::string_view what) const {
    Handle h;
    if (!get_varint64(buf, pos, &h.offset) || !get_varint64(buf, pos, &h.size))
      bad("malformed {}", what);
    return h;
  }

  // The block and its trailer lie within [0, end) and the block is stored uncompressed.
  void check_block(const Handle& h, uint64_t end, std::string_view what) const {
    if (h.offset > end || h.size > end - h.offset || end - h.offset - h.size < kTrailerSize)
      bad("{} [{}, +{}) runs past the table's {} data bytes", what, h.offset, h.size, end);
    const auto type = static_cast<uint8_t>(t_[h.offset + h.size]);
    if (type == kSnappyCompression) {
      size_t length = 0;
      if (!snappy::GetUncompressedLength(t_.data() + h.offset, h.size, &length) ||
          length > kMaxSnappyRatio * h.size + 64)
        bad("{} [{}, +{}) claims an uncompressed size out of proportion", what, h.offset, h.size);
    } else if (type != kNoCompression) {
      bad("{} has unknown compression type {}", what, type);
    }
  }

  // Block layout (table/block_builder.cc): entries [varint32 shared, varint32 non_shared,
  // varint32 value_length, key delta, value], then uint32 restart offsets and their count.
  // Index entries' values are the data blocks' handles, which must end before the index.
  void check_index_entries(std::string_view block, uint64_t index_offset) const {
    if (block.size() < 4) bad("index block of {} bytes", block.size());
    const uint64_t restarts = fixed32(block, block.size() - 4);
    if (restarts > (block.size() - 4) / 4) bad("index block claims {} restart points", restarts);
    const size_t entries_end = block.size() - 4 - 4 * restarts;
    for (size_t pos = 0; pos < entries_end;) {
      uint64_t shared, non_shared, value_length;
      if (!get_varint64(block, &pos, &shared) || !get_varint64(block, &pos, &non_shared) ||
          !get_varint64(block, &pos, &value_length) || non_shared > entries_end - pos ||
          value_length > entries_end - pos - non_shared)
        bad("malformed index block entry at byte {}", pos);
      pos += non_shared;
      const std::string_view value = block.substr(pos, value_length);
      size_t vpos = 0;
      check_block(handle(value, &vpos, "data block handle"), index_offset, "data block");
      pos += value_length;
    }
  }

  std::string_view t_;
  const std::string& file_;
};

}  // namespace

bool get_varint64(std::string_view buf, size_t* pos, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift <= 63 && *pos < buf.size(); shift += 7) {
    uint64_t b = static_cast<uint8_t>(buf[(*pos)++]);
    v |= (b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

void check_table_layout(std::string_view table, const std::string& file) {
  Checker(table, file).run();
}

}  // namespace tfaot::frontend
