// Fuzz target: the function inliner and variable resolution (frontend::load_model), fed
// mutated SavedModel protos against a fixed, valid checkpoint (the example MLP's variables),
// so that mutations reach name/key resolution instead of dying on checkpoint CRCs as most
// do in the saved_model target. After a successful load the flat graph must satisfy the IR
// invariants (Graph::verify); a violation is a bug and aborts.
// Input = records [mode, saved_model]; mode byte bit 0 selects the text format.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "frontend/loader.h"
#include "fuzz_util.h"
#include "support/error.h"
#include "support/limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  auto records = tfaot::fuzz::split_records(data, size);
  if (records.size() < 2) return 0;
  const fs::path dir = tfaot::fuzz::scratch_dir() / "inliner";
  static const bool copied = [&] {
    fs::create_directories(dir / "variables");
    fs::copy(TFAOT_FUZZ_CHECKPOINT_DIR, dir / "variables", fs::copy_options::overwrite_existing);
    return true;
  }();
  (void)copied;
  const bool text = !records[0].empty() && (records[0][0] & 1);
  fs::remove(dir / "saved_model.pb");
  fs::remove(dir / "saved_model.pbtxt");
  tfaot::fuzz::write_file(dir / (text ? "saved_model.pbtxt" : "saved_model.pb"), records[1]);
  // A small input can expand exponentially through nested calls: keep each run short.
  tfaot::ScopedLimit nodes(tfaot::Limit::GraphNodes, 20000);
  tfaot::frontend::LoadOptions options;
  options.path = dir;
  std::unique_ptr<tfaot::ir::Graph> graph;
  try {
    graph = tfaot::frontend::load_model(options);
  } catch (const tfaot::Error& e) {
    if (std::getenv("TFAOT_FUZZ_VERBOSE")) std::fprintf(stderr, "rejected: %s\n", e.what());
    return 0;
  }
  try {
    graph->verify();
  } catch (const tfaot::Error& e) {
    std::fprintf(stderr, "load_model returned an invalid graph: %s\n", e.what());
    std::abort();
  }
  return 0;
}
