// Fuzz target: SavedModel directories (binary or text saved_model.pb, function library,
// inliner, TF1/TF2 variable resolution against a TensorBundle) through the whole compiler.
// Input = records [mode, saved_model, variables.index, variables.data-00000-of-00001];
// mode byte bit 0 selects the text format. Missing records mean missing files.
#include <filesystem>

#include "fuzz_util.h"
#include "model_pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  auto records = tfaot::fuzz::split_records(data, size);
  if (records.size() < 2) return 0;
  const fs::path dir = tfaot::fuzz::scratch_dir() / "saved_model";
  fs::remove_all(dir);
  const bool text = !records[0].empty() && (records[0][0] & 1);
  tfaot::fuzz::write_file(dir / (text ? "saved_model.pbtxt" : "saved_model.pb"), records[1]);
  if (records.size() > 2) tfaot::fuzz::write_file(dir / "variables" / "variables.index", records[2]);
  if (records.size() > 3)
    tfaot::fuzz::write_file(dir / "variables" / "variables.data-00000-of-00001", records[3]);
  tfaot::frontend::LoadOptions options;
  options.path = dir;
  tfaot::fuzz::compile_in_memory(options);
  return 0;
}
