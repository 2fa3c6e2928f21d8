#include "driver/compile.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "backend/batch_separability.h"
#include "backend/dispatch.h"
#include "backend/dynamic_entry.h"
#include "backend/emitter.h"
#include "backend/kernel_sources.h"
#include "backend/package.h"
#include "backend/toolchain.h"
#include "backend/weights.h"
#include "driver/compiled_rules.h"
#include "driver/outputs.h"
#include "frontend/loader.h"
#include "passes/pipeline.h"
#include "support/interrupt.h"

namespace tfaot::driver {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Checked at close: a full disk shows only when the buffer is flushed.
void write_file(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  errno = 0;
  std::ofstream out(p, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) fail("cannot write {}: {}", p.string(), errno ? std::strerror(errno) : "write error");
}

// A directory removed on destruction unless released.
class ScopedDir {
 public:
  explicit ScopedDir(fs::path p) : path_(std::move(p)) {}
  ~ScopedDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path release() { return std::exchange(path_, {}); }

 private:
  fs::path path_;
};

fs::path make_temp_dir(const fs::path& parent, const std::string& stem) {
  std::string tmpl = (parent / (stem + "XXXXXX")).string();
  if (!mkdtemp(tmpl.data()))
    fail("cannot create a temporary directory in {}: {}", parent.string(), std::strerror(errno));
  return tmpl;
}

std::unique_ptr<ir::Graph> load(const Config& config) {
  frontend::LoadOptions lo;
  lo.path = config.model_path();
  lo.tags = config.model.tags;
  lo.signature_key = config.model.serving_key;
  lo.inputs = config.model.inputs;
  lo.outputs = config.model.outputs;
  lo.pinned = config.model.pins;
  return frontend::load_model(lo);
}

// The loaded graph specialized to batch size `bs` and optimized.
std::unique_ptr<ir::Graph> specialize_at(const ir::Graph& loaded, const CompilationConfig& cc, int64_t bs) {
  std::unique_ptr<ir::Graph> g = loaded.clone();
  passes::SpecializeOptions so;
  so.batch_size = bs;
  so.input_shapes = cc.input_shapes;
  passes::specialize(*g, so);
  passes::optimize(*g);
  return g;
}

// Batch separability of the loaded model (batch_separability.h), proved at batch sizes 3 and
// 5; `probe` receives the graph at 5. A model that does not specialize is not separable.
backend::Separability analyze(const ir::Graph& loaded, const CompilationConfig& cc, std::unique_ptr<ir::Graph>& probe) {
  backend::Separability sep;
  try {
    probe = specialize_at(loaded, cc, 5);
    sep = backend::check_batch_separable(*specialize_at(loaded, cc, 3), 3, *probe, 5);
  } catch (const Error& e) {
    sep.reason = e.what();
  }
  return sep;
}

backend::UnitOptions unit_options(const Config& config, int64_t bs, const char* kind) {
  backend::UnitOptions uo;
  uo.ns = config.compilation.ns;
  uo.model = config.model.name;
  uo.batch_size = bs;
  uo.kind = kind;
  uo.include_kernels = backend::have_kernel_headers();
  uo.targets = config.compilation.targets;
  return uo;
}

// Runs jobs in parallel; a failure names the job and removes the build directory unless
// `keep` (then it names it).
// `progress`, if given, gets one line per finished job: "[k/n] LABEL X.XXs".
void run_jobs(const std::vector<backend::CompileJob>& jobs, int parallel, ScopedDir& build, bool keep,
              const char* what, const std::function<void(const std::string&)>& progress = {}) {
  size_t finished = 0;
  auto results = backend::run_parallel(jobs, parallel, [&](size_t i, const backend::ProcessResult& r) {
    if (progress && r.exit_code == 0)
      progress(fmt::format("  [{}/{}] {} {:.2f}s", ++finished, jobs.size(), jobs[i].label, r.seconds));
  });
  check_interrupt();  // killed compilers are not failures
  for (size_t i = 0; i < jobs.size(); ++i)
    if (results[i].exit_code != 0) {
      const std::string where = keep ? "kept in " + build.release().string() : "removed; --keep-build-dir keeps it";
      fail("{} ('{}', {}): {} (build directory {})", what, jobs[i].argv[0], jobs[i].label,
           backend::diagnostic_line(results[i]), where);
    }
}

}  // namespace

