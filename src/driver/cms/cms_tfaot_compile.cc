// cms_tfaot_compile: cms-tfaot 1.0.1's command (CMSDIST's tfaot-compile.file, the CMSSW dev
// workflow, CMSSW's testAOTTools.py) on top of tfaot's compiler, no TensorFlow. Same flags, the
// same output layouts (flat without --dev, include/TOOL + lib with --dev; merged into the
// output directory, which is created with its parents), the same progress and next-steps text.
// XLA's --additional-flags are mapped to tfaot's options where one exists (driver/xla_flags.h),
// others are accepted with a one-line note. Errors: one line on stderr, exit 1, nothing written.
#include <sys/utsname.h>
#include <unistd.h>

#include <iostream>

#include "driver/cli.h"
#include "driver/compile.h"
#include "driver/config.h"
#include "driver/xla_flags.h"
#include "support/interrupt.h"

namespace {

namespace driver = tfaot::driver;

// argparse takes a value that starts with "-" after --additional-flags (cms-tfaot's own test
// and CMSDIST pass "--additional-flags=--target_triple ..." but a separate word must work
// too); CLI11 would read it as an option, so it is joined to its flag first.
std::vector<std::string> join_additional_flags(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--additional-flags" && i + 1 < argc) a += std::string("=") + argv[++i];
    args.push_back(a);
  }
  std::reverse(args.begin(), args.end());  // CLI11's parse(vector) takes them reversed
  return args;
}

std::string host_machine() {
  utsname u{};
  return uname(&u) == 0 ? u.machine : "";
}

int run(int argc, char** argv) {
  CLI::App app{
      "Script that takes an AOT configuration file, compiles the referenced model and provides all files "
      "necessary for the production deployment (tfaot: no TensorFlow needed)."};
  app.name("cms_tfaot_compile");
  std::string config_file, out_dir, tool_name, tool_base, additional;
  bool dev = false;
  app.add_option("-c,--aot-config", config_file, "aot configuration file (yaml or json)")->required();
  app.add_option("-o,--output-directory", out_dir, "output directory for compile targets")->required();
  app.add_option("--tool-name", tool_name, "name of the tool; defaults to 'tfaot-model-<model-name>'");
  auto* base_opt = app.add_option("--tool-base", tool_base, "base directory of the tool; no default");
  app.add_flag("--dev", dev, "activates the development workflow, setting some variables to sensible defaults");
  app.add_option("--additional-flags", additional,
                 "additional flags of the underlying XLA aot compiler: --target_triple and --target_cpu are "
                 "mapped to tfaot's target, others are ignored with a note");
  try {
    app.parse(join_additional_flags(argc, argv));
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "cms_tfaot_compile: error: " << e.what() << " (see --help)\n";
    return 2;  // argparse's exit code for usage errors
  }

  const driver::XlaFlags flags = driver::parse_xla_flags(additional);
  for (const auto& n : flags.notes) std::cerr << "cms_tfaot_compile: note: " << n << "\n";
  // cms-tfaot warns in dev mode when the target triple's architecture is not the host's.
  if (dev && !flags.triple_arch.empty() && flags.triple_arch != host_machine())
    std::cout << "\nWARNING: your platform architecture is '" << host_machine()
              << "' which does not match the configured '--target_triple' of '" << flags.triple_arch
              << "', which can lead to unexpected behavior in the compiled model, so please set the correct "
                 "target via --additional-flags=\"--target_triple=<arch>-unknown-linux\"\n\n";

  driver::Config config = driver::load_config(config_file);
  for (const auto& w : config.warnings) std::cerr << "cms_tfaot_compile: warning: " << w << "\n";
  driver::CompileOptions options;
  options.out_dir = out_dir;
  options.layout = dev ? driver::Layout::Dev : driver::Layout::Flat;
  options.tool_name = tool_name;
  if (base_opt->count() > 0 && !tool_base.empty()) options.tool_base = tool_base;
  options.target = flags.target;
  // cmsml's progress line per batch size (colored, as cmsml does, on a terminal only).
  const bool tty = isatty(STDOUT_FILENO) != 0;
  options.on_batch_size = [tty](int64_t bs) {
    std::cout << "compiling for batch size " << (tty ? "\033[35m" : "") << bs << (tty ? "\033[0m" : "")
              << std::endl;
  };
  const driver::CompileResult result = driver::compile_model(config, options);
  for (const auto& n : result.notes) std::cerr << "cms_tfaot_compile: note: " << n << "\n";
  if (dev) std::cout << driver::scram_steps(result, "") << std::flush;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tfaot::install_interrupt_handling("cms_tfaot_compile");
  return tfaot::driver::run_tool("cms_tfaot_compile", 1, [&] { return run(argc, argv); });
}
