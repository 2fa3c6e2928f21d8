// The kernel headers (src/backend/kernels/*.h, written by the ops) embedded into the compiler
// at build time: generated code includes "tfaot_kernels.h", and every build directory of
// generated code gets a copy of these files, so tfaot-compile needs no source tree.
#pragma once

#include <filesystem>
#include <vector>

namespace tfaot::backend {

struct EmbeddedFile {
  const char* path;  // relative to the kernels directory ("tfaot_kernels.h")
  const char* text;
};

// All embedded headers, sorted by path.
std::vector<EmbeddedFile> kernel_headers();
// True if the umbrella header "tfaot_kernels.h" is among them.
bool have_kernel_headers();
// Writes every embedded header under `dir` (creating subdirectories).
void write_kernel_headers(const std::filesystem::path& dir);

namespace detail {
extern const EmbeddedFile kEmbeddedKernels[];  // terminated by {nullptr, nullptr}
}

}  // namespace tfaot::backend
