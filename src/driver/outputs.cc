#include "driver/outputs.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>

#include "backend/kernel_sources.h"
#include "backend/package.h"
#include "support/error.h"

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

fs::path tool_file_path(const std::string& tool, bool install) {
  return install ? fs::path("etc") / "scram.d" / (tool + ".xml") : fs::path(tool + ".xml");
}

std::vector<std::string> planned_files(const Config& config, const CompileOptions& options, bool dynamic_batch) {
  const std::string tool = effective_tool_name(config, options);
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
  const fs::path inc = fs::path("include") / tool, cmake = fs::path("lib") / "cmake" / tool;
  for (const auto& o : backend::object_files(pkg)) files.push_back((fs::path("lib") / o).generic_string());
  for (const auto& u : pkg.units) {
    files.push_back((inc / (u.struct_name() + ".h")).generic_string());
    if (options.keep_sources) files.push_back((fs::path("src") / (u.struct_name() + ".cc")).generic_string());
  }
  if (dynamic_batch) {
    files.push_back((inc / (model + "_dyn.h")).generic_string());
    if (options.keep_sources) files.push_back("src/" + model + "_dyn.cc");
  }
  files.push_back((inc / "model.h").generic_string());
  files.push_back(tool_file_path(tool, !options.install_prefix.empty()).generic_string());
  files.push_back((cmake / (tool + "Config.cmake")).generic_string());
  files.push_back((cmake / (tool + "ConfigVersion.cmake")).generic_string());
  files.push_back((fs::path("lib") / "pkgconfig" / (tool + ".pc")).generic_string());
  if (options.keep_sources) {
    for (const auto& f : backend::kernel_headers()) files.push_back((fs::path("src") / f.path).generic_string());
    files.push_back("src/" + model + "_weights.S");
    files.push_back("src/" + model + "_weights.bin");
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

// Make syntax: spaces, '#' and ':' escaped with a backslash, '$' doubled.
std::string make_escape(const fs::path& p) {
  std::string r;
  for (char c : p.string()) {
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

void merge_into_prefix(const fs::path& stage, const fs::path& prefix, const std::vector<std::string>& files,
                       const std::string& tool, const std::string& model) {
  const std::vector<fs::path> owned = {fs::path("include") / tool, fs::path("lib") / "cmake" / tool};
  for (const auto& d : owned)
    if (fs::exists(stage / d)) replace_dir(stage / d, prefix / d);
  for (const auto& f : files) {
    const fs::path rel = f;
    bool in_owned = false;
    for (const auto& d : owned) in_owned = in_owned || rel.generic_string().rfind(d.generic_string() + "/", 0) == 0;
    if (in_owned) continue;
    fs::create_directories((prefix / rel).parent_path());
    fs::rename(stage / rel, prefix / rel);
  }
  // Objects of batch sizes (or a dynamic-batch entry) an earlier install had and this one has not.
  const std::regex stale(model + "_(bs[0-9]+|dyn)\\.o");
  std::error_code ec;
  if (fs::is_directory(prefix / "lib", ec))
    for (const auto& e : fs::directory_iterator(prefix / "lib")) {
      const std::string name = e.path().filename().string();
      if (std::regex_match(name, stale) &&
          std::find(files.begin(), files.end(), "lib/" + name) == files.end())
        fs::remove(e.path());
    }
}

}  // namespace tfaot::driver
