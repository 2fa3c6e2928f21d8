// cmsml_check_aot_compatibility: cmsml's command of that name (cmsml/scripts/
// check_aot_compatibility.py) with tfaot's op support in place of TensorFlow's XLA op table, so
// that CMS users keep their commands. Same arguments (argparse's, abbreviations included), the
// same tabulate table and the same summary line per device, exit 0 also for an incompatible
// model. tfaot compiles for the CPU only: gpu and tpu get a "not supported" line before the cpu
// summary, which stays the last line. Deviations: docs/cmsml-check.md.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <regex>

#include "driver/check.h"
#include "driver/cli.h"
#include "driver/tabulate.h"

namespace {

using tfaot::fail;
constexpr const char* kTool = "cmsml_check_aot_compatibility";

// cmsml's util.colored, but only on a terminal (cmsml colors unconditionally, which puts escape
// codes into files and pipes) and not with NO_COLOR set.
std::string colored(const std::string& s, const char* color) {
  static const bool tty = isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  if (!tty) return s;
  const int code = std::string_view(color) == "magenta" ? 35 : std::string_view(color) == "red" ? 31 : 32;
  return "\033[" + std::to_string(code) + "m" + s + "\033[0m";
}

// os.path.expandvars(os.path.expanduser(path)), as cmsml's load_graph_def does.
std::string expand_path(std::string path) {
  if (!path.empty() && path[0] == '~') {
    const size_t slash = std::min(path.find('/'), path.size());
    const std::string user = path.substr(1, slash - 1);
    const char* home = nullptr;
    if (user.empty()) {
      home = std::getenv("HOME");
      if (!home)
        if (const passwd* pw = getpwuid(getuid())) home = pw->pw_dir;
    } else if (const passwd* pw = getpwnam(user.c_str())) {
      home = pw->pw_dir;
    }
    if (home) path = home + path.substr(slash);
  }
  // $NAME and ${NAME}; unset variables stay as written (Python's expandvars).
  static const std::regex var(R"(\$(\w+|\{[^}]*\}))");
  std::string out;
  auto begin = std::sregex_iterator(path.begin(), path.end(), var);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1].str();
    if (name.front() == '{') name = name.substr(1, name.size() - 2);
    const char* value = std::getenv(name.c_str());
    out += path.substr(last, it->position() - last) + (value ? std::string(value) : it->str());
    last = it->position() + it->length();
  }
  return out + path.substr(last);
}

// argparse accepts any unambiguous prefix of a long option (--table-f, --serv); CLI11 does not.
// Rewrites such prefixes to the full name; an ambiguous one is argparse's usage error.
void expand_abbreviations(const CLI::App& app, std::vector<std::string>& args) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options())
    for (const auto& n : opt->get_lnames()) names.push_back(n);
  for (auto& a : args) {
    if (a == "--") break;
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) continue;
    const size_t eq = a.find('=');
    const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::vector<std::string> match;
    for (const auto& n : names)
      if (n.compare(0, name.size(), name) == 0) match.push_back("--" + n);
    if (match.size() > 1)
      throw CLI::ValidationError(
          fmt::format("ambiguous option: --{} could match {}", name, fmt::join(match, ", ")));
    if (match.size() == 1) a = match[0] + (eq == std::string::npos ? "" : a.substr(eq));
  }
}

// "cpu,gpu" -> {cpu, gpu}: the devices in order, once each (cmsml dedups them too).
std::vector<std::string> parse_devices(const std::string& spec) {
  std::vector<std::string> devices;
  size_t start = 0;
  for (size_t comma; start <= spec.size(); start = comma + 1) {
    comma = std::min(spec.find(',', start), spec.size());
    std::string d = spec.substr(start, comma - start);
    d.erase(0, d.find_first_not_of(" \t"));
    d.erase(d.find_last_not_of(" \t") + 1);
    if (d != "cpu" && d != "gpu" && d != "tpu")
      fail("--devices: '{}' is not a device; choices: cpu, gpu, tpu", d);
    if (std::find(devices.begin(), devices.end(), d) == devices.end()) devices.push_back(d);
  }
  return devices;
}

