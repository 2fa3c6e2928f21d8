// tfaot-compile: compiles the model of an aot_config.yaml into a package of objects and
// headers (see docs/generated-code.md). On any error: one line on stderr, exit 1, and the
// output directory untouched. SIGINT/SIGTERM/SIGHUP stop it the same way (support/interrupt.h),
// with exit status 128 + signal.
#include <iostream>

#include "driver/cli.h"
#include "driver/compile.h"
#include "driver/config.h"
#include "driver/outputs.h"
#include "driver/xla_flags.h"
#include "support/interrupt.h"

namespace {

int run(int argc, char** argv) {
  CLI::App app{"tfaot-compile: ahead-of-time compile a TensorFlow model for C++ (CMS TensorFlowAOT workflow)"};
  std::string config_file, out_dir, batch_sizes, target, batch_rules;
  int jobs = 0;
  bool keep_sources = false, quiet = false, list_outputs = false;
  tfaot::driver::CompileOptions options;
  app.add_option("-c,--aot-config", config_file, "aot_config.yaml (or .json)")->required();
  auto* out_opt =
      app.add_option("-o,--output-directory", out_dir, "output directory (replaced when compilation succeeds)");
  // Production packaging (docs/packaging.md) and build-system integration (docs/cmake.md).
  std::string install_prefix, layout;
  auto* prefix_opt = app.add_option("--install-prefix", install_prefix,
                                    "merge the package into this prefix (lib/, include/, etc/scram.d/TOOL.xml)")
                         ->excludes(out_opt);
  app.add_option("--layout", layout,
                 "with -o: package (default: lib/, include/TOOL/, TOOL.xml, CMake and pkg-config files; "
                 "OUTDIR replaced), flat (cms-tfaot: every .h, .o and TOOL.xml in OUTDIR) or dev (cms-tfaot "
                 "--dev: OUTDIR/include/TOOL, OUTDIR/lib, OUTDIR/TOOL.xml); flat and dev merge into OUTDIR")
      ->check(CLI::IsMember({"package", "flat", "dev"}))
      ->excludes(prefix_opt);
  app.add_option("--tool-name", options.tool_name, "scram tool / package name (default tfaot-model-NAME)");
  std::string tool_base;
  auto* base_opt = app.add_option("--tool-base", tool_base,
                 "default of the tool file's base variable (default @TOOL_BASE@, or the install prefix)");
  app.add_option("--depfile", options.depfile, "also write the outputs' dependencies on the model files (Make syntax)");
  app.add_flag("--list-outputs", list_outputs, "print the files that would be written (relative) and exit");
  app.add_option("--batch-sizes", batch_sizes, "override compilation.batch_sizes, e.g. 1,2,4");
  app.add_option("--target", target, "override compilation.target (-march value, e.g. native, x86-64-v3; several: x86-64-v2,x86-64-v4)");
  std::string xla_flags;
  app.add_option("--additional-flags", xla_flags,
                 "XLA aot_compile_cpu flags as cms-tfaot takes them (--additional-flags=\"--target_triple ...\"): "
                 "--target_triple/--target_cpu choose the target, others are noted and ignored");
  app.add_option("--batch-rules", batch_rules,
                 "compile these batch rules (a tfaot-tune --out file) into model.h; overrides compilation.batch_rules");
  app.add_option("-j,--jobs", jobs, "parallel compiler processes (default: number of cores)");
  app.add_flag("--keep-sources", keep_sources, "also write the generated C++ sources into OUTDIR/src")
      ->excludes(prefix_opt);
  app.add_flag("--keep-build-dir", options.keep_build_dir,
               "if the system compiler fails, keep the temporary build directory (and name it)");
  app.add_flag("-q,--quiet", quiet, "print only errors and warnings");
  tfaot::driver::add_limit_option(app);
  if (int rc = tfaot::driver::parse_args(app, argc, argv, "tfaot-compile", 1); rc >= 0) return rc;

  if (out_dir.empty() && install_prefix.empty() && !list_outputs)
    throw std::runtime_error("give an output directory (-o) or an install prefix (--install-prefix)");
  tfaot::driver::Config config = tfaot::driver::load_config(config_file);
  for (const auto& w : config.warnings) std::cerr << "tfaot-compile: warning: " << w << "\n";
  options.out_dir = install_prefix.empty() ? out_dir : install_prefix;
  options.layout = !install_prefix.empty() ? tfaot::driver::Layout::Prefix
                   : layout == "flat"      ? tfaot::driver::Layout::Flat
                   : layout == "dev"       ? tfaot::driver::Layout::Dev
                                           : tfaot::driver::Layout::Package;
  if (base_opt->count() > 0) options.tool_base = tool_base;
  if (!batch_sizes.empty()) options.batch_sizes = tfaot::driver::parse_batch_sizes(batch_sizes, "--batch-sizes");
  if (!xla_flags.empty()) {
    const tfaot::driver::XlaFlags flags = tfaot::driver::parse_xla_flags(xla_flags);
    for (const auto& n : flags.notes) std::cerr << "tfaot-compile: note: " << n << "\n";
    options.target = flags.target;
  }
  if (!target.empty()) options.target = target;
  if (!batch_rules.empty()) {
    config.compilation.batch_rules = batch_rules;
    config.compilation.batch_rules_origin = "--batch-rules";
  }
  options.jobs = jobs;
  options.keep_sources = keep_sources;
  options.log = quiet ? nullptr : &std::cout;
  if (list_outputs) {
    const bool dynamic = tfaot::driver::plans_dynamic_batch(config);
    for (const auto& f : tfaot::driver::planned_files(config, options, dynamic)) std::cout << f << "\n";
    return 0;
  }
  auto result = tfaot::driver::compile_model(config, options);
  for (const auto& n : result.notes) std::cerr << "tfaot-compile: note: " << n << "\n";
  if (!quiet) std::cout << tfaot::driver::next_steps(result) << std::flush;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tfaot::install_interrupt_handling("tfaot-compile");
  return tfaot::driver::run_tool("tfaot-compile", 1, [&] { return run(argc, argv); });
}
