// Batch rules compiled into a package's model.h (compilation.batch_rules, tfaot-compile
// --batch-rules), so that tfaot::Model<NS::NAME> applies them without a file at run time.
// The file is read with the runtime's own parser (tfaot::readBatchRules), so a file that
// tfaot-compile accepts is exactly one that Model::setBatchRules accepts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tfaot::driver {

// The rules of `file` as "batchSize:size1,...,sizeN" strings, ascending by batch size. Error
// "FILE:LINE: ... (origin)" if the file cannot be read, a rule is malformed, a batch size has
// two rules or a rule uses a size not in `compiled`; `origin` says where the file was named
// (e.g. "compilation.batch_rules, aot_config.yaml:9").
std::vector<std::string> read_compiled_rules(const std::filesystem::path& file, const std::vector<int64_t>& compiled,
                                             const std::string& origin);

}  // namespace tfaot::driver
