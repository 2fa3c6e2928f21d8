#include "driver/compiled_rules.h"

#include <algorithm>
#include <map>

#include "support/error.h"
#include "tfaot/Batching.h"

namespace tfaot::driver {

std::vector<std::string> read_compiled_rules(const std::filesystem::path& file, const std::vector<int64_t>& compiled,
                                             const std::string& origin) {
  std::vector<BatchRule> rules;
  std::vector<size_t> lines;
  try {
    rules = readBatchRules(file.string(), &lines);
  } catch (const Exception& e) {
    fail("{} ({})", e.message(), origin);
  }
  std::string list;
  for (int64_t s : compiled) list += (list.empty() ? "" : ",") + std::to_string(s);
  std::map<size_t, std::string> by_size;  // ascending: model.h does not depend on the line order
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string text = std::to_string(rules[i].getBatchSize()) + ":";
    for (size_t k = 0; k < rules[i].nSizes(); ++k) {
      const size_t s = rules[i].getSize(k);
      if (std::find(compiled.begin(), compiled.end(), static_cast<int64_t>(s)) == compiled.end())
        fail("{}:{}: rule for batch size {} uses size {}, which is not a compiled batch size (compiled: {}) ({})",
             file.string(), lines[i], rules[i].getBatchSize(), s, list, origin);
      text += (k ? "," : "") + std::to_string(s);
    }
    by_size.emplace(rules[i].getBatchSize(), text);
  }
  std::vector<std::string> out;
  for (auto& [size, text] : by_size) out.push_back(std::move(text));
  return out;
}

}  // namespace tfaot::driver