CompileResult compile_model(const Config& config, const CompileOptions& options) {
  auto log = [&](const std::string& line) {
    if (options.log) *options.log << line << std::endl;
  };
  const auto t_start = Clock::now();
  const ModelConfig& mc = config.model;
  const CompilationConfig& cc = config.compilation;
  std::vector<int64_t> sizes = options.batch_sizes ? *options.batch_sizes : cc.batch_sizes;
  if (sizes.empty()) fail("no batch sizes to compile");
  // First, so that a bad rules file fails before any work.
  const std::vector<std::string> rules =
      cc.batch_rules.empty() ? std::vector<std::string>{}
                             : read_compiled_rules(cc.batch_rules, sizes, cc.batch_rules_origin);
  if (!cc.batch_rules.empty())
    log(fmt::format("{} batch rules from {} (compiled into model.h)", rules.size(), cc.batch_rules.string()));

  backend::ToolchainOptions tc;
  tc.cxx = cc.cxx;
  const std::vector<std::string> targets =
      options.target ? parse_targets(*options.target, "--target") : cc.targets;
  tc.fast_math = cc.fast_math;
  tc.extra_flags = cc.cxxflags;
  for (const auto& t : targets) {
    tc.target = t;
    backend::check_toolchain(tc);
  }
  // Several targets: variants best first; the last (least capable) also builds the glue.
  const std::vector<backend::TargetVariant> variants =
      targets.size() > 1 ? backend::resolve_variants(tc, targets) : std::vector<backend::TargetVariant>{};
  tc.target = variants.empty() ? targets[0] : variants.back().target;

  if (options.out_dir.empty()) fail("give an output directory or an install prefix");
  // Package replaces the output directory as a whole; the other layouts merge into it (and
  // create it with its parents, as cms-tfaot and CMSDIST expect).
  const bool merge_layout = options.layout != Layout::Package;
  const fs::path out_dir = fs::absolute(options.out_dir).lexically_normal();
  const fs::path parent = out_dir.has_filename() ? out_dir.parent_path() : out_dir.parent_path().parent_path();
  if (!merge_layout && !fs::is_directory(parent))
    fail("output directory's parent {} {}", parent.string(), fs::exists(parent) ? "is not a directory" : "does not exist");
  if (fs::exists(out_dir) && !fs::is_directory(out_dir))
    fail("output path {} exists and is not a directory", out_dir.string());
  if (!merge_layout) check_replaceable(out_dir);  // before any work, and again before replacing
  if (!options.depfile.empty()) {  // a path Make cannot express fails now, not after the work
    check_depfile_paths({options.depfile, out_dir});
    check_depfile_paths(input_files(config));
  }

  // Front end, once for all batch sizes.
  auto t0 = Clock::now();
  std::unique_ptr<ir::Graph> loaded = load(config);
  check_interrupt();
  log(fmt::format("loaded {} ({} nodes, {} inputs, {} outputs) in {:.2f}s", config.model_path().string(),
                  loaded->size(), loaded->inputs.size(), loaded->outputs.size(), seconds_since(t0)));
  for (const auto& [key, shape] : cc.input_shapes) {
    bool found = false;
    for (const auto& in : loaded->inputs) found = found || in.key == key;
    if (!found) fail("{}: compilation.input_shapes names '{}', which is not an input of the model",
                     config.file.filename().string(), key);
  }

  // Per batch size: specialize, optimize, emit.
  backend::WeightPool weights;
  backend::PackageInfo pkg;
  pkg.ns = cc.ns;
  pkg.model = mc.name;
  pkg.version = mc.version;
  pkg.description = mc.description;
  pkg.batch_rules = rules;
  std::vector<backend::GeneratedUnit> units;
  for (int64_t bs : sizes) {
    check_interrupt();
    if (options.on_batch_size) options.on_batch_size(bs);
    t0 = Clock::now();
    std::unique_ptr<ir::Graph> g = specialize_at(*loaded, cc, bs);
    units.push_back(backend::emit_unit(*g, unit_options(config, bs, "bs"), weights));
    const auto& info = units.back().info;
    log(fmt::format("[batch size {}] optimized to {} nodes, {} MFLOP, scratch {} B, generated in {:.2f}s", bs,
                    g->size(), fmt::format("{:.3f}", info.flops / 1e6), info.scratch_bytes, seconds_since(t0)));
    pkg.units.push_back(info);
  }
  // All batch sizes must agree on the signature (tfaot::Model relies on it).
  for (const auto& u : pkg.units)
    for (size_t i = 0; i < u.inputs.size(); ++i)
      if (u.inputs[i].dtype != pkg.units[0].inputs[i].dtype)
        fail("input '{}' has different dtypes across batch sizes", u.inputs[i].name);

  // The dynamic-batch entry: its blocks reuse configured sizes, other block sizes are emitted
  // as NAME_blkN (internal to NAME_dyn.o).
  CompileResult result;
  backend::DynamicEntry dyn{cc.ns, mc.name, {}};
  std::vector<backend::GeneratedUnit> blocks;
  if (cc.dynamic_batch != CompilationConfig::Dynamic::Off) {
    t0 = Clock::now();
    std::unique_ptr<ir::Graph> probe;
    const backend::Separability sep = analyze(*loaded, cc, probe);
    if (!sep.separable) {
      if (cc.dynamic_batch == CompilationConfig::Dynamic::On)
        fail("{}: compilation.dynamic_batch is true, but the model is not batch-separable: {}",
             config.file.filename().string(), sep.reason);
      result.notes.push_back("no dynamic-batch entry: the model is not batch-separable: " + sep.reason);
    } else {
      const uint64_t row_bytes = backend::batched_bytes_per_row(*probe, 5);
      for (int64_t bs : backend::dynamic_block_sizes(row_bytes, cc.block_rows)) {
        auto it = std::find(sizes.begin(), sizes.end(), bs);
        if (it != sizes.end()) {
          dyn.blocks.push_back(units[it - sizes.begin()].info);
          continue;
        }
        check_interrupt();
        blocks.push_back(backend::emit_unit(*specialize_at(*loaded, cc, bs), unit_options(config, bs, "blk"), weights));
        dyn.blocks.push_back(blocks.back().info);
      }
      pkg.dynamic_batch = true;
      log(fmt::format("[dynamic batch] blocks of {} rows, scratch {} B, generated in {:.2f}s",
                      dyn.blocks[0].batch_size, dyn.scratch_bytes(), seconds_since(t0)));
      // Configured sizes whose intermediates outgrow the block budget run as blocks.
      for (size_t i = 0; i < units.size(); ++i) {
        backend::UnitInfo& info = units[i].info;
        if (!backend::runs_as_blocks(info.batch_size, row_bytes, cc.block_rows, dyn.blocks[0].batch_size))
          continue;
        info.scratch_bytes = dyn.scratch_bytes();
        info.peak_live_bytes = 0;
        for (const auto& b : dyn.blocks) info.peak_live_bytes = std::max(info.peak_live_bytes, b.peak_live_bytes);
        units[i].source = backend::blocked_source(dyn, info);
        units[i].header = backend::unit_header(info);
        pkg.units[i] = info;
        log(fmt::format("[batch size {}] runs as blocks of {} rows, scratch {} B", info.batch_size,
                        dyn.blocks[0].batch_size, info.scratch_bytes));
      }
    }
  }

  check_interrupt();
  // Build directory: sources, kernel headers, weights (kept on a compiler failure on request).
  ScopedDir build(make_temp_dir(fs::temp_directory_path(), "tfaot-build-"));
  // Reproducible objects even with -g in compilation.cxxflags: no build path in debug info.
  tc.extra_flags.push_back("-ffile-prefix-map=" + build.path().string() + "=.");
  backend::write_kernel_headers(build.path());
  std::vector<backend::ObjectBuild> objects;
  for (const auto* list : {&units, &blocks})
    for (const auto& u : *list) {
      const std::string s = u.info.struct_name();
      write_file(build.path() / (s + ".h"), u.header);
      write_file(build.path() / (s + ".cc"), u.source);
      objects.push_back(backend::plan_object(tc, variants, cc.ns, s, build.path()));
    }
  const std::string dname = dyn.struct_name();
  if (pkg.dynamic_batch) {
    write_file(build.path() / (dname + ".h"), backend::dynamic_header(dyn));
    write_file(build.path() / (dname + ".cc"), backend::dynamic_source(dyn));
    backend::ObjectBuild d;
    d.object = dname + ".o";
    d.jobs.push_back({backend::compile_command(tc, dname + ".cc", dname + "_entry.o"), build.path(), dname + ".cc"});
    d.parts.push_back(dname + "_entry.o");
    for (const auto& b : blocks) d.parts.push_back(b.info.struct_name() + ".o");
    objects.push_back(d);
  }
  const std::string wname = mc.name + "_weights";
  write_file(build.path() / (wname + ".bin"),
             std::string_view(reinterpret_cast<const char*>(weights.blob().data()), weights.size()));
  write_file(build.path() / (wname + ".S"), weights.assembly(cc.ns, mc.name, wname + ".bin"));
  std::vector<backend::CompileJob> jobs = {
      {backend::compile_command(tc, wname + ".S", wname + ".o"), build.path(), wname + ".S"}};
  for (const auto& o : objects) jobs.insert(jobs.end(), o.jobs.begin(), o.jobs.end());

  int parallel = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  t0 = Clock::now();
  std::string target_list;
  for (const auto& t : targets) target_list += (target_list.empty() ? "" : ",") + t;
  log(fmt::format("compiling {} objects with {} -march={} ({} in parallel)", jobs.size(), backend::resolve_cxx(tc),
                  target_list, parallel));
  run_jobs(jobs, parallel, build, options.keep_build_dir, "generated code failed to compile", log);
  // Partial links: unit objects first (the dynamic entry's link takes block objects).
  for (const auto& o : objects)
    for (const auto& [obj, suffix] : o.renames) backend::rename_weak_definitions(build.path() / obj, suffix);
  for (bool dynamic_entry : {false, true}) {
    std::vector<backend::CompileJob> links;
    for (const auto& o : objects)
      if (!o.parts.empty() && (o.object == dname + ".o") == dynamic_entry)
        links.push_back({backend::partial_link_command(tc, o.parts, o.object), build.path(), o.object});
    run_jobs(links, parallel, build, options.keep_build_dir, "joining objects failed");
  }
  log(fmt::format("compiled in {:.2f}s (weights: {} bytes)", seconds_since(t0), weights.size()));

  // Package in a staging directory on the same file system, then rename into place: a sibling
  // of the output directory, or inside an existing install prefix (merged into it).
  const std::string tool = effective_tool_name(config, options);
  const PackageLayout layout = package_layout(options.layout, tool);
  pkg.tool = tool;
  pkg.tool_base = options.tool_base ? *options.tool_base : default_tool_base(options.layout, out_dir);
  const bool merge = merge_layout && fs::exists(out_dir);
  // Errors name the output directory (the staging directory is an internal detail).
  try {
    if (merge_layout && !merge) fs::create_directories(parent);
    ScopedDir stage(merge ? make_temp_dir(out_dir, ".tfaot-tmp-")
                          : make_temp_dir(parent, "." + out_dir.filename().string() + ".tfaot-tmp-"));
    fs::permissions(stage.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                      fs::perms::others_read | fs::perms::others_exec);
    auto add = [&](const fs::path& rel, const std::string& text) {
      write_file(stage.path() / rel, text);
      result.files.push_back(rel.lexically_normal().generic_string());
    };
    auto copy = [&](const fs::path& from, const fs::path& rel) {
      fs::create_directories((stage.path() / rel).parent_path());
      fs::copy_file(from, stage.path() / rel, fs::copy_options::overwrite_existing);
      result.files.push_back(rel.lexically_normal().generic_string());
    };
    for (const auto& u : units) {
      const std::string s = u.info.struct_name();
      copy(build.path() / (s + ".o"), layout.lib / (s + ".o"));
      add(layout.include / (s + ".h"), u.header);
      if (options.keep_sources) add(fs::path("src") / (s + ".cc"), u.source);
    }
    if (pkg.dynamic_batch) {
      copy(build.path() / (dname + ".o"), layout.lib / (dname + ".o"));
      add(layout.include / (dname + ".h"), backend::dynamic_header(dyn));
      if (options.keep_sources) add(fs::path("src") / (dname + ".cc"), backend::dynamic_source(dyn));
    }
    copy(build.path() / (wname + ".o"), layout.lib / (wname + ".o"));
    add(layout.include / "model.h", backend::model_header(pkg));
    add(layout.tool_file, backend::scram_tool_file(pkg));
    if (layout.build_files) {
      add(fs::path("lib") / "cmake" / tool / (tool + "Config.cmake"), backend::cmake_config(pkg));
      add(fs::path("lib") / "cmake" / tool / (tool + "ConfigVersion.cmake"), backend::cmake_config_version(pkg));
      add(fs::path("lib") / "pkgconfig" / (tool + ".pc"), backend::pkg_config(pkg));
    }
    if (options.keep_sources) {
      for (const auto& f : backend::kernel_headers()) add(fs::path("src") / f.path, f.text);
      copy(build.path() / (wname + ".S"), fs::path("src") / (wname + ".S"));
      copy(build.path() / (wname + ".bin"), fs::path("src") / (wname + ".bin"));
    }
    std::sort(result.files.begin(), result.files.end());

    if (result.files != planned_files(config, options, pkg.dynamic_batch))
      fail("internal error: the files written differ from planned_files() (src/driver/outputs.cc)");

    // The last point where an interrupt discards the work; after it the output is complete.
    check_interrupt();
    // Into place: the old output (if any) is removed only once the new one is complete.
    if (merge) {
      merge_into(stage.path(), out_dir, result.files, layout, mc.name);
    } else {
      if (!merge_layout) {  // -o DIR: the package is the whole directory (an absent prefix is not)
        write_package_marker(stage.path(), mc.name);
        check_replaceable(out_dir);
      }
      replace_dir(stage.path(), out_dir);
      stage.release();
    }
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& e) {
    fail("cannot write {}: {}", out_dir.string(), e.what());
  }
  if (!options.depfile.empty()) {
    std::vector<fs::path> outputs;
    for (const auto& f : result.files) outputs.push_back(out_dir / f);
    write_depfile(options.depfile, outputs, input_files(config));
  }

  result.out_dir = out_dir;
  result.tool_name = tool;
  result.tool_file = layout.tool_file;
  result.tool_base = pkg.tool_base;
  result.class_name = cc.ns + "::" + mc.name;
  result.model_name = mc.name;
  result.config_file = config.file;
  result.batch_sizes = sizes;
  result.dynamic_batch = pkg.dynamic_batch;
  result.batch_rules = rules.size();
  if (!rules.empty()) result.batch_rules_file = cc.batch_rules;
  log(fmt::format("wrote {} ({} files) in {:.2f}s total", out_dir.string(), result.files.size(),
                  seconds_since(t_start)));
  return result;
}