int run(int argc, char** argv) {
  CLI::App app{"performs XLA / AOT compatibility checks on a TensorFlow graph, with the ops "
               "tfaot compiles (tfaot's cmsml_check_aot_compatibility)", kTool};
  std::string model_path, format = "grid", devices_spec = "cpu";
  tfaot::frontend::LoadOptions o;
  std::vector<std::string> pins;
  bool table = false;
  app.add_option("model_path", model_path, "the path of the model to open");
  // argparse keeps the last of a repeated option; CLI11 would reject the repetition.
  const auto last = CLI::MultiOptionPolicy::TakeLast;
  tfaot::driver::add_model_options(app, o, pins)
      ->description("serving key of the graph in model_path; default: serving_default")
      ->multi_option_policy(last);
  app.add_flag("-t,--table", table,
               "just print a table showing which operations are AOT supported for --devices");
  app.add_option("-f,--table-format", format, "the tabulate format for printed tables; default: grid")
      ->multi_option_policy(last);
  app.add_option("-d,--devices", devices_spec,
                 "comma separated list of devices to check; choices: cpu,gpu,tpu (tfaot compiles for "
                 "cpu only), default: cpu")
      ->multi_option_policy(last);
  tfaot::driver::add_limit_option(app);
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    expand_abbreviations(app, args);
  } catch (const CLI::ValidationError& e) {
    std::cerr << kTool << ": error: " << e.what() << " (see --help)\n";
    return 2;  // argparse's usage errors
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << kTool << ": error: " << e.what() << " (see --help)\n";
    return 2;
  }
  const auto devices = parse_devices(devices_spec);
  tfaot::driver::check_table_format(format);  // before loading a model for nothing
  const bool cpu = std::find(devices.begin(), devices.end(), "cpu") != devices.end();
  auto print_unsupported_devices = [&] {
    for (const auto& d : devices)
      if (d != "cpu")
        std::cout << "\n" << colored(d, "magenta") << ": " << colored("not supported", "red")
                  << " (tfaot compiles for CPU only)\n";
  };
  const std::vector<std::string> headers = {"Operation", "cpu"};

  if (table) {
    if (cpu)
      std::cout << tfaot::driver::tabulate(tfaot::driver::supported_op_rows(), headers, format) << "\n";
    print_unsupported_devices();
    return 0;
  }
  if (model_path.empty()) {
    std::cerr << "either '--model-path PATH' or '--table' must be set\n";
    return 1;
  }
  if (!cpu) {
    print_unsupported_devices();
    return 0;
  }
  tfaot::driver::apply_pins(o, pins);
  o.path = expand_path(model_path);
  const auto check = tfaot::driver::check_model_ops(o);
  std::cout << tfaot::driver::tabulate(tfaot::driver::op_rows(check), headers, format) << "\n";
  print_unsupported_devices();

  // cmsml names the incompatible ops in the order the model uses them first.
  std::vector<std::string> failed;
  for (const auto& op : check.used)
    if (!check.supported(op)) failed.push_back(op);
  std::cout << "\n" << colored("cpu", "magenta") << ": ";
  if (failed.empty())
    std::cout << colored("all ops compatible", "green") << "\n";
  else
    std::cout << colored("not compatible", "red") << ", " << failed.size()
              << " incompatible ops: " << fmt::format("{}", fmt::join(failed, ", ")) << "\n";
  return 0;  // cmsml reports; it does not fail on an incompatible model
}

}  // namespace

int main(int argc, char** argv) {
  // Errors (a model that cannot be loaded, a bad device) exit 1, as a Python exception does.
  return tfaot::driver::run_tool(kTool, 1, [&] { return run(argc, argv); });
}
