#include "test_util.h"

#include <array>
#include <cstdio>
#include <random>
#include <sys/wait.h>

namespace tfaot::test {

std::filesystem::path source_dir() { return TFAOT_SOURCE_DIR; }
std::filesystem::path binary_dir() { return TFAOT_BINARY_DIR; }

std::optional<std::filesystem::path> shared_models_dir() {
  std::filesystem::path p = std::filesystem::path(TFAOT_SHARED_DIR) / "models";
  if (std::filesystem::exists(p / "catalog.json")) return p;
  return std::nullopt;
}

TempDir::TempDir() {
  std::random_device rd;
  for (;;) {
    path_ = std::filesystem::temp_directory_path() /
            ("tfaot-test-" + std::to_string(rd()) + std::to_string(rd()));
    if (std::filesystem::create_directory(path_)) break;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult run_command(const std::string& command) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return {code, out};
}

}  // namespace tfaot::test
