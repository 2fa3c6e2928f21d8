#include "driver/xla_flags.h"

#include <sstream>

#include "support/error.h"

namespace tfaot::driver {

namespace {

// Flags of saved_model_cli aot_compile_cpu that take a value (so "--name value" is one flag).
bool takes_value(const std::string& name) {
  for (const char* n : {"target_triple", "target_cpu", "target_features", "multithreading", "variables_to_feed",
                        "checkpoint_path", "signature_def_key", "tag_set", "output_prefix", "cpp_class", "dir"})
    if (name == n) return true;
  return false;
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

XlaFlags parse_xla_flags(const std::string& flags) {
  std::vector<std::string> words;
  std::istringstream in(flags);
  for (std::string w; in >> w;) words.push_back(unquote(w));
  XlaFlags r;
  std::string cpu;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) != 0) {
      r.notes.push_back("ignoring '" + w + "' in --additional-flags (not a flag)");
      continue;
    }
    std::string name = w.substr(2), value;
    const size_t eq = name.find('=');
    const bool has_value = eq != std::string::npos;
    if (has_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (takes_value(name) && i + 1 < words.size() && words[i + 1].rfind("--", 0) != 0) {
      value = words[++i];
    }
    const std::string shown = "--" + name + (value.empty() ? "" : "=" + value);
    if (name == "target_triple") {
      const std::string arch = value.substr(0, value.find('-'));
      r.triple_arch = arch;
      if (arch == "x86_64") {
        // The configured target (x86-64-v3 by default) already is an x86_64 one.
      } else if (arch == "aarch64" || arch == "arm64") {
        r.target = "aarch64";  // cross-compiled unless the host is one (targets.md)
      } else if (arch.empty()) {
        r.notes.push_back("ignoring " + shown + ": no architecture before the first '-'; compiling for " +
                          "compilation.target");
      } else {
        fail("--additional-flags {}: tfaot generates code for x86_64 and aarch64 only", shown);
      }
    } else if (name == "target_cpu") {
      cpu = value;
    } else {
      r.notes.push_back("ignoring " + shown + " in --additional-flags (an XLA flag without a tfaot equivalent)");
    }
  }
  // A CPU names the -march (x86) or -mcpu (aarch64) value: tfaot's target.
  if (!cpu.empty()) r.target = cpu;
  return r;
}

}  // namespace tfaot::driver
