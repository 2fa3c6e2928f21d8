// Checks of a LevelDB table's layout that libleveldb itself trusts. leveldb's ReadBlock
// allocates a block handle's claimed size before it reads (and before any checksum is
// verified), and the footer that holds the index block's handle has no checksum: a corrupt
// TensorBundle index would make it allocate whatever a byte pattern says. So, before
// leveldb::Table::Open sees the bytes, every handle it will follow -- the footer's metaindex
// and index handles, and the data-block handles the index block lists -- must lie inside
// the file, the index block's checksum must match, and a snappy-compressed block must not
// claim to expand beyond snappy's best ratio. leveldb then never allocates more than a small
// multiple of the file size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tfaot::frontend {

// Throws Error "FILE: not a valid TensorBundle index (LevelDB table): ..." naming what is wrong.
void check_table_layout(std::string_view table, const std::string& file);

// Little-endian base-128 varint64 from `buf[*pos..]`; false if it runs off the end or is
// longer than 10 bytes.
bool get_varint64(std::string_view buf, size_t* pos, uint64_t* out);

}  // namespace tfaot::frontend
