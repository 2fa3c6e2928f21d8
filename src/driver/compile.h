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
  std::filesystem::path out_dir;         // the package directory (replaced as a whole), or
  std::filesystem::path install_prefix;  // a prefix the package is merged into (CMSDIST %{i}):
                                         // the tool file goes to etc/scram.d/ (see outputs.h)
  std::string tool_name;                 // default tfaot-model-NAME (cms-tfaot's --tool-name)
  std::optional<std::string> tool_base;  // tool file's base default; default @TOOL_BASE@ for
                                         // out_dir, the prefix for install_prefix
  std::filesystem::path depfile;         // if set: Makefile-style dependencies of the outputs
  std::optional<std::vector<int64_t>> batch_sizes;  // overrides compilation.batch_sizes
  std::optional<std::string> target;                // overrides compilation.target (a,b,...)
  int jobs = 0;                                     // parallel compiler processes; 0 = #cores
  bool keep_sources = false;                        // also write the generated sources (src/)
  bool keep_build_dir = false;                      // keep the build directory if a compile fails
  std::ostream* log = nullptr;                      // progress lines (nullptr: quiet)
};

struct CompileResult {
  std::filesystem::path out_dir;
  std::string tool_name;    // tfaot-model-NAME
  std::string class_name;   // NS::NAME
  std::string model_name;   // NAME
  std::filesystem::path config_file;  // the aot_config.yaml compiled
  std::vector<int64_t> batch_sizes;
  std::vector<std::string> files;  // written files relative to out_dir, sorted
  bool dynamic_batch = false;      // the package has the dynamic-batch entry NAME_dyn
  size_t batch_rules = 0;          // rules compiled into model.h (compilation.batch_rules)
  std::filesystem::path batch_rules_file;
  std::vector<std::string> notes;  // one line each (e.g. why there is no dynamic-batch entry)
};

CompileResult compile_model(const Config& config, const CompileOptions& options);

// Whether compile_model writes the dynamic-batch entry NAME_dyn: compilation.dynamic_batch
// true or false, or (auto) whether the model is batch-separable, which loads the model.
bool plans_dynamic_batch(const Config& config);

// The "what next" text tfaot-compile prints (scram, BuildFile, include, CMake, pkg-config).
std::string next_steps(const CompileResult& result);

}  // namespace tfaot::driver
