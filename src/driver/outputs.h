// Where tfaot-compile's files go and what they depend on: the package layout (planned before
// compiling, so that build systems can name the outputs at configure time), the model files a
// compilation reads (for --depfile), and putting a staged package in place — either as a whole
// directory (-o) or merged into an install prefix (--install-prefix, as CMSDIST's %{i}).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "driver/compile.h"
#include "driver/config.h"

namespace tfaot::driver {

// The tool name of a compilation: options.tool_name, else tfaot-model-NAME.
std::string effective_tool_name(const Config& config, const CompileOptions& options);

// The scram tool file, relative to the package root: TOOL.xml for -o (cms-tfaot's layout),
// etc/scram.d/TOOL.xml for --install-prefix (CMSDIST's layout).
std::filesystem::path tool_file_path(const std::string& tool, bool install);

// Every file compile_model writes for `config` and `options`, relative to the package root,
// sorted; `dynamic_batch`: with the dynamic-batch entry NAME_dyn (plans_dynamic_batch, which
// may read the model). Reads only the config, so it is cheap.
std::vector<std::string> planned_files(const Config& config, const CompileOptions& options, bool dynamic_batch);

// The files a compilation reads: the config, then the SavedModel's saved_model.pb(txt) and
// every file under variables/, or the frozen graph, and compilation.batch_rules. Absolute,
// sorted after the config.
std::vector<std::filesystem::path> input_files(const Config& config);

// Writes `text` to `path` through a temporary sibling (PATH.tfaot-tmp, renamed into place), so a
// failure leaves nothing half-written; fails with "cannot write PATH".
void write_atomically(const std::filesystem::path& path, const std::string& text);

// Writes a Makefile-style dependency file "OUT1 OUT2 ...: IN1 IN2 ..." (as Ninja and CMake's
// DEPFILE read it), atomically.
void write_depfile(const std::filesystem::path& depfile, const std::vector<std::filesystem::path>& outputs,
                   const std::vector<std::filesystem::path>& inputs);

// Replaces directory `to` by `from` (renamed; the old `to`, if any, is removed only once the
// new one is in place and restored if the rename fails).
void replace_dir(const std::filesystem::path& from, const std::filesystem::path& to);

// Merges the staged package `stage` (holding `files`) into `prefix` by renames: the model's own
// directories (include/TOOL, lib/cmake/TOOL) are replaced as a whole, other files one by one,
// and objects NAME_bsN.o of an earlier install of the same model that are not part of this one
// are removed. `stage` must be on the same file system (tfaot-compile stages inside `prefix`).
void merge_into_prefix(const std::filesystem::path& stage, const std::filesystem::path& prefix,
                       const std::vector<std::string>& files, const std::string& tool, const std::string& model);

}  // namespace tfaot::driver
