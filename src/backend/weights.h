// The weights of one model: every large constant of every batch size lives once in one
// read-only blob (NAME_weights.o), deduplicated by content and 64-byte aligned; generated code
// refers to it as `NS::NAME_weights::data + offset`.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "support/tensor.h"

namespace tfaot::backend {

// C++ qualified name parts of the blob symbol, e.g. {"tfaot_model", "simple_weights", "data"}.
std::vector<std::string> weights_symbol_parts(const std::string& ns, const std::string& model);
// Itanium-mangled name of a namespace-scope variable `a::b::c` ("_ZN1a1b1cE").
std::string mangle_variable(const std::vector<std::string>& parts);

class WeightPool {
 public:
  // Offset of `t`'s bytes in the blob (identical bytes are stored once).
  uint64_t add(const Tensor& t);
  const std::vector<uint8_t>& blob() const { return blob_; }
  uint64_t size() const { return blob_.size(); }

  // Assembler source (.S, run through the C preprocessor) defining the blob symbol with
  // `.incbin "bin_name"`; valid for x86-64 and AArch64 GNU assemblers.
  std::string assembly(const std::string& ns, const std::string& model,
                       const std::string& bin_name) const;

 private:
  std::vector<uint8_t> blob_;
  std::unordered_multimap<uint64_t, uint64_t> by_hash_;  // content hash -> offset
};

}  // namespace tfaot::backend
