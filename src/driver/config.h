// aot_config.yaml / .json: the CMS tfaot configuration (cms-externals/cms-tfaot format) plus
// tfaot extensions. CMS keys:
//   model: {name, version, saved_model (relative to the config's directory), serving_key,
//           author, description}
//   compilation: {batch_sizes, namespace, tf_xla_flags, xla_flags}
// Extensions:
//   model.graph (frozen GraphDef instead of saved_model), model.tags, model.inputs /
//   model.outputs (tensor names, frozen graphs), model.pins (tensor name -> value),
//   compilation.input_shapes (key -> dims; -1 or "B" = batch), compilation.target,
//   compilation.cxx, compilation.cxxflags, compilation.fast_math, compilation.dynamic_batch,
//   compilation.block_rows,
//   compilation.batch_rules (a rules file compiled into model.h).
// Unknown keys and XLA flags are warnings; a missing required key or a key of the wrong type
// is an Error "FILE:LINE: key.path ..." naming the key.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/tensor.h"

namespace tfaot::driver {

struct ModelConfig {
  std::string name;                   // C++ identifier
  std::string version = "1.0.0";
  std::filesystem::path saved_model;  // resolved (absolute or relative to cwd); empty if graph
  std::filesystem::path graph;        // frozen GraphDef, resolved; empty if saved_model
  std::string serving_key = "serving_default";
  std::string author, description;
  std::vector<std::string> tags = {"serve"};
  std::vector<std::string> inputs, outputs;
  std::map<std::string, Tensor> pins;
};

struct CompilationConfig {
  std::vector<int64_t> batch_sizes;  // ascending, unique
  std::string ns = "tfaot_model";
  std::vector<std::string> tf_xla_flags, xla_flags;
  std::map<std::string, Shape> input_shapes;  // -1 = batch
  // -march values; several: one object per batch size with run-time dispatch to the best.
  std::vector<std::string> targets = {"x86-64-v3"};
  std::string cxx;  // empty: $CXX or c++
  std::vector<std::string> cxxflags;
  bool fast_math = false;
  // The dynamic-batch entry NAME_dyn: Auto = when the model is batch-separable (else a note),
  // On = required (an error if not separable), Off = never.
  enum class Dynamic { Auto, On, Off } dynamic_batch = Dynamic::Auto;
  // Rows per block of the dynamic-batch entry, and configured batch sizes above it run as
  // blocks of it (backend/dynamic_entry.h): -1 = auto (blocks keep the intermediates
  // L2-sized; a configured size runs as blocks only when its own would not), 0 = configured
  // sizes never run as blocks, N > 0 = blocks of N rows.
  int64_t block_rows = -1;
  // A rules file (tfaot-tune --out) compiled into model.h (compiled_rules.h); resolved like
  // saved_model. Read only when compiling, so tfaot-tune can (re)write the file it names.
  std::filesystem::path batch_rules;
  std::string batch_rules_origin;  // where it was named, for messages
};

struct Config {
  std::filesystem::path file;
  ModelConfig model;
  CompilationConfig compilation;
  std::vector<std::string> warnings;  // one line each, already prefixed with the file name

  const std::filesystem::path& model_path() const {
    return model.graph.empty() ? model.saved_model : model.graph;
  }
};

// Reads and validates a config file (YAML or JSON).
Config load_config(const std::filesystem::path& file);
// Same, from text; `file` names the file in messages and anchors relative paths.
Config parse_config(const std::string& text, const std::filesystem::path& file);

// "x86-64-v2,x86-64-v3" -> {"x86-64-v2", "x86-64-v3"} (order kept, duplicates dropped); Error
// naming `what` if empty or an item is empty.
std::vector<std::string> parse_targets(const std::string& text, const std::string& what);

// "1,2,4" -> {1, 2, 4} (sorted, unique); Error naming `what` if not positive integers.
std::vector<int64_t> parse_batch_sizes(const std::string& text, const std::string& what);

}  // namespace tfaot::driver
