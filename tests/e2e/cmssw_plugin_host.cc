// Loads the plugin built by run_cmssw_flags.sh with dlopen (as CMSSW's plugin manager does) and
// runs it for several batch sizes: compiled, stitched by a rule, and neither.
#include <dlfcn.h>

#include <cstdio>
#include <initializer_list>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    std::fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  using Produce = double (*)(unsigned);
  auto produce = reinterpret_cast<Produce>(dlsym(lib, "tfaot_plugin_produce"));
  if (produce == nullptr) {
    std::fprintf(stderr, "dlsym: %s\n", dlerror());
    return 1;
  }
  for (unsigned n : {1u, 2u, 3u, 4u, 7u}) {
    const double err = produce(n);
    std::printf("batch %u: max |sum(softmax) - 1| = %g\n", n, err);
    if (!(err < 1e-5)) return 1;
  }
  return dlclose(lib) == 0 ? 0 : 1;
}
