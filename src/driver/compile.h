// The compile pipeline as a library function (tfaot-compile is a thin CLI around it):
// config -> front end -> per batch size: specialize, optimize, emit -> system compiler ->
// package (lib/, include/tfaot-model-NAME/, tool file, CMake and pkg-config files).
// The package is assembled in a temporary sibling of the output directory and renamed into
// place at the end, so on any error the output directory is left as it was.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "driver/config.h"

namespace tfaot::driver {

struct CompileOptions {
  std::filesystem::path out_dir;
  std::optional<std::vector<int64_t>> batch_sizes;  // overrides compilation.batch_sizes
  std::optional<std::string> target;                // overrides compilation.target
  int jobs = 0;                                     // parallel compiler processes; 0 = #cores
  bool keep_sources = false;                        // also write the generated sources (src/)
  std::ostream* log = nullptr;                      // progress lines (nullptr: quiet)
};

struct CompileResult {
  std::filesystem::path out_dir;
  std::string tool_name;    // tfaot-model-NAME
  std::string class_name;   // NS::NAME
  std::vector<int64_t> batch_sizes;
  std::vector<std::string> files;  // written files relative to out_dir, sorted
};

CompileResult compile_model(const Config& config, const CompileOptions& options);

// The "what next" text tfaot-compile prints (scram, BuildFile, include, CMake, pkg-config).
std::string next_steps(const CompileResult& result);

}  // namespace tfaot::driver
