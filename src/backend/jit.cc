// run_generated: the generated code of a graph, compiled to a shared object and run in-process
// (tests compare it with the reference interpreter).
#include "backend/jit.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "backend/dispatch.h"
#include "backend/emitter.h"
#include "backend/kernel_sources.h"
#include "backend/toolchain.h"
#include "backend/weights.h"
#include "support/interrupt.h"

namespace tfaot::backend {

namespace {
namespace fs = std::filesystem;

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<void, AlignedFree>;

AlignedBuffer aligned_alloc64(size_t bytes) {
  // At least 64 bytes: a valid, distinct pointer even for empty tensors.
  size_t size = std::max<size_t>(64, (bytes + 63) / 64 * 64);
  return AlignedBuffer(std::aligned_alloc(64, size));
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) fail("cannot write {}", p.string());
}

class TempBuildDir {
 public:
  explicit TempBuildDir(bool keep) : keep_(keep) {
    std::string tmpl = (fs::temp_directory_path() / "tfaot-jit-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) fail("cannot create a temporary directory for the JIT");
    path_ = tmpl;
  }
  ~TempBuildDir() {
    std::error_code ec;
    if (!keep_) fs::remove_all(path_, ec);
  }
  void keep() { keep_ = true; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  bool keep_;
};

UnitOptions jit_unit_options(std::vector<std::string> targets) {
  UnitOptions uo;
  uo.targets = std::move(targets);
  uo.ns = "tfaot_jit";
  uo.model = "jit";
  uo.batch_size = 1;
  uo.include_kernels = have_kernel_headers();
  return uo;
}

// Writes the unit's source and header, the kernel headers and the weights (jit_weights.S/.bin)
// into `dir`.
UnitInfo write_unit(const ir::Graph& graph, const UnitOptions& uo, const fs::path& dir) {
  WeightPool weights;
  GeneratedUnit unit = emit_unit(graph, uo, weights);
  write_kernel_headers(dir);
  write_file(dir / (unit.info.struct_name() + ".h"), unit.header);
  write_file(dir / (unit.info.struct_name() + ".cc"), unit.source);
  {
    std::ofstream bin(dir / "jit_weights.bin", std::ios::binary);
    bin.write(reinterpret_cast<const char*>(weights.blob().data()),
              static_cast<std::streamsize>(weights.blob().size()));
  }
  write_file(dir / "jit_weights.S", weights.assembly(uo.ns, uo.model, "jit_weights.bin"));
  return unit.info;
}

ToolchainOptions toolchain(const JitOptions& options, const std::string& target) {
  ToolchainOptions tc;
  // Not $CXX (resolve_cxx's default): that may be a sanitizer build's compiler; a cross target
  // takes its cross compiler.
  tc.cxx = !options.cxx.empty() || is_cross_target(target) ? options.cxx : "c++";
  tc.target = target;
  tc.extra_flags = options.extra_flags;
  tc.opt_level = options.opt_level;
  return tc;
}

// Runs the jobs (2 in parallel); a failure keeps the directory and names the job.
void run_checked(const std::vector<CompileJob>& jobs, TempBuildDir& dir, const char* what) {
  auto results = run_parallel(jobs, 2);
  check_interrupt();  // killed compilers are no failure: unwind, and the directory goes
  for (size_t i = 0; i < jobs.size(); ++i)
    if (results[i].exit_code != 0) {
      dir.keep();
      fail("internal error: generated code failed to {}, kept in {} ({}): {}", what, dir.path().string(),
           jobs[i].label, results[i].output.substr(0, results[i].output.find('\n')));
    }
}

void check_inputs(const ir::Graph& graph, const std::vector<Tensor>& inputs) {
  if (inputs.size() != graph.inputs.size())
    fail("run_generated: graph has {} inputs, got {}", graph.inputs.size(), inputs.size());
  // Types are checked against the graph before anything is compiled.
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ir::TensorType& want = graph.inputs[i].node->output_type(0);
    if (inputs[i].dtype() != want.dtype || inputs[i].shape() != want.shape)
      fail("run_generated: input {} ('{}') must be {}{}, got {}{}", i, graph.inputs[i].key, dtype_name(want.dtype),
           shape_str(want.shape), dtype_name(inputs[i].dtype()), shape_str(inputs[i].shape()));
  }
}

}  // namespace

struct JitCode::Files {
  TempBuildDir dir;
  explicit Files(bool keep) : dir(keep) {}
};

JitCode::JitCode(const ir::Graph& graph, const JitOptions& options) : files_(std::make_unique<Files>(options.keep_files)) {
  UnitOptions uo = jit_unit_options({options.target});
  uo.c_entry = "tfaot_jit_entry";
  TempBuildDir& dir = files_->dir;
  info_ = write_unit(graph, uo, dir.path());
  const ToolchainOptions tc = toolchain(options, options.target);
  const std::string s = info_.struct_name();
  std::vector<CompileJob> jobs = {{compile_command(tc, s + ".cc", s + ".o"), dir.path(), s + ".cc"},
                                  {compile_command(tc, "jit_weights.S", "jit_weights.o"), dir.path(), "jit_weights.S"}};
  run_checked(jobs, dir, "compile");
  std::vector<std::string> link = split_command(resolve_cxx(tc));
  link.insert(link.end(), {"-shared", "-o", "jit.so", s + ".o", "jit_weights.o"});
  run_checked({{link, dir.path(), "jit.so"}}, dir, "link");
  object_bytes_ = fs::file_size(dir.path() / (s + ".o"));
  handle_ = dlopen((dir.path() / "jit.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) fail("run_generated: dlopen failed: {}", dlerror());
  entry_ = reinterpret_cast<void (*)(const void* const*, void* const*, void*)>(dlsym(handle_, uo.c_entry.c_str()));
  if (!entry_) {
    dlclose(handle_);
    fail("run_generated: entry point missing in the generated library");
  }
}

JitCode::~JitCode() {
  if (handle_) dlclose(handle_);
}

std::vector<Tensor> run_generated(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                                  const JitOptions& options) {
  if (needs_executable(options)) return run_generated_executable(graph, inputs, options).at(0);
  check_inputs(graph, inputs);
  JitCode code(graph, options);
  return run_generated(code, graph, inputs);
}

std::vector<Tensor> run_generated(const JitCode& code, const ir::Graph& graph,
                                  const std::vector<Tensor>& inputs) {
  check_inputs(graph, inputs);
  const UnitInfo& info = code.info();

  // Copies in 64-byte aligned buffers, as the ABI promises to the kernels.
  std::vector<AlignedBuffer> in_bufs, out_bufs;
  std::vector<const void*> in_ptrs;
  std::vector<void*> out_ptrs;
  // String elements are {data, size} views (docs/generated-code.md) of the tensors' strings.
  struct View {
    const char* data;
    size_t size;
  };
  auto abi_bytes = [](const Tensor& t) {
    return t.dtype() == DType::String ? static_cast<size_t>(t.num_elements()) * sizeof(View) : t.byte_size();
  };
  for (const Tensor& t : inputs) {
    in_bufs.push_back(aligned_alloc64(abi_bytes(t)));
    if (t.dtype() == DType::String) {
      auto* views = reinterpret_cast<View*>(in_bufs.back().get());
      for (int64_t i = 0; i < t.num_elements(); ++i) views[i] = {t.strings()[i].data(), t.strings()[i].size()};
    } else if (t.byte_size()) {
      std::memcpy(in_bufs.back().get(), t.raw(), t.byte_size());
    }
    in_ptrs.push_back(in_bufs.back().get());
  }
  std::vector<Tensor> outputs;
  for (const TensorInfo& o : info.outputs) {
    outputs.emplace_back(o.dtype, o.shape);
    out_bufs.push_back(aligned_alloc64(abi_bytes(outputs.back())));
    out_ptrs.push_back(out_bufs.back().get());
  }
  AlignedBuffer scratch = aligned_alloc64(info.scratch_bytes);
  code.run(in_ptrs.data(), out_ptrs.data(), scratch.get());
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].dtype() == DType::String) {
      const auto* views = reinterpret_cast<const View*>(out_bufs[i].get());
      for (int64_t k = 0; k < outputs[i].num_elements(); ++k)
        outputs[i].strings()[k].assign(views[k].data ? views[k].data : "", views[k].size);
    } else if (outputs[i].byte_size()) {
      std::memcpy(outputs[i].raw(), out_bufs[i].get(), outputs[i].byte_size());
    }
  }
  return outputs;
}