bool plans_dynamic_batch(const Config& config) {
  switch (config.compilation.dynamic_batch) {
    case CompilationConfig::Dynamic::Off: return false;
    case CompilationConfig::Dynamic::On: return true;  // or the compilation fails
    case CompilationConfig::Dynamic::Auto: break;
  }
  std::unique_ptr<ir::Graph> probe;
  return analyze(*load(config), config.compilation, probe).separable;
}

std::string scram_steps(const CompileResult& r, const std::string& hint) {
  std::string sizes;
  for (size_t i = 0; i < r.batch_sizes.size(); ++i) sizes += (i ? "," : "") + std::to_string(r.batch_sizes[i]);
  return fmt::format(
      "\n{line}\n\nsuccessfully AOT compiled model '{model}' for batch sizes: {sizes}{rules}\n\n"
      "  1. register it to scram:\n"
      "     > scram setup {xml}{hint}\n\n"
      "  2. 'use' the tool in your BuildFile.xml:\n"
      "     <use name=\"{tool}\"/>\n\n"
      "  3. include the following header in your code:\n"
      "     #include \"{tool}/model.h\"\n\n"
      "  4. create an AOT model instance via:\n"
      "     auto model = tfaot::Model<{cls}>();\n\n",
      fmt::arg("line", std::string(80, '-')), fmt::arg("model", r.model_name), fmt::arg("sizes", sizes),
      fmt::arg("xml", cmssw_relative(r.out_dir / r.tool_file)), fmt::arg("hint", hint),
      fmt::arg("tool", r.tool_name), fmt::arg("cls", r.class_name),
      fmt::arg("rules", r.batch_rules == 0 ? std::string()
                                           : fmt::format("\n(with {} batch rules from {}, applied by tfaot::Model)",
                                                         r.batch_rules, r.batch_rules_file.string())));
}

