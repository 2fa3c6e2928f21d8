// The system C++ compiler that turns generated sources into objects (and shared objects for
// the JIT): flags, targets, and running several compilations in parallel.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tfaot::backend {

struct ToolchainOptions {
  std::string cxx;                      // compiler command; empty = $CXX or "c++"
  std::string target = "x86-64-v3";     // -march value (native, x86-64, x86-64-v2..v4, armv8-a...)
  bool fast_math = false;               // -ffast-math-like flags (XLA's fast-math default)
  std::vector<std::string> extra_flags; // compilation.cxxflags
  std::string opt_level = "-O3";
};

// Resolves the compiler command: options.cxx, else $CXX, else "c++".
std::string resolve_cxx(const ToolchainOptions& options);

// Checks that the compiler runs and accepts the target; throws Error naming the compiler or
// the target otherwise.
void check_toolchain(const ToolchainOptions& options);

// Command line compiling `source` (relative to the job's directory) to `object`.
std::vector<std::string> compile_command(const ToolchainOptions& options, const std::string& source,
                                         const std::string& object);

struct ProcessResult {
  int exit_code = -1;  // -1: could not be started
  std::string output;  // stdout + stderr
  double seconds = 0;  // wall time from start to exit
};
// Runs argv[0] (searched in PATH) with the other arguments in directory `cwd`.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd);

struct CompileJob {
  std::vector<std::string> argv;
  std::filesystem::path cwd;
  std::string label;  // for messages: what is compiled
};
// Runs the jobs with at most `jobs` in parallel; returns their results in job order.
std::vector<ProcessResult> run_parallel(const std::vector<CompileJob>& jobs, int max_parallel);

// Splits a command such as "ccache g++" into words (whitespace, no quoting).
std::vector<std::string> split_command(const std::string& command);

}  // namespace tfaot::backend
