#include "backend/kernel_sources.h"

#include <cstring>
#include <fstream>

#include "support/error.h"

namespace tfaot::backend {

std::vector<EmbeddedFile> kernel_headers() {
  std::vector<EmbeddedFile> files;
  for (const EmbeddedFile* f = detail::kEmbeddedKernels; f->path; ++f) files.push_back(*f);
  return files;
}

bool have_kernel_headers() {
  for (const auto& f : kernel_headers())
    if (std::strcmp(f.path, "tfaot_kernels.h") == 0) return true;
  return false;
}

void write_kernel_headers(const std::filesystem::path& dir) {
  for (const auto& f : kernel_headers()) {
    std::filesystem::path p = dir / f.path;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << f.text;
    out.close();  // a full disk shows at the flush
    if (!out) fail("cannot write {}", p.string());
  }
}

}  // namespace tfaot::backend
