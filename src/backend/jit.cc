// run_generated: the generated code of a graph, compiled to a shared object and run in-process
// (tests compare it with the reference interpreter).
#include "backend/jit.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "backend/emitter.h"
#include "backend/kernel_sources.h"
#include "backend/toolchain.h"
#include "backend/weights.h"

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

}  // namespace

struct JitCode::Files {
  TempBuildDir dir;
  explicit Files(bool keep) : dir(keep) {}
};

JitCode::JitCode(const ir::Graph& graph, const JitOptions& options) : files_(std::make_unique<Files>(options.keep_files)) {
  WeightPool weights;
  UnitOptions uo;
  uo.ns = "tfaot_jit";
  uo.model = "jit";
  uo.batch_size = 1;
  uo.c_entry = "tfaot_jit_entry";
  uo.include_kernels = have_kernel_headers();
  GeneratedUnit unit = emit_unit(graph, uo, weights);
  info_ = unit.info;

  TempBuildDir& dir = files_->dir;
  write_kernel_headers(dir.path());
  write_file(dir.path() / "jit_bs1.h", unit.header);
  write_file(dir.path() / "jit_bs1.cc", unit.source);
  {
    std::ofstream bin(dir.path() / "jit_weights.bin", std::ios::binary);
    bin.write(reinterpret_cast<const char*>(weights.blob().data()),
              static_cast<std::streamsize>(weights.blob().size()));
  }
  write_file(dir.path() / "jit_weights.S", weights.assembly(uo.ns, uo.model, "jit_weights.bin"));

  ToolchainOptions tc;
  tc.cxx = options.cxx;
  tc.target = options.target;
  tc.extra_flags = options.extra_flags;
  tc.opt_level = options.opt_level;
  std::vector<CompileJob> jobs = {
      {compile_command(tc, "jit_bs1.cc", "jit_bs1.o"), dir.path(), "jit_bs1.cc"},
      {compile_command(tc, "jit_weights.S", "jit_weights.o"), dir.path(), "jit_weights.S"}};
  auto results = run_parallel(jobs, 2);
  for (size_t i = 0; i < jobs.size(); ++i)
    if (results[i].exit_code != 0) {
      dir.keep();
      fail("internal error: generated code failed to compile, kept in {}: {}", dir.path().string(),
           results[i].output.substr(0, results[i].output.find('\n')));
    }
  std::vector<std::string> link = split_command(resolve_cxx(tc));
  link.insert(link.end(), {"-shared", "-o", "jit.so", "jit_bs1.o", "jit_weights.o"});
  ProcessResult lr = run_process(link, dir.path());
  if (lr.exit_code != 0) {
    dir.keep();
    fail("internal error: generated code failed to link, kept in {}: {}", dir.path().string(),
         lr.output.substr(0, lr.output.find('\n')));
  }
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
  if (inputs.size() != graph.inputs.size())
    fail("run_generated: graph has {} inputs, got {}", graph.inputs.size(), inputs.size());
  // Types are checked against the graph before anything is compiled.
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ir::TensorType& want = graph.inputs[i].node->output_type(0);
    if (inputs[i].dtype() != want.dtype || inputs[i].shape() != want.shape)
      fail("run_generated: input {} ('{}') must be {}{}, got {}{}", i, graph.inputs[i].key, dtype_name(want.dtype),
           shape_str(want.shape), dtype_name(inputs[i].dtype()), shape_str(inputs[i].shape()));
  }
  JitCode code(graph, options);
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

}  // namespace tfaot::backend
