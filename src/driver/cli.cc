#include "driver/cli.h"

#include <iostream>

#include "support/interrupt.h"
#include "support/limits.h"

namespace tfaot::driver {

int run_tool(const char* tool, int error_exit, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    // After a signal, whatever failed (a killed child, an unwound step) is the interruption.
    if (const int sig = interrupt_signal()) {
      std::cerr << tool << ": " << Interrupted(sig).what() << std::endl;
      return 128 + sig;
    }
    std::string msg = e.what();
    for (char& c : msg)
      if (c == '\n') c = ' ';
    std::cerr << tool << ": error: " << msg << std::endl;
    return error_exit;
  }
}

int parse_args(CLI::App& app, int argc, char** argv, const char* tool, int error_exit) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << tool << ": error: " << e.what() << " (see --help)\n";
    return error_exit;
  }
  return -1;
}

std::pair<std::string, Tensor> parse_pin(const std::string& spec) {
  auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0) fail("--pin '{}': expected NAME:0=VALUE", spec);
  std::string name = spec.substr(0, eq), v = spec.substr(eq + 1);
  if (v == "false" || v == "true") return {name, Tensor::scalar<bool>(v == "true")};
  try {
    size_t used = 0;
    if (v.find_first_of(".eE") == std::string::npos) {
      long long i = std::stoll(v, &used);
      if (used == v.size() && i >= INT32_MIN && i <= INT32_MAX)
        return {name, Tensor::scalar<int32_t>(static_cast<int32_t>(i))};
    } else {
      float f = std::stof(v, &used);
      if (used == v.size()) return {name, Tensor::scalar<float>(f)};
    }
  } catch (const std::exception&) {
  }
  fail("--pin '{}': value must be true, false, an int32 or a float", spec);
}

CLI::Option* add_model_options(CLI::App& app, frontend::LoadOptions& load,
                               std::vector<std::string>& pins) {
  app.add_option("--tags", load.tags, "MetaGraphDef tags (default: serve)")->delimiter(',');
  auto* key = app.add_option("-k,--serving-key", load.signature_key,
                             "SignatureDef key (default: serving_default)");
  app.add_option("--input", load.inputs, "frozen graph: input tensor name (repeatable)");
  app.add_option("--output", load.outputs, "frozen graph: output tensor name (repeatable)");
  app.add_option("--pin", pins, "tensor pinned to a constant, NAME:0=VALUE (repeatable)");
  return key;
}

void apply_pins(frontend::LoadOptions& load, const std::vector<std::string>& pins) {
  for (const auto& p : pins) load.pinned.insert(parse_pin(p));
}

void add_limit_option(CLI::App& app) {
  app.add_option_function<std::vector<std::string>>(
         "--limit",
         [](const std::vector<std::string>& specs) {
           for (const auto& s : specs) {
             auto [which, value] = parse_limit(s);
             set_limit(which, value);
           }
         },
         "resource limit NAME=VALUE (repeatable; K/M/G suffixes), NAME one of:\n" + limits_help())
      ->check(CLI::Validator(
          [](std::string& spec) -> std::string {
            try {
              parse_limit(spec);
            } catch (const Error& e) {
              return e.what();
            }
            return "";
          },
          "NAME=VALUE"));
}

}  // namespace tfaot::driver
