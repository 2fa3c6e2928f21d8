#include "frontend/saved_model.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "support/error.h"
#include "support/file.h"

namespace tfaot::frontend {

namespace fs = std::filesystem;

namespace {

// Keeps the first text-format error as one line instead of protobuf's stderr log.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) first = fmt::format("line {}:{}: {}", line + 1, column + 1, message);
  }
  void AddWarning(int, int, const std::string&) override {}
  std::string first;
};

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

void read_proto_file(const fs::path& file, google::protobuf::Message& msg) {
  std::error_code ec;
  if (!fs::exists(file, ec)) fail("{}: no such file", file.string());
  // Sized before it is read (a 3 GiB sparse file is refused at once, not after 28 s and 3.9 GB).
  const std::string data = read_regular_file(file, "protobuf file", static_cast<uint64_t>(INT32_MAX));
  if (file.extension() == ".pbtxt" || file.extension() == ".txt") {
    google::protobuf::TextFormat::Parser parser;
    FirstError errors;
    parser.RecordErrorsTo(&errors);
    // Our .proto files hold only the fields the compiler reads; skip the rest.
    parser.AllowUnknownField(true);
    parser.AllowUnknownExtension(true);
    if (!parser.ParseFromString(data, &msg))
      fail("{}: cannot parse text-format {}: {}", file.string(), msg.GetTypeName(),
           errors.first.empty() ? "syntax error" : errors.first);
    return;
  }
  google::protobuf::io::ArrayInputStream raw(data.data(), static_cast<int>(data.size()));
  google::protobuf::io::CodedInputStream coded(&raw);
  coded.SetTotalBytesLimit(INT32_MAX);
  if (!msg.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
    fail("{}: cannot parse binary {} (corrupt or not a {} file)", file.string(), msg.GetTypeName(),
         msg.GetTypeName());
}

fs::path saved_model_file(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) fail("{}: not a SavedModel directory", dir.string());
  if (fs::exists(dir / "saved_model.pb", ec)) return dir / "saved_model.pb";
  if (fs::exists(dir / "saved_model.pbtxt", ec)) return dir / "saved_model.pbtxt";
  fail("{}: no saved_model.pb or saved_model.pbtxt in the directory", dir.string());
}

tensorflow::SavedModel read_saved_model(const fs::path& dir) {
  tensorflow::SavedModel model;
  read_proto_file(saved_model_file(dir), model);
  return model;
}

const tensorflow::MetaGraphDef& select_meta_graph(const tensorflow::SavedModel& model,
                                                  const std::vector<std::string>& tags,
                                                  const std::string& file) {
  const std::set<std::string> want(tags.begin(), tags.end());
  std::vector<std::string> available;
  for (const auto& mg : model.meta_graphs()) {
    const auto& t = mg.meta_info_def().tags();
    std::set<std::string> have(t.begin(), t.end());
    if (have == want) return mg;
    available.push_back("{" + join({have.begin(), have.end()}, ",") + "}");
  }
  fail("{}: no MetaGraphDef with tags {{{}}} (available: {})", file,
       join({want.begin(), want.end()}, ","), available.empty() ? "none" : join(available, " "));
}

std::vector<std::string> signature_keys(const tensorflow::MetaGraphDef& meta) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : meta.signature_def()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

const tensorflow::SignatureDef& select_signature(const tensorflow::MetaGraphDef& meta,
                                                 const std::string& key, const std::string& file) {
  auto it = meta.signature_def().find(key);
  if (it == meta.signature_def().end())
    fail("{}: no signature '{}' (available: {})", file, key,
         meta.signature_def().empty() ? "none" : join(signature_keys(meta), ", "));
  return it->second;
}

}  // namespace tfaot::frontend
