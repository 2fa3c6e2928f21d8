#include "support/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tfaot::crc32c {
namespace {

TEST(Crc32c, KnownVectors) {
  // Check value of the CRC-32C catalogue and RFC 3720 (iSCSI) B.4 test vectors.
  EXPECT_EQ(value("123456789"), 0xE3069283u);
  EXPECT_EQ(value(""), 0u);
  EXPECT_EQ(value("a"), 0xC1D04330u);
  std::string zeros(32, '\0'), ones(32, '\xff'), inc(32, '\0'), dec(32, '\0');
  for (int i = 0; i < 32; ++i) {
    inc[i] = static_cast<char>(i);
    dec[i] = static_cast<char>(31 - i);
  }
  EXPECT_EQ(value(zeros), 0x8A9136AAu);
  EXPECT_EQ(value(ones), 0x62A8AB43u);
  EXPECT_EQ(value(inc), 0x46DD794Eu);
  EXPECT_EQ(value(dec), 0x113FDB5Cu);
}

TEST(Crc32c, ExtendEqualsWhole) {
  std::string s = "hello world, this is a longer string crossing several 8-byte words";
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    uint32_t c = extend(value(s.data(), cut), s.data() + cut, s.size() - cut);
    EXPECT_EQ(c, value(s)) << "cut at " << cut;
  }
}

TEST(Crc32c, PortableMatchesDispatchedOnRandomData) {
  std::mt19937 rng(42);
  std::vector<uint8_t> buf(4099);
  for (auto& b : buf) b = static_cast<uint8_t>(rng());
  // Every start alignment and many lengths, so both the 8-byte loop and the tail are used.
  for (size_t start = 0; start < 9; ++start)
    for (size_t len : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 1000, 4090})
      EXPECT_EQ(extend_portable(0, buf.data() + start, len), extend(0, buf.data() + start, len))
          << "start " << start << " len " << len;
  // A single flipped bit always changes the CRC.
  uint32_t before = value(buf.data(), buf.size());
  buf[1234] ^= 0x10;
  EXPECT_NE(before, value(buf.data(), buf.size()));
}

TEST(Crc32c, MaskRoundTripsAndChangesValue) {
  for (uint32_t c : {0u, 1u, 0xE3069283u, 0xffffffffu, 0x12345678u}) {
    EXPECT_EQ(unmask(mask(c)), c);
    EXPECT_NE(mask(c), c);
    EXPECT_NE(mask(mask(c)), mask(c));
  }
  // TensorFlow's mask: rotate right 15 bits, add 0xa282ead8.
  EXPECT_EQ(mask(0u), 0xa282ead8u);
  EXPECT_EQ(mask(0x00008000u), 0xa282ead9u);
}

}  // namespace
}  // namespace tfaot::crc32c
