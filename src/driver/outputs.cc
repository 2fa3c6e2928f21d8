#include "driver/outputs.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "backend/kernel_sources.h"
#include "backend/package.h"
#include "support/error.h"
#include "support/identifier.h"

namespace tfaot::driver {

namespace fs = std::filesystem;

std::string effective_tool_name(const Config& config, const CompileOptions& options) {
  if (options.tool_name.empty()) return backend::tool_name(config.model.name);
  // It names a directory and a file: one path component of ordinary characters.
  const std::string& t = options.tool_name;
  bool ok = t != "." && t != "..";
  for (char c : t) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+');
  if (!ok) fail("--tool-name '{}': use letters, digits and - _ . + only", t);
  return t;
}

PackageLayout package_layout(Layout layout, const std::string& tool) {
  const fs::path inc = fs::path("include") / tool, xml = tool + ".xml";
  switch (layout) {
    case Layout::Package: return {"lib", inc, xml, true, {}};
    case Layout::Prefix:
      return {"lib", inc, fs::path("etc") / "scram.d" / xml, true, {inc, fs::path("lib") / "cmake" / tool}};
    case Layout::Dev: return {"lib", inc, xml, false, {inc}};
    case Layout::Flat: return {"", "", xml, false, {}};
  }
  fail("internal error: unknown layout");
}

std::string default_tool_base(Layout layout, const fs::path& out_dir) {
  switch (layout) {
    case Layout::Package:
    case Layout::Flat: return "@TOOL_BASE@";
    case Layout::Prefix: return out_dir.string();
    case Layout::Dev: break;
  }
  return cmssw_relative(out_dir);
}

std::string cmssw_relative(const fs::path& path) {
  const char* base = std::getenv("CMSSW_BASE");
  if (base == nullptr || *base == '\0') return path.string();
  const fs::path rel = path.lexically_normal().lexically_relative(fs::absolute(base).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return path.string();
  return rel == "." ? "$CMSSW_BASE" : "$CMSSW_BASE/" + rel.generic_string();
}

std::vector<std::string> planned_files(const Config& config, const CompileOptions& options, bool dynamic_batch) {
  const std::string tool = effective_tool_name(config, options);
  const PackageLayout layout = package_layout(options.layout, tool);
  if (options.keep_sources && options.layout != Layout::Package)
    fail("--keep-sources is only for the package layout (-o)");
  const std::string& model = config.model.name;
  backend::PackageInfo pkg;
  pkg.model = model;
  pkg.dynamic_batch = dynamic_batch;
  for (int64_t bs : options.batch_sizes ? *options.batch_sizes : config.compilation.batch_sizes) {
    backend::UnitInfo u;
    u.model = model;
    u.batch_size = bs;
    pkg.units.push_back(u);
  }
  std::vector<std::string> files;
  auto add = [&](const fs::path& p) { files.push_back(p.lexically_normal().generic_string()); };
  for (const auto& o : backend::object_files(pkg)) add(layout.lib / o);
  for (const auto& u : pkg.units) {
    add(layout.include / (u.struct_name() + ".h"));
    if (options.keep_sources) add(fs::path("src") / (u.struct_name() + ".cc"));
  }
  if (dynamic_batch) {
    add(layout.include / (model + "_dyn.h"));
    if (options.keep_sources) add("src/" + model + "_dyn.cc");
  }
  add(layout.include / "model.h");
  add(layout.tool_file);
  if (layout.build_files) {
    const fs::path cmake = fs::path("lib") / "cmake" / tool;
    add(cmake / (tool + "Config.cmake"));
    add(cmake / (tool + "ConfigVersion.cmake"));
    add(fs::path("lib") / "pkgconfig" / (tool + ".pc"));
  }
  if (options.keep_sources) {
    for (const auto& f : backend::kernel_headers()) add(fs::path("src") / f.path);
    add("src/" + model + "_weights.S");
    add("src/" + model + "_weights.bin");
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> input_files(const Config& config) {
  std::vector<fs::path> deps;
  const fs::path model = fs::absolute(config.model_path()).lexically_normal();
  std::error_code ec;
  if (fs::is_directory(model, ec)) {
    for (const char* f : {"saved_model.pb", "saved_model.pbtxt"})
      if (fs::exists(model / f, ec)) {
        deps.push_back(model / f);
        break;
      }
    if (fs::is_directory(model / "variables", ec))
      for (const auto& e : fs::recursive_directory_iterator(model / "variables"))
        if (e.is_regular_file()) deps.push_back(e.path());
  } else {
    deps.push_back(model);
  }
  if (const fs::path& rules = config.compilation.batch_rules; !rules.empty())
    deps.push_back(fs::absolute(rules).lexically_normal());
  std::sort(deps.begin(), deps.end());
  deps.insert(deps.begin(), fs::absolute(config.file).lexically_normal());
  return deps;
}

namespace {

// Make syntax: spaces, '#' and ':' escaped with a backslash, '$' doubled. Make has no way to
// write a control character (a newline plus a tab would start a recipe): such a path is an error.
std::string make_escape(const fs::path& p) {
  std::string r;
  for (char c : p.string()) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      fail("--depfile: the path '{}' has a control character, which a depfile cannot express", printable(p.string()));
    if (c == ' ' || c == '#' || c == ':' || c == '\\') r += '\\';
    if (c == '$') r += '$';
    r += c;
  }
  return r;
}

fs::path temp_sibling(const fs::path& path, const std::string& what) {
  std::string tmpl = (path.parent_path() / ("." + path.filename().string() + ".tfaot-" + what + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) fail("cannot create a temporary directory beside {}", path.string());
  return tmpl;
}

}  // namespace

void check_depfile_paths(const std::vector<fs::path>& paths) {
  for (const auto& p : paths) make_escape(p);
}

void write_depfile(const fs::path& depfile, const std::vector<fs::path>& outputs, const std::vector<fs::path>& inputs) {
  std::string text;
  for (size_t i = 0; i < outputs.size(); ++i) text += (i ? " \\\n  " : "") + make_escape(outputs[i]);
  text += ":";
  for (const auto& in : inputs) text += " \\\n  " + make_escape(in);
  text += "\n";
  const fs::path target = fs::absolute(depfile);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  write_atomically(target, text);
}

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tfaot-tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      fail("cannot write {}", path.string());
    }
  }
  fs::rename(tmp, path);
}

void check_replaceable(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(dir, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_directory(st)) fail("output path {} exists and is not a directory", dir.string());
  if (fs::is_regular_file(fs::symlink_status(dir / kPackageMarker, ec))) return;
  // A package of a tfaot from before the marker: include/TOOL/model.h that tfaot generated.
  for (auto it = fs::directory_iterator(dir / "include", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path header = it->path() / "model.h";
    if (!fs::is_regular_file(fs::symlink_status(header, ec))) continue;
    std::ifstream in(header);
    std::string first;
    std::getline(in, first);
    if (first.rfind("// Generated by tfaot: model '", 0) == 0) return;
  }
  ec.clear();
  // Empty, or only empty directories: build systems (Ninja, Make) create the directories of a
  // command's declared outputs before running it.
  bool only_dirs = true;
  for (auto it = fs::recursive_directory_iterator(dir, ec); only_dirs && !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    only_dirs = it->is_directory(ec) && !it->is_symlink(ec);
  if (only_dirs && !ec) return;
  fail("output directory {} exists and is not a package tfaot wrote (it has no {}): tfaot replaces only "
       "its own output; remove the directory or give another one",
       dir.string(), kPackageMarker);
}

void write_package_marker(const fs::path& dir, const std::string& model) {
  write_atomically(dir / kPackageMarker,
             "This directory is a package written by tfaot-compile for model '" + model +
                 "'.\nA new compilation into it replaces the whole directory.\n");
}

void replace_dir(const fs::path& from, const fs::path& to) {
  if (!fs::exists(to)) {
    fs::create_directories(to.parent_path());
    fs::rename(from, to);
    return;
  }
  const fs::path old = temp_sibling(to, "old");
  fs::remove(old);
  fs::rename(to, old);
  try {
    fs::rename(from, to);
  } catch (...) {
    fs::rename(old, to);
    throw;
  }
  fs::remove_all(old);
}

void merge_into(const fs::path& stage, const fs::path& out_dir, const std::vector<std::string>& files,
                const PackageLayout& layout, const std::string& model) {
  for (const auto& d : layout.owned)
    if (fs::exists(stage / d)) replace_dir(stage / d, out_dir / d);
  for (const auto& f : files) {
    const fs::path rel = f;
    bool in_owned = false;
    for (const auto& d : layout.owned)
      in_owned = in_owned || rel.generic_string().rfind(d.generic_string() + "/", 0) == 0;
    if (in_owned) continue;
    fs::create_directories((out_dir / rel).parent_path());
    fs::rename(stage / rel, out_dir / rel);
  }
  // Batch sizes (or a dynamic-batch entry) an earlier compilation had and this one has not;
  // in the flat layout their headers sit beside the objects.
  const bool flat = layout.lib == layout.include;
  const std::regex stale(model + (flat ? "_(bs[0-9]+|dyn)\\.[oh]" : "_(bs[0-9]+|dyn)\\.o"));
  const fs::path dir = out_dir / layout.lib;
  std::error_code ec;
  if (fs::is_directory(dir, ec))
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string rel = (layout.lib / e.path().filename()).lexically_normal().generic_string();
      if (std::regex_match(e.path().filename().string(), stale) &&
          std::find(files.begin(), files.end(), rel) == files.end())
        fs::remove(e.path());
    }
}

}  // namespace tfaot::driver
