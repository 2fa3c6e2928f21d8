// The front end's entry: turns a model on disk (SavedModel directory, or frozen GraphDef
// .pb/.pbtxt) into one flat ir::Graph of the chosen signature: library functions inlined,
// variables resolved to Const nodes with their checkpoint values, unneeded nodes dropped.
// Node output types are set for Placeholder (declared signature type, -1 = unknown dim) and
// Const nodes only; everything else is typed later by shape inference (passes/).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace tfaot::frontend {

struct LoadOptions {
  std::filesystem::path path;                // SavedModel dir, or a .pb / .pbtxt GraphDef
  std::vector<std::string> tags = {"serve"};  // MetaGraphDef tags (SavedModel)
  std::string signature_key = "serving_default";
  // Frozen graphs: tensor names fed and fetched ("input_1:0"; ":0" may be omitted).
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  // Tensors replaced by constants (e.g. "keras_learning_phase:0" -> false), both formats.
  std::map<std::string, Tensor> pinned;
};

std::unique_ptr<ir::Graph> load_model(const LoadOptions& options);

struct SignatureSummary {
  std::string key;
  std::vector<std::string> input_keys, output_keys;
};
// The SignatureDefs of a SavedModel's MetaGraphDef with `tags` (for --list-signatures and
// the error message of a wrong key).
std::vector<SignatureSummary> list_signatures(const std::filesystem::path& saved_model_dir,
                                              const std::vector<std::string>& tags = {"serve"});

bool is_saved_model(const std::filesystem::path& path);

}  // namespace tfaot::frontend
