// The system C++ compiler that turns generated sources into objects (and shared objects for
// the JIT): flags, targets, and running several compilations in parallel.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace tfaot::backend {

struct ToolchainOptions {
  std::string cxx;                      // compiler command; empty: see resolve_cxx
  std::string target = "x86-64-v3";     // compilation.target (see target_arch / compile_command)
  bool fast_math = false;               // -ffast-math-like flags (XLA's fast-math default)
  std::vector<std::string> extra_flags; // compilation.cxxflags
  std::string opt_level = "-O3";
};

enum class TargetArch { X86_64, Aarch64 };

// The architecture a compilation.target names. aarch64: "aarch64", a triple starting with
// aarch64 ("aarch64-linux-gnu"), an Arm architecture ("armv8-a", "armv8.2-a+fp16", "armv9-a")
// or an Arm CPU ("neoverse-n1", "cortex-a72", "a64fx", "ampere1", ...); everything else is an
// x86-64 -march value (or an x86_64 triple), which the compiler then accepts or rejects.
TargetArch target_arch(const std::string& target);
// The architecture this program was built for (the machine that runs generated code in-process).
TargetArch host_arch();
const char* arch_name(TargetArch arch);
// True when code for `target` cannot run on this machine without an emulator.
inline bool is_cross_target(const std::string& target) { return target_arch(target) != host_arch(); }

// Resolves the compiler command: options.cxx; else, for a cross target, the Debian cross
// compiler of its architecture ("aarch64-linux-gnu-g++", "x86_64-linux-gnu-g++"; $CXX is the
// host's compiler and is ignored); else $CXX, else "c++".
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
// Runs argv[0] (searched in PATH) with the other arguments in directory `cwd`. Under interrupt
// handling (support/interrupt.h) the child is tracked and killed on a signal; after a signal no
// child is started (exit_code -1, output "interrupted").
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd);

// The line of a failed command's output worth showing: the first one mentioning "error", else
// the first line, else how it ended (exit status, signal).
std::string diagnostic_line(const ProcessResult& r);

struct CompileJob {
  std::vector<std::string> argv;
  std::filesystem::path cwd;
  std::string label;  // for messages: what is compiled
};
// Runs the jobs with at most `jobs` in parallel; returns their results in job order.
// `done(i, result)`, if given, is called as each job ends (one call at a time, any thread).
std::vector<ProcessResult> run_parallel(const std::vector<CompileJob>& jobs, int max_parallel,
                                        const std::function<void(size_t, const ProcessResult&)>& done = {});

// Splits a command such as "ccache g++" into words (whitespace, no quoting).
std::vector<std::string> split_command(const std::string& command);

}  // namespace tfaot::backend
