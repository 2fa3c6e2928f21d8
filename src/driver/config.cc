#include "driver/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "support/error.h"
#include "support/file.h"
#include "support/identifier.h"
#include "support/limits.h"

namespace tfaot::driver {

namespace fs = std::filesystem;

namespace {

class Parser {
 public:
  Parser(const fs::path& file, Config& cfg) : file_(file), cfg_(cfg) {}

  [[noreturn]] void error(const YAML::Node& n, const std::string& key, const std::string& what) const {
    fail("{}: {}", where(n), key + " " + what);
  }
  std::string where(const YAML::Node& n) const {
    std::string w = file_.filename().string();
    if (n.IsDefined() && n.Mark().line >= 0) w += ":" + std::to_string(n.Mark().line + 1);
    return w;
  }
  void warn(const YAML::Node& n, const std::string& msg) { cfg_.warnings.push_back(where(n) + ": " + msg); }

  // Warns about keys of `map` outside `known`.
  void check_keys(const YAML::Node& map, const std::string& prefix, const std::set<std::string>& known) {
    for (const auto& kv : map) {
      std::string k = kv.first.Scalar();
      if (!known.count(k)) warn(kv.first, "unknown key '" + prefix + k + "' ignored");
    }
  }

  std::string str(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) error(n, key, "must be a string");
    return n.Scalar();
  }
  bool boolean(const YAML::Node& n, const std::string& key) const {
    bool v;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) error(n, key, "must be true or false");
    return v;
  }
  std::vector<std::string> str_list(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) error(n, key, "must be a list of strings");
    for (const auto& e : n) {
      if (!e.IsScalar()) error(e, key, "must be a list of strings");
      out.push_back(e.Scalar());
    }
    return out;
  }
  static bool plain_int(const YAML::Node& n, int64_t& v) {
    if (!n.IsScalar() || n.Tag() == "!") return false;  // quoted scalars are strings
    const std::string& s = n.Scalar();
    if (s.empty() || s.find_first_not_of("+-0123456789") != std::string::npos) return false;
    try {
      size_t used = 0;
      v = std::stoll(s, &used);
      return used == s.size();
    } catch (const std::exception&) {
      return false;
    }
  }
  fs::path path(const YAML::Node& n, const std::string& key) const {
    fs::path p = str(n, key);
    if (p.empty()) error(n, key, "must not be empty");
    return p.is_absolute() ? p : (fs::absolute(file_).parent_path() / p).lexically_normal();
  }

  Tensor pin(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) error(n, key, "must be true, false, an integer or a float");
    bool b;
    int64_t i;
    if (n.Tag() != "!" && YAML::convert<bool>::decode(n, b)) return Tensor::scalar<bool>(b);
    if (plain_int(n, i)) return Tensor::scalar<int32_t>(static_cast<int32_t>(i));
    try {
      size_t used = 0;
      float f = std::stof(n.Scalar(), &used);
      if (used == n.Scalar().size() && n.Tag() != "!") return Tensor::scalar<float>(f);
    } catch (const std::exception&) {
    }
    error(n, key, "must be true, false, an integer or a float");
  }

  void parse(const YAML::Node& root) {
    if (!root.IsMap()) fail("{}: must be a mapping with 'model' and 'compilation'", file_.filename().string());
    check_keys(root, "", {"model", "compilation"});
    parse_model(root["model"]);
    parse_compilation(root["compilation"]);
  }

  void parse_model(const YAML::Node& m) {
    ModelConfig& mc = cfg_.model;
    if (!m.IsDefined() || m.IsNull()) fail("{}: missing 'model' section", file_.filename().string());
    if (!m.IsMap()) error(m, "model", "must be a mapping");
    check_keys(m, "model.", {"name", "version", "saved_model", "graph", "serving_key", "author", "description",
                             "tags", "inputs", "outputs", "pins"});
    if (!m["name"]) fail("{}: missing 'model.name'", where(m));
    mc.name = str(m["name"], "model.name");
    if (const std::string why = model_name_problem(mc.name); !why.empty())
      error(m["name"], "model.name", "must be a C++ identifier that is not reserved: '" + printable(mc.name) + "' " + why);
    if (m["version"]) mc.version = str(m["version"], "model.version");
    if (const std::string why = version_problem(mc.version); !why.empty())
      error(m["version"], "model.version", "'" + printable(mc.version) + "' " + why);
    if (m["serving_key"] && !m["serving_key"].IsNull()) mc.serving_key = str(m["serving_key"], "model.serving_key");
    if (m["author"]) mc.author = str(m["author"], "model.author");
    if (m["description"]) mc.description = str(m["description"], "model.description");
    if (m["tags"]) mc.tags = str_list(m["tags"], "model.tags");
    if (m["inputs"]) mc.inputs = str_list(m["inputs"], "model.inputs");
    if (m["outputs"]) mc.outputs = str_list(m["outputs"], "model.outputs");
    if (const auto p = m["pins"]; p) {
      if (!p.IsMap()) error(p, "model.pins", "must be a mapping of tensor name to value");
      for (const auto& kv : p) mc.pins[kv.first.Scalar()] = pin(kv.second, "model.pins." + kv.first.Scalar());
    }
    if (m["graph"] && m["saved_model"])
      fail("{}: model.graph and model.saved_model are exclusive", where(m["graph"]));
    if (m["graph"]) {
      mc.graph = path(m["graph"], "model.graph");
      if (!fs::is_regular_file(mc.graph))
        error(m["graph"], "model.graph", "file " + mc.graph.string() + " does not exist");
    } else {
      // cms-tfaot's default is a "saved_model" directory beside the config.
      mc.saved_model = m["saved_model"] ? path(m["saved_model"], "model.saved_model")
                                        : (fs::absolute(file_).parent_path() / "saved_model").lexically_normal();
      if (!fs::is_directory(mc.saved_model))
        error(m["saved_model"], "model.saved_model", "directory " + mc.saved_model.string() + " does not exist");
    }
  }

  void parse_compilation(const YAML::Node& c) {
    CompilationConfig& cc = cfg_.compilation;
    if (!c.IsDefined() || c.IsNull()) fail("{}: missing 'compilation' section", file_.filename().string());
    if (!c.IsMap()) error(c, "compilation", "must be a mapping");
    check_keys(c, "compilation.", {"batch_sizes", "namespace", "tf_xla_flags", "xla_flags", "input_shapes",
                                   "target", "cxx", "cxxflags", "fast_math", "dynamic_batch", "batch_rules",
                                   "block_rows"});
    const auto bs = c["batch_sizes"];
    if (!bs) fail("{}: missing 'compilation.batch_sizes'", where(c));
    if (!bs.IsSequence() || bs.size() == 0) error(bs, "compilation.batch_sizes", "must be a list of positive integers");
    check_limit(Limit::BatchSizes, static_cast<int64_t>(bs.size()), where(bs) + ": compilation.batch_sizes");
    for (const auto& e : bs) {
      int64_t v;
      if (!plain_int(e, v) || v < 1) error(bs, "compilation.batch_sizes", "must be a list of positive integers");
      cc.batch_sizes.push_back(v);
    }
    std::sort(cc.batch_sizes.begin(), cc.batch_sizes.end());
    cc.batch_sizes.erase(std::unique(cc.batch_sizes.begin(), cc.batch_sizes.end()), cc.batch_sizes.end());
    if (c["namespace"] && !c["namespace"].IsNull()) {
      cc.ns = str(c["namespace"], "compilation.namespace");
      if (const std::string why = namespace_problem(cc.ns); !why.empty())
        error(c["namespace"], "compilation.namespace",
              "must be a C++ namespace name like 'tfaot_model' or 'a::b': '" + printable(cc.ns) + "' " + why);
    }
    if (c["tf_xla_flags"]) cc.tf_xla_flags = str_list(c["tf_xla_flags"], "compilation.tf_xla_flags");
    if (c["xla_flags"]) cc.xla_flags = str_list(c["xla_flags"], "compilation.xla_flags");
    if (const auto t = c["target"]; t) {
      // One -march value, or a list of them (run-time dispatch).
      const std::vector<std::string> items =
          t.IsSequence() ? str_list(t, "compilation.target") : std::vector{str(t, "compilation.target")};
      std::string joined;
      for (const auto& item : items) joined += (joined.empty() ? "" : ",") + item;
      try {
        cc.targets = parse_targets(joined, "compilation.target");
      } catch (const Error&) {
        error(t, "compilation.target", "must be a -march value or a non-empty list of them");
      }
    }
    if (const auto d = c["dynamic_batch"]; d) {
      bool on = false;
      if (d.IsScalar() && d.Scalar() == "auto") cc.dynamic_batch = CompilationConfig::Dynamic::Auto;
      else if (d.IsScalar() && YAML::convert<bool>::decode(d, on))
        cc.dynamic_batch = on ? CompilationConfig::Dynamic::On : CompilationConfig::Dynamic::Off;
      else error(d, "compilation.dynamic_batch", "must be true, false or auto");
    }
    if (const auto b = c["block_rows"]; b) {
      int64_t rows = 0;
      if (b.IsScalar() && b.Scalar() == "auto") cc.block_rows = -1;
      else if (b.IsScalar() && YAML::convert<int64_t>::decode(b, rows) && rows >= 0 && rows <= 4096)
        cc.block_rows = rows;
      else error(b, "compilation.block_rows", "must be auto or an integer from 0 (never) to 4096");
    }
    if (const auto r = c["batch_rules"]; r) {
      cc.batch_rules = path(r, "compilation.batch_rules");
      cc.batch_rules_origin = "compilation.batch_rules, " + where(r);
    }
    if (c["cxx"]) cc.cxx = str(c["cxx"], "compilation.cxx");
    if (c["cxxflags"]) cc.cxxflags = str_list(c["cxxflags"], "compilation.cxxflags");
    if (c["fast_math"]) cc.fast_math = boolean(c["fast_math"], "compilation.fast_math");
    if (const auto s = c["input_shapes"]; s) {
      if (!s.IsMap()) error(s, "compilation.input_shapes", "must be a mapping of input key to a list of dims");
      for (const auto& kv : s) {
        const std::string key = "compilation.input_shapes." + kv.first.Scalar();
        if (!kv.second.IsSequence()) error(kv.second, key, "must be a list of dims (integers, -1 or \"B\" = batch)");
        Shape shape;
        for (const auto& d : kv.second) {
          int64_t v;
          if (d.IsScalar() && (d.Scalar() == "B" || d.Scalar() == "b")) v = -1;
          else if (!plain_int(d, v) || v < -1) error(d, key, "must be a list of dims (integers, -1 or \"B\" = batch)");
          shape.push_back(v);
        }
        cc.input_shapes[kv.first.Scalar()] = shape;
      }
    }
    apply_xla_flags(c);
  }

  // XLA flags have no direct meaning for tfaot; the fast-math switch maps to ours.
  void apply_xla_flags(const YAML::Node& c) {
    auto handle = [&](const std::string& flag, const char* list) {
      std::string name = flag, value;
      if (auto eq = flag.find('='); eq != std::string::npos) name = flag.substr(0, eq), value = flag.substr(eq + 1);
      if (name == "--xla_cpu_enable_fast_math") {
        if (!c["fast_math"]) cfg_.compilation.fast_math = value.empty() || value == "true" || value == "1";
        return;
      }
      // Accepted without effect: tfaot never relaxes NaN/Inf/division semantics.
      if (name.rfind("--xla_cpu_fast_math_honor_", 0) == 0) return;
      warn(c[list], std::string("ignoring unsupported flag '") + flag + "' in compilation." + list);
    };
    for (const auto& f : cfg_.compilation.xla_flags) handle(f, "xla_flags");
    for (const auto& f : cfg_.compilation.tf_xla_flags) handle(f, "tf_xla_flags");
  }

 private:
  fs::path file_;
  Config& cfg_;
};

}  // namespace

