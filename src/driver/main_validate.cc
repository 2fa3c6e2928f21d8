// tfaot-validate: does the generated code compute what TensorFlow computes?
//   tfaot-validate MODEL_DIR                       (uses MODEL_DIR/golden.json)
//   tfaot-validate -c aot_config.yaml --golden golden.json
//   tfaot-validate -c aot_config.yaml --reference  (generated code vs reference interpreter)
// Prints per batch size and output the max abs/rel error and PASS/FAIL, then
// "N passed, M failed"; exit 1 on any failure, 2 on an error. SIGINT/SIGTERM/SIGHUP stop it as
// they stop tfaot-compile (support/interrupt.h): children killed, temporaries removed, exit
// status 128 + signal.
#include <iostream>

#include "driver/cli.h"
#include "driver/config.h"
#include "driver/validate.h"
#include "support/interrupt.h"

namespace {

namespace fs = std::filesystem;
using namespace tfaot::driver;

int run(int argc, char** argv) {
  CLI::App app{"tfaot-validate: check tfaot's generated code against golden outputs or its reference interpreter"};
  std::string model, config_file, golden_file, batch_sizes, target = "native";
  std::vector<std::string> runners;
  bool reference = false, trace = false;
  double atol = -1, rtol = -1;
  app.add_option("model", model, "model directory (SavedModel or frozen graph with golden.json beside it)");
  app.add_option("-c,--aot-config", config_file, "aot_config.yaml (or .json)");
  app.add_option("--golden", golden_file, "golden.json (default: MODEL/golden.json)");
  app.add_flag("--reference", reference, "compare with the reference interpreter on random inputs");
  app.add_flag("--trace", trace, "on a failure, report the first node whose output diverges");
  app.add_option("--batch-sizes", batch_sizes, "batch sizes for --reference (default: the config's)");
  app.add_option("--target", target,
                 "compilation.target for the generated code (default: native; aarch64 needs --runner; several "
                 "x86-64 targets, e.g. x86-64-v2,x86-64-v3: one object with run-time dispatch)");
  app.add_option("--runner", runners,
                 "run the generated code as a static program under this command prefix, e.g. qemu-aarch64 or "
                 "\"qemu-x86_64 -cpu Nehalem\" (repeatable: every case is checked under each)");
  app.add_option("--atol", atol, "absolute tolerance (default 1e-5; --reference 1e-5)");
  app.add_option("--rtol", rtol, "relative tolerance (default 1e-4; --reference 1e-4)");
  add_limit_option(app);
  if (int rc = parse_args(app, argc, argv, "tfaot-validate", 2); rc >= 0) return rc;
  if (model.empty() && config_file.empty()) {
    std::cerr << "tfaot-validate: error: give a model directory or -c aot_config.yaml\n";
    return 2;
  }

  ValidateOptions options;
  if (!config_file.empty()) {
    Config config = load_config(config_file);
    for (const auto& w : config.warnings) std::cerr << "tfaot-validate: warning: " << w << "\n";
    options.load.path = config.model_path();
    options.load.tags = config.model.tags;
    options.load.signature_key = config.model.serving_key;
    options.load.inputs = config.model.inputs;
    options.load.outputs = config.model.outputs;
    options.load.pinned = config.model.pins;
    options.input_shapes = config.compilation.input_shapes;
    options.batch_sizes = config.compilation.batch_sizes;
    options.cxx = config.compilation.cxx;
  } else {
    fs::path golden = golden_file.empty() ? fs::path(model) / "golden.json" : fs::path(golden_file);
    fs::path model_path = model;
    if (fs::is_directory(model_path) && !fs::exists(model_path / "saved_model.pb") &&
        !fs::exists(model_path / "saved_model.pbtxt") && fs::exists(model_path / "model.pb"))
      model_path /= "model.pb";
    if (reference && golden_file.empty() && !fs::exists(golden))
      options.load.path = model_path;  // no golden file: nothing to take from it
    else
      options = options_from_golden(model_path, golden);
    if (golden_file.empty()) golden_file = golden.string();
  }
  if (!batch_sizes.empty()) options.batch_sizes = parse_batch_sizes(batch_sizes, "--batch-sizes");
  options.target = target;
  options.runners = runners;
  options.trace = trace;
  options.reference = reference;
  if (atol >= 0) options.tolerance.atol = atol;
  if (rtol >= 0) options.tolerance.rtol = rtol;

  ValidateReport report;
  if (reference) {
    if (options.batch_sizes.empty()) options.batch_sizes = {1};
    std::cout << "validating " << options.load.path.string() << " against the reference interpreter\n";
    report = validate_reference(options, &std::cout);
  } else {
    if (golden_file.empty()) {
      std::cerr << "tfaot-validate: error: --golden is required with -c (or use --reference)\n";
      return 2;
    }
    Golden golden = read_golden(golden_file);
    std::cout << "validating " << options.load.path.string() << " against " << golden_file << "\n";
    report = validate_golden(options, golden, &std::cout);
  }
  std::cout << report.passed() << " passed, " << report.failed() << " failed" << std::endl;
  return report.failed() == 0 && report.passed() > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  tfaot::install_interrupt_handling("tfaot-validate");
  return run_tool("tfaot-validate", 2, [&] { return run(argc, argv); });
}
