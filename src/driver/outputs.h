// Where tfaot-compile's files go and what they depend on: the package layouts (planned before
// compiling, so that build systems can name the outputs at configure time), the model files a
// compilation reads (for --depfile), and putting a staged package in place — either as a whole
// directory (-o) or merged into a directory (--install-prefix as CMSDIST's %{i}, cms-tfaot's
// flat and --dev layouts).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "driver/compile.h"
#include "driver/config.h"

namespace tfaot::driver {

// The tool name of a compilation: options.tool_name, else tfaot-model-NAME.
std::string effective_tool_name(const Config& config, const CompileOptions& options);

// Where a layout puts a package's files, relative to the output directory (compile.h, Layout).
struct PackageLayout {
  std::filesystem::path lib;        // objects
  std::filesystem::path include;    // headers (model.h, NAME_bsN.h, NAME_dyn.h)
  std::filesystem::path tool_file;  // the scram tool file
  bool build_files = false;         // CMake package and pkg-config file (lib/cmake, lib/pkgconfig)
  // Directories owned by the model as a whole (replaced, not merged) when merging into a
  // directory that holds other things.
  std::vector<std::filesystem::path> owned;
};
PackageLayout package_layout(Layout layout, const std::string& tool);

// `path` (absolute) as cms-tfaot's cmssw_rel_path writes it: $CMSSW_BASE/REL when it lies
// inside $CMSSW_BASE, else unchanged.
std::string cmssw_relative(const std::filesystem::path& path);

// The default of the tool file's base variable: @TOOL_BASE@ for Package and Flat (set by
// whoever installs the files, as with cms-tfaot), the prefix for Prefix, and for Dev the output
// directory itself, as $CMSSW_BASE/... when it lies inside $CMSSW_BASE (cms-tfaot --dev).
std::string default_tool_base(Layout layout, const std::filesystem::path& out_dir);

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
// Fails (naming it) if a path cannot be written into a depfile; called before any work.
void check_depfile_paths(const std::vector<std::filesystem::path>& paths);
void write_depfile(const std::filesystem::path& depfile, const std::vector<std::filesystem::path>& outputs,
                   const std::vector<std::filesystem::path>& inputs);

// The file that marks a directory as a package tfaot wrote (-o DIR, the package layout): only
// such a directory, an empty one or none is replaced by a new compilation.
inline constexpr const char* kPackageMarker = ".tfaot-package";

// Fails, naming `dir`, unless it is absent, an empty directory (or one holding only empty
// directories, as build systems create for declared outputs), or holds kPackageMarker (or, from
// a tfaot before the marker, an include/TOOL/model.h it generated): tfaot never deletes what it
// did not create.
void check_replaceable(const std::filesystem::path& dir);

// Writes kPackageMarker into the package directory `dir` (its content names the model).
void write_package_marker(const std::filesystem::path& dir, const std::string& model);

// Replaces directory `to` by `from` (renamed; the old `to`, if any, is removed only once the
// new one is in place and restored if the rename fails).
void replace_dir(const std::filesystem::path& from, const std::filesystem::path& to);

// Merges the staged package `stage` (holding `files`) into `out_dir` by renames: the layout's
// owned directories are replaced as a whole, other files one by one, and objects (and, in the
// flat layout, headers) NAME_bsN / NAME_dyn of an earlier compilation of the same model that
// are not part of this one are removed; nothing else in `out_dir` is touched. `stage` must be
// on the same file system (tfaot-compile stages inside `out_dir`).
void merge_into(const std::filesystem::path& stage, const std::filesystem::path& out_dir,
                const std::vector<std::string>& files, const PackageLayout& layout, const std::string& model);

}  // namespace tfaot::driver