bool needs_executable(const JitOptions& options) {
  if (!options.runners.empty() || options.target.find(',') != std::string::npos) return true;
  return is_cross_target(options.target);
}

namespace {

// main() of the program: reads each input from argv[1..] (exactly its byte size) into 64-byte
// aligned buffers, runs the unit once, writes each output to the following arguments.
std::string runner_main(const UnitInfo& info) {
  std::string in_bytes, out_bytes;
  for (const auto& t : info.inputs) in_bytes += fmt::format("{}, ", t.count() * dtype_size(t.dtype));
  for (const auto& t : info.outputs) out_bytes += fmt::format("{}, ", t.count() * dtype_size(t.dtype));
  return fmt::format(R"(// Generated by tfaot: runs {ns}::{name} once, inputs and outputs in files. Do not edit.
#include <cstdio>
#include <cstdlib>

#include "{name}.h"

namespace {{
constexpr int kInputs = {n_in}, kOutputs = {n_out};
const std::size_t kBytes[] = {{{in_bytes}{out_bytes}0}};  // inputs, then outputs

void* buffer(std::size_t bytes) {{
  void* p = std::aligned_alloc(64, (bytes + 127) / 64 * 64);
  if (!p) std::abort();
  return p;
}}
}}  // namespace

int main(int argc, char** argv) {{
  if (argc != 1 + kInputs + kOutputs) {{
    std::fprintf(stderr, "usage: %s INPUT_FILE... OUTPUT_FILE...\n", argv[0]);
    return 2;
  }}
  void* buffers[kInputs + kOutputs + 1];
  for (int i = 0; i < kInputs + kOutputs; ++i) {{
    buffers[i] = buffer(kBytes[i]);
    if (i >= kInputs) continue;
    std::FILE* f = std::fopen(argv[1 + i], "rb");
    if (!f || std::fread(buffers[i], 1, kBytes[i], f) != kBytes[i]) {{
      std::fprintf(stderr, "cannot read %zu bytes from %s\n", kBytes[i], argv[1 + i]);
      return 2;
    }}
    std::fclose(f);
  }}
  void* scratch = buffer({scratch});
  {ns}::{name}::run(buffers, buffers + kInputs, scratch);
  for (int i = kInputs; i < kInputs + kOutputs; ++i) {{
    std::FILE* f = std::fopen(argv[1 + i], "wb");
    if (!f || std::fwrite(buffers[i], 1, kBytes[i], f) != kBytes[i] || std::fclose(f) != 0) {{
      std::fprintf(stderr, "cannot write %s\n", argv[1 + i]);
      return 2;
    }}
  }}
  return 0;
}}
)",
                     fmt::arg("ns", info.ns), fmt::arg("name", info.struct_name()),
                     fmt::arg("n_in", info.inputs.size()), fmt::arg("n_out", info.outputs.size()),
                     fmt::arg("in_bytes", in_bytes), fmt::arg("out_bytes", out_bytes),
                     fmt::arg("scratch", info.scratch_bytes));
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string exit_description(int code) {
  if (code > 128) return fmt::format("killed by signal {} ({})", code - 128, strsignal(code - 128));
  return fmt::format("exit status {}", code);
}

}  // namespace

