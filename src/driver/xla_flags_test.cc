// cms-tfaot's --additional-flags: what maps to tfaot's target, what is noted, what fails.
#include "driver/xla_flags.h"

#include <gtest/gtest.h>

#include "support/error.h"

namespace tfaot::driver {
namespace {

TEST(XlaFlags, CmsdistTripleKeepsTheConfiguredTarget) {
  // CMSDIST's tfaot-compile.file: --additional-flags="--target_triple x86_64-unknown-linux-gnu".
  XlaFlags f = parse_xla_flags("--target_triple x86_64-unknown-linux-gnu");
  EXPECT_FALSE(f.target);
  EXPECT_EQ(f.triple_arch, "x86_64");
  EXPECT_TRUE(f.notes.empty());
  f = parse_xla_flags("--target_triple=x86_64-pc-linux");
  EXPECT_FALSE(f.target);
  EXPECT_EQ(f.triple_arch, "x86_64");
}

TEST(XlaFlags, Aarch64TripleAndCpuChooseTheTarget) {
  EXPECT_EQ(parse_xla_flags("--target_triple=aarch64-unknown-linux-gnu").target, "aarch64");
  EXPECT_EQ(parse_xla_flags("--target_triple aarch64-unknown-linux-gnu --target_cpu neoverse-n1").target,
            "neoverse-n1");
  EXPECT_EQ(parse_xla_flags("--target_cpu=skylake-avx512").target, "skylake-avx512");
}

TEST(XlaFlags, OtherFlagsAreNotedOneLineEach) {
  // CMSSW's testAOTTools.py builds the triple from platform.processor(), which is '' on many
  // Linux systems: "-pc-linux" has no architecture and must not fail.
  XlaFlags f = parse_xla_flags("--target_triple=-pc-linux --target_features +avx2 --multithreading=false xyz");
  EXPECT_FALSE(f.target);
  ASSERT_EQ(f.notes.size(), 4u);
  EXPECT_NE(f.notes[0].find("--target_triple=-pc-linux"), std::string::npos);
  EXPECT_NE(f.notes[1].find("--target_features=+avx2"), std::string::npos);
  EXPECT_NE(f.notes[2].find("--multithreading=false"), std::string::npos);
  EXPECT_NE(f.notes[3].find("'xyz'"), std::string::npos);
  EXPECT_TRUE(parse_xla_flags("").notes.empty());
}

TEST(XlaFlags, UnsupportedArchitectureFails) {
  try {
    parse_xla_flags("--target_triple powerpc64le-unknown-linux-gnu");
    FAIL() << "accepted a powerpc64le triple";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("powerpc64le"), std::string::npos);
  }
}

}  // namespace
}  // namespace tfaot::driver
