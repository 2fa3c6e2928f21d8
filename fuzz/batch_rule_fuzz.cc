// Fuzz target: BatchRule strings and BatchStrategy (the runtime's only parser). Input lines
// are rule strings; each is parsed, registered and read back; a line "=N,M,..." asks for
// the default rule of N with the available sizes M,... Only tfaot::Exception may escape.
#include <sstream>
#include <string>

#include "tfaot/Batching.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  tfaot::BatchStrategy strategy;
  std::string line;
  while (std::getline(in, line)) {
    try {
      if (!line.empty() && line[0] == '=') {
        std::istringstream nums(line.substr(1));
        std::vector<size_t> sizes;
        std::string tok;
        while (std::getline(nums, tok, ','))
          if (!tok.empty() && tok.size() < 5 && tok.find_first_not_of("0123456789") == std::string::npos)
            sizes.push_back(std::stoul(tok));
        if (sizes.empty()) continue;
        const size_t target = sizes.front();
        sizes.erase(sizes.begin());
        strategy.setDefaultRule(target, sizes);
        (void)strategy.getRule(target);
      } else {
        tfaot::BatchRule rule(line);
        strategy.setRule(rule);
        const auto& back = strategy.getRule(rule.getBatchSize());
        std::ostringstream s;
        s << back;
      }
    } catch (const tfaot::Exception&) {
    }
  }
  return 0;
}
