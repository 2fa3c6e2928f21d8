// Shared helpers for tests: paths, the shared corpus, temporary directories.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace tfaot::test {

std::filesystem::path source_dir();
std::filesystem::path binary_dir();
// ../shared/models if present, else nullopt (tests then GTEST_SKIP with a clear message).
std::optional<std::filesystem::path> shared_models_dir();

#define TFAOT_REQUIRE_SHARED_MODELS(var)                                                   \
  auto var##_opt = ::tfaot::test::shared_models_dir();                                     \
  if (!var##_opt) GTEST_SKIP() << "../shared/models not found beside the checkout: "       \
                                  "corpus test skipped";                                   \
  const std::filesystem::path var = *var##_opt

// A fresh empty directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs a shell command, returns {exit code, combined stdout+stderr}.
struct CommandResult {
  int exit_code;
  std::string output;
};
CommandResult run_command(const std::string& command);

}  // namespace tfaot::test
