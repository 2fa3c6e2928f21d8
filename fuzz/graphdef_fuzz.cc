// Fuzz target: frozen GraphDefs (binary or text) through the whole compiler. The fetched
// outputs are the graph's unconsumed nodes (what a user would name), found by parsing the
// input here first; inputs are left to the loader (every Placeholder needed).
// Input = records [mode, graph]; mode byte bit 0 selects the text format.
#include <google/protobuf/text_format.h>

#include <set>

#include "fuzz_util.h"
#include "graph.pb.h"
#include "model_pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto records = tfaot::fuzz::split_records(data, size);
  if (records.size() < 2) return 0;
  const bool text = !records[0].empty() && (records[0][0] & 1);
  tensorflow::GraphDef gd;
  const std::string bytes(records[1]);
  const bool parsed = text ? google::protobuf::TextFormat::ParseFromString(bytes, &gd)
                           : gd.ParseFromString(bytes);
  tfaot::frontend::LoadOptions options;
  options.path = tfaot::fuzz::scratch_dir() / (text ? "graph.pbtxt" : "graph.pb");
  tfaot::fuzz::write_file(options.path, records[1]);
  if (parsed) {
    std::set<std::string> consumed;
    for (const auto& n : gd.node())
      for (const auto& in : n.input()) consumed.insert(in.substr(in[0] == '^', in.find(':')));
    for (const auto& n : gd.node())
      if (!consumed.count(n.name()) && options.outputs.size() < 4) options.outputs.push_back(n.name());
  }
  tfaot::fuzz::compile_in_memory(options);
  return 0;
}