std::string next_steps(const CompileResult& r) {
  // A tool file whose base is still @TOOL_BASE@ (-o, flat) needs it replaced before scram setup.
  const std::string hint =
      r.tool_base == "@TOOL_BASE@" ? fmt::format("   (after replacing @TOOL_BASE@ with {})", r.out_dir.string()) : "";
  std::string text = scram_steps(r, hint);
  const std::string pc = "lib/pkgconfig/" + r.tool_name + ".pc";
  if (std::find(r.files.begin(), r.files.end(), pc) == r.files.end()) return text;
  return text + fmt::format(
      "  Without scram:\n"
      "     CMake:      find_package({tool} REQUIRED CONFIG PATHS {out})\n"
      "                 target_link_libraries(app PRIVATE {target})\n"
      "     pkg-config: PKG_CONFIG_PATH={out}/lib/pkgconfig pkg-config --cflags --libs {tool}\n"
      "     (tfaot::Model also needs tfaot's runtime headers: -I<tfaot>/include)\n"
      "     Or let CMake compile the model at build time (see docs/cmake.md):\n"
      "                 find_package(tfaot REQUIRED)\n"
      "                 tfaot_add_model({model} CONFIG {config})\n"
      "                 target_link_libraries(app PRIVATE {model})\n",
      fmt::arg("out", r.out_dir.string()), fmt::arg("tool", r.tool_name),
      fmt::arg("target", backend::cmake_target(r.tool_name)), fmt::arg("model", r.model_name),
      fmt::arg("config", r.config_file.empty() ? std::string("aot_config.yaml") : r.config_file.string()));
}

}  // namespace tfaot::driver