std::vector<std::vector<Tensor>> run_generated_executable(const ir::Graph& graph, const std::vector<Tensor>& inputs,
                                                          const JitOptions& options) {
  check_inputs(graph, inputs);
  std::vector<std::string> targets;
  std::stringstream list(options.target);
  for (std::string t; std::getline(list, t, ',');) targets.push_back(t);
  if (targets.empty()) fail("run_generated: no target");
  for (const auto& t : targets)
    if (is_cross_target(t) && options.runners.empty())
      fail("target '{}' is {} code, which this {} machine cannot run: give a runner (e.g. --runner qemu-{})", t,
           arch_name(target_arch(t)), arch_name(host_arch()), target_arch(t) == TargetArch::Aarch64 ? "aarch64" : "x86_64");

  TempBuildDir dir(options.keep_files);
  const UnitOptions uo = jit_unit_options(targets);
  const UnitInfo info = write_unit(graph, uo, dir.path());
  for (const auto* list : {&info.inputs, &info.outputs})
    for (const TensorInfo& t : *list)
      if (t.dtype == DType::String)
        fail("run_generated: '{}' is a string tensor; out-of-process runs support numeric tensors only", t.name);
  const std::string s = info.struct_name();
  ToolchainOptions tc = toolchain(options, targets[0]);
  const std::vector<TargetVariant> variants = targets.size() > 1 ? resolve_variants(tc, targets) : std::vector<TargetVariant>{};
  if (!variants.empty()) tc.target = variants.back().target;  // the least capable builds the rest
  const ObjectBuild object = plan_object(tc, variants, uo.ns, s, dir.path());
  write_file(dir.path() / "runner_main.cc", runner_main(info));
  std::vector<CompileJob> jobs = object.jobs;
  jobs.push_back({compile_command(tc, "jit_weights.S", "jit_weights.o"), dir.path(), "jit_weights.S"});
  jobs.push_back({compile_command(tc, "runner_main.cc", "runner_main.o"), dir.path(), "runner_main.cc"});
  run_checked(jobs, dir, "compile");
  for (const auto& [obj, suffix] : object.renames) rename_weak_definitions(dir.path() / obj, suffix);
  if (!object.parts.empty())
    run_checked({{partial_link_command(tc, object.parts, object.object), dir.path(), object.object}}, dir, "link");
  // Static: qemu-user then needs no sysroot of the target's libraries.
  std::vector<std::string> link = split_command(resolve_cxx(tc));
  link.insert(link.end(), {"-static", "-o", "runner", "runner_main.o", object.object, "jit_weights.o"});
  run_checked({{link, dir.path(), "runner"}}, dir, "link");

  std::vector<std::string> args = {(dir.path() / "runner").string()};
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string name = fmt::format("in{}.bin", i);
    write_file(dir.path() / name, std::string(reinterpret_cast<const char*>(inputs[i].raw()), inputs[i].byte_size()));
    args.push_back(name);
  }
  for (size_t i = 0; i < info.outputs.size(); ++i) args.push_back(fmt::format("out{}.bin", i));
  std::vector<std::vector<Tensor>> results;
  for (const std::string& runner : options.runners.empty() ? std::vector<std::string>{""} : options.runners) {
    std::vector<std::string> argv = split_command(runner);
    argv.insert(argv.end(), args.begin(), args.end());
    const ProcessResult r = run_process(argv, dir.path());
    check_interrupt();  // a killed program is no failure to keep files for
    if (r.exit_code < 0) fail("cannot run the generated program under '{}': {}", runner, r.output);
    if (r.exit_code != 0) {
      dir.keep();  // the program and its inputs, to reproduce the failure
      fail("generated program (target {}) failed under '{}': {}, kept in {}: {}", options.target,
           runner.empty() ? "no runner" : runner, exit_description(r.exit_code), dir.path().string(),
           r.output.substr(0, r.output.find('\n')));
    }
    std::vector<Tensor> outputs;
    for (size_t i = 0; i < info.outputs.size(); ++i) {
      outputs.emplace_back(info.outputs[i].dtype, info.outputs[i].shape);
      const std::string bytes = read_file(dir.path() / fmt::format("out{}.bin", i));
      if (bytes.size() != outputs.back().byte_size())
        fail("generated program under '{}' wrote {} bytes for output {}, expected {}", runner, bytes.size(), i,
             outputs.back().byte_size());
      if (!bytes.empty()) std::memcpy(outputs.back().raw(), bytes.data(), bytes.size());
    }
    results.push_back(std::move(outputs));
  }
  return results;
}

}  // namespace tfaot::backend
