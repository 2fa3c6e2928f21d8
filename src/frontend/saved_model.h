// Reading SavedModel / GraphDef protos from disk and choosing the MetaGraphDef and SignatureDef.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "graph.pb.h"
#include "meta_graph.pb.h"
#include "saved_model.pb.h"

namespace tfaot::frontend {

// Parses a binary or text (.pbtxt) proto file into `msg`; throws Error naming the file.
void read_proto_file(const std::filesystem::path& file, google::protobuf::Message& msg);

// The saved_model.pb (preferred) or saved_model.pbtxt of a SavedModel directory.
std::filesystem::path saved_model_file(const std::filesystem::path& dir);
tensorflow::SavedModel read_saved_model(const std::filesystem::path& dir);

// The MetaGraphDef whose tag set equals `tags` (order-insensitive); the error lists the
// available tag sets.
const tensorflow::MetaGraphDef& select_meta_graph(const tensorflow::SavedModel& model,
                                                  const std::vector<std::string>& tags,
                                                  const std::string& file);
// The SignatureDef `key`; the error lists the available keys.
const tensorflow::SignatureDef& select_signature(const tensorflow::MetaGraphDef& meta,
                                                 const std::string& key, const std::string& file);
std::vector<std::string> signature_keys(const tensorflow::MetaGraphDef& meta);  // sorted

}  // namespace tfaot::frontend
