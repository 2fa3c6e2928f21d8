// The compile pipeline as a library function (tfaot-compile is a thin CLI around it):
// config -> front end -> per batch size: specialize, optimize, emit -> system compiler ->
// package (lib/, include/tfaot-model-NAME/, tool file, CMake and pkg-config files).
// The package is assembled in a temporary sibling of the output directory and renamed into
// place at the end, so on any error the output directory is left as it was.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "driver/config.h"

namespace tfaot::driver {

// Where the files of a compilation go (the paths are in outputs.h, package_layout()).
enum class Layout {
  Package,  // -o: OUT/lib, OUT/include/TOOL, OUT/TOOL.xml, CMake and pkg-config files; OUT is
            // replaced as a whole
  Prefix,   // --install-prefix (CMSDIST's %{i}): as Package with etc/scram.d/TOOL.xml, merged
            // into the prefix
  Flat,     // cms-tfaot's layout without --dev: every .h, .o and TOOL.xml directly in OUT,
            // merged into it (CMSDIST's tfaot-compile.file moves them in %install)
  Dev,      // cms-tfaot's --dev layout: OUT/include/TOOL, OUT/lib, OUT/TOOL.xml, merged into OUT
};

struct CompileOptions {
  std::filesystem::path out_dir;         // the output directory or install prefix (see layout)
  Layout layout = Layout::Package;
  std::string tool_name;                 // default tfaot-model-NAME (cms-tfaot's --tool-name)
  std::optional<std::string> tool_base;  // tool file's base default (default_tool_base())
  std::filesystem::path depfile;         // if set: Makefile-style dependencies of the outputs
  std::optional<std::vector<int64_t>> batch_sizes;  // overrides compilation.batch_sizes
  std::optional<std::string> target;                // overrides compilation.target (a,b,...)
  int jobs = 0;                                     // parallel compiler processes; 0 = #cores
  bool keep_sources = false;                        // also write the generated sources (src/)
  bool keep_build_dir = false;                      // keep the build directory if a compile fails
  std::ostream* log = nullptr;                      // progress lines (nullptr: quiet)
  // Called as each batch size's code generation starts (cms_tfaot_compile's progress lines).
  std::function<void(int64_t)> on_batch_size;
};

struct CompileResult {
  std::filesystem::path out_dir;
  std::string tool_name;    // tfaot-model-NAME
  std::filesystem::path tool_file;  // the scram tool file, relative to out_dir
  std::string tool_base;            // the default of its base variable
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

// cms-tfaot's "what next" text (scram setup, BuildFile, include, tfaot::Model), the scram
// setup line followed by `hint`.
std::string scram_steps(const CompileResult& result, const std::string& hint);

// The "what next" text tfaot-compile prints: scram_steps, then CMake and pkg-config when the
// layout has them.
std::string next_steps(const CompileResult& result);

}  // namespace tfaot::driver
