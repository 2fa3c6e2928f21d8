#include "support/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include "support/error.h"
#include "test_util.h"

namespace tfaot {
namespace {

namespace fs = std::filesystem;

std::string error_of(const fs::path& p, uint64_t max = 1 << 20) {
  try {
    read_regular_file(p, "test file", max);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ReadRegularFile, ReadsARegularFile) {
  test::TempDir dir;
  std::ofstream(dir.path() / "a") << "hello";
  EXPECT_EQ(read_regular_file(dir.path() / "a", "test file", 5), "hello");
  std::ofstream(dir.path() / "empty");
  EXPECT_EQ(read_regular_file(dir.path() / "empty", "test file", 0), "");
}

TEST(ReadRegularFile, RefusesWhatIsNotOneWithoutReadingIt) {
  test::TempDir dir;
  EXPECT_NE(error_of(dir.path() / "none").find("does not exist"), std::string::npos);
  EXPECT_NE(error_of(dir.path()).find("is a directory"), std::string::npos);
  // A FIFO without a writer: an error at once, not a hang.
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_NE(error_of(fifo).find("not a regular file"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_NE(error_of("/dev/zero").find("not a regular file"), std::string::npos);
  // A 3 GiB sparse file against a 2 GiB limit: refused from its size, nothing allocated.
  const fs::path big = dir.path() / "big";
  std::ofstream(big).close();
  fs::resize_file(big, uint64_t{3} << 30);
  const std::string e = error_of(big, uint64_t{2} << 30);
  EXPECT_NE(e.find("3221225472 bytes, more than 2147483648 bytes"), std::string::npos) << e;
  EXPECT_NE(e.find(big.string()), std::string::npos) << e;
}

}  // namespace
}  // namespace tfaot