Config parse_config(const std::string& text, const fs::path& file) {
  Config cfg;
  cfg.file = file;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail("{}:{}: invalid YAML/JSON: {}", file.filename().string(), e.mark.line + 1, e.msg);
  }
  Parser p(file, cfg);
  try {
    p.parse(root);
  } catch (const YAML::Exception& e) {
    fail("{}:{}: {}", file.filename().string(), e.mark.line + 1, e.msg);
  }
  return cfg;
}

Config load_config(const fs::path& file) {
  if (!fs::exists(file)) fail("{}: config file does not exist", file.string());
  if (fs::is_directory(file)) fail("{}: is a directory, not a config file", file.string());
  // A config is a few hundred bytes; 16 MiB bounds a FIFO-free, device-free read of anything.
  return parse_config(read_regular_file(file, "config file", uint64_t{16} << 20), file);
}

std::vector<std::string> parse_targets(const std::string& text, const std::string& what) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    if (item.empty() || item.find_first_of(" \t") != std::string::npos)
      fail("{} must be a -march value or a comma-separated list of them, got '{}'", what, text);
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  if (out.empty()) fail("{} must not be empty", what);
  return out;
}

std::vector<int64_t> parse_batch_sizes(const std::string& text, const std::string& what) {
  std::vector<int64_t> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || v < 1)
      fail("{} must be a comma-separated list of positive integers, got '{}'", what, text);
    out.push_back(v);
  }
  if (out.empty()) fail("{} must not be empty", what);
  check_limit(Limit::BatchSizes, static_cast<int64_t>(out.size()), what);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace tfaot::driver
